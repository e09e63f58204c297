// Worker of figure 6 (bench/warm-overhead.ts), in its own process so that the handlers can log and emit metrics
// as deployed (stdout goes to /dev/null). DynamoDB is a FakeTable; the same fake serves the bare handlers.
import './env';
import { randomInt, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { BatchGetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { resetKeySet, verifyBearer } from '../functions/http/middleware/authenticate';
import { customerKey, customerNumberGuardKey, customersOfBankIndexKey, entitlementKey, messageKey } from '../functions/data/keys';
import { insertEntitlement } from '../functions/data/entitlements-repository';
import { documentClient, tableName } from '../functions/data/table-client';
import { createBank } from '../functions/domain/banks';
import { createCustomer } from '../functions/domain/customers';
import { benchTokens } from './env';
import { FakeTable } from './fake-table';
import { prepareCall, type PreparedCall } from './invoke';
import { serveRequests } from './processes';

type Bare = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface WarmScenarioResult {
  name: string;
  status: number;
  chainUs: number[];
  bareUs: number[];
}

export interface WarmResult {
  iterations: number;
  scenarios: WarmScenarioResult[];
  /** verifyBearer on tokens it has not seen (the RS256 check), and on one it has (the cache). */
  jwtVerifyUs: number[];
  jwtCachedUs: number[];
}

const USER = 'warmuser';
const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Microseconds per call of `fn` over `inputs`, run one after another. */
const timePerCall = async <T>(inputs: T[], fn: (input: T) => Promise<unknown>): Promise<number> => {
  const started = process.hrtime.bigint();
  for (const input of inputs) await fn(input);
  return Number(process.hrtime.bigint() - started) / 1000 / inputs.length;
};

const measure = async ({ iterations, rounds }: { iterations: number; rounds: number }): Promise<WarmResult> => {
  const tokens = await benchTokens();
  const fake = new FakeTable();
  fake.install(documentClient());
  const table = tableName();

  const bankId = 'warmbank';
  await createBank({ actor: 'warmbanker', now: new Date() }, { id: bankId, bank_code: 'WARM' });
  for (const roleName of ['CanCreateCustomer', 'CanCreateCustomerMessage']) {
    await insertEntitlement({ entitlementId: randomUUID(), userId: USER, roleName, bankId, createdAt: new Date().toISOString() });
  }
  const customer = await createCustomer({ actor: 'warmbanker', now: new Date() }, bankId, { legal_name: 'Warm Customer', mobile_phone_number: '+44 07972 444 876' });
  const token = await tokens.issue({ user_id: USER });
  const customerBody = { legal_name: 'Bench Customer', mobile_phone_number: '+44 07972 444 876', email: 'Bench@Example.com' };
  const messageBody = { message: 'Your new card is on its way.', transport: 'SMS', from_department: 'Cards', from_person: 'Tom' };

  // The bare handlers: the same fake DynamoDB calls and the same response, and nothing else (no token check,
  // no validation, no logging or metrics, no error mapping). The chain reads the bank only on its first request
  // (the warm-up round), so from then on the bare context reads have no bank key either.
  const bareCreateCustomer: Bare = async (event) => {
    const body = JSON.parse(event.body ?? '{}');
    await documentClient().send(
      new BatchGetCommand({
        RequestItems: { [table]: { Keys: [entitlementKey(USER, bankId, 'CanCreateCustomer'), entitlementKey(USER, '', 'CanCreateCustomerAtAnyBank')], ConsistentRead: true } },
      }),
    );
    const created = { ...body, bank_id: bankId, customer_id: randomUUID(), customer_number: String(randomInt(0, 2_147_483_647)) };
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { ...customerKey(created.customer_id), ...customersOfBankIndexKey(bankId, created.customer_id, new Date().toISOString()), entity: 'Customer', customer: created, createdBy: USER, linkCount: 0 }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { TableName: table, Item: { ...customerNumberGuardKey(bankId, created.customer_number), entity: 'CustomerNumber', customerId: created.customer_id }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
      }),
    );
    return json(201, created);
  };
  const bareCreateMessage: Bare = async (event) => {
    const body = JSON.parse(event.body ?? '{}');
    await documentClient().send(
      new BatchGetCommand({
        RequestItems: {
          [table]: { Keys: [customerKey(customer.customer_id), entitlementKey(USER, bankId, 'CanCreateCustomerMessage')], ConsistentRead: true },
        },
      }),
    );
    const now = new Date().toISOString();
    const id = randomUUID();
    await documentClient().send(
      new PutCommand({ TableName: table, Item: { ...messageKey(customer.customer_id, now, id), entity: 'Message', ...body, createdAt: now, postedBy: USER }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
    return json(201, { success: 'Success' });
  };
  const bareRejected: Bare = async (event) => {
    JSON.parse(event.body ?? '{}');
    await documentClient().send(
      new BatchGetCommand({
        RequestItems: { [table]: { Keys: [entitlementKey(USER, bankId, 'CanCreateCustomer'), entitlementKey(USER, '', 'CanCreateCustomerAtAnyBank')], ConsistentRead: true } },
      }),
    );
    return json(400, { code: 400, message: 'OBP-10001: Incorrect json format.' });
  };

  // Distinct tokens of the same user (they differ in exp), for requests whose token the function has not seen.
  const freshTokens = await Promise.all(Array.from({ length: iterations }, (_, i) => tokens.issue({ user_id: USER, expires_in: 3600 + i })));

  const bank = `/obp/v5.0.0/banks/${bankId}`;
  const scenarios: { name: string; status: number; call: PreparedCall; bare: Bare; freshToken?: boolean }[] = [
    { name: 'createCustomer (201)', status: 201, call: await prepareCall('POST', `${bank}/customers`, { token, body: customerBody }), bare: bareCreateCustomer },
    {
      name: 'createCustomer (201), a token not seen before',
      status: 201,
      call: await prepareCall('POST', `${bank}/customers`, { token, body: customerBody }),
      bare: bareCreateCustomer,
      freshToken: true,
    },
    {
      name: 'createCustomerMessage (201)',
      status: 201,
      call: await prepareCall('POST', `${bank}/customers/${customer.customer_id}/messages`, { token, body: messageBody }),
      bare: bareCreateMessage,
    },
    {
      name: 'createCustomer, invalid body (400, error mapping)',
      status: 400,
      call: await prepareCall('POST', `${bank}/customers`, { token, body: { legal_name: 'No phone' } }),
      bare: bareRejected,
    },
  ];

  const results: WarmScenarioResult[] = [];
  for (const s of scenarios) {
    const chainUs: number[] = [];
    const bareUs: number[] = [];
    const context: Context = s.call.context();
    for (let round = 0; round <= rounds; round++) {
      // Events are built before timing: building them is the adapter's work, not the chain's.
      const chainEvents = Array.from({ length: iterations }, (_, i) => {
        const event = s.call.event();
        if (s.freshToken) event.headers.authorization = `Bearer ${freshTokens[i]}`;
        return event;
      });
      if (s.freshToken) resetKeySet(); // forget the tokens verified in the previous round
      const bareEvents = Array.from({ length: iterations }, () => s.call.event());
      let wrong = 0;
      const chain = await timePerCall(chainEvents, async (event) => {
        const result = await s.call.handler(event, context);
        if (result.statusCode !== s.status) wrong++;
      });
      const bare = await timePerCall(bareEvents, async (event) => {
        const result = await s.bare(event);
        if (result.statusCode !== s.status) wrong++;
      });
      if (wrong > 0) throw new Error(`${s.name}: ${wrong} responses were not ${s.status}`);
      if (round === 0) continue; // warm-up: JIT, key import, lazy configuration
      chainUs.push(chain);
      bareUs.push(bare);
    }
    results.push({ name: s.name, status: s.status, chainUs, bareUs });
  }

  const jwtVerifyUs: number[] = [];
  const jwtCachedUs: number[] = [];
  const seen = `Bearer ${token}`;
  for (let round = 0; round <= rounds; round++) {
    resetKeySet();
    const full = await timePerCall(freshTokens.map((t) => `Bearer ${t}`), (a) => verifyBearer(a));
    const cached = await timePerCall(Array.from({ length: iterations }, () => seen), (a) => verifyBearer(a));
    if (round === 0) continue;
    jwtVerifyUs.push(full);
    jwtCachedUs.push(cached);
  }
  return { iterations, scenarios: results, jwtVerifyUs, jwtCachedUs };
};

serveRequests({ measure });
