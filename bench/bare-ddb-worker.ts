// Worker of figure 7: the bare script. It makes the same DynamoDB calls as createCustomer or createCustomerMessage,
// directly, against the same DynamoDB Local, with a client configured like functions/data/table-client.ts, from
// as many concurrent loops as the load generator has connections. No HTTP, no token, no validation. Like the
// product, it reads the bank only until it has seen it (functions/data/request-context-repository.ts), and writes
// the same items (functions/data/customers-repository.ts, messages-repository.ts).
import './env';
import { randomInt, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { bankKey, customerKey, customerNumberGuardKey, customersOfBankIndexKey, entitlementKey, messageKey, type Key } from '../functions/data/keys';
import { serveRequests } from './processes';

export interface BareRun {
  operation: 'createCustomer' | 'createCustomerMessage';
  seconds: number;
  concurrency: number;
  bankId: string;
  /** One user per loop, as each load-generator connection is its own user with its own token. */
  userIds: string[];
  customerId: string;
}

type Call = { bankId: string; userId: string; customerId: string };

const TableName = process.env.TABLE_NAME as string;
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true } }),
  { marshallOptions: { removeUndefinedValues: true } },
);

/** Banks this process has read: as the product, it reads a bank only the first time. */
const knownBanks = new Set<string>();

/** The context read: the bank (the first time), then the keys the product reads, in its order. */
const contextRead = async (bankId: string, keys: Key[]): Promise<void> => {
  const readBank = !knownBanks.has(bankId);
  const out = await client.send(
    new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [...(readBank ? [bankKey(bankId)] : []), ...keys], ConsistentRead: true } } }),
  );
  if (readBank && (out.Responses?.[TableName] ?? []).some((item) => item.PK === bankKey(bankId).PK)) knownBanks.add(bankId);
};

const createCustomer = async ({ bankId, userId }: Call): Promise<void> => {
  await contextRead(bankId, [entitlementKey(userId, bankId, 'CanCreateCustomer'), entitlementKey(userId, '', 'CanCreateCustomerAtAnyBank')]);
  const createdAt = new Date().toISOString();
  const customer = {
    bank_id: bankId,
    customer_id: randomUUID(),
    customer_number: String(randomInt(0, 2_147_483_647)),
    legal_name: 'Bench Customer',
    mobile_phone_number: '+44 07972 444 876',
    email: '',
    face_image: { url: '', date: null },
    date_of_birth: null,
    relationship_status: '',
    dependants: 0,
    dob_of_dependants: [],
    credit_rating: { rating: '', source: '' },
    credit_limit: { currency: '', amount: '' },
    highest_education_attained: '',
    employment_status: '',
    kyc_status: false,
    last_ok_date: null,
    title: '',
    branch_id: '',
    name_suffix: '',
  };
  await client.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName,
            Item: { ...customerKey(customer.customer_id), ...customersOfBankIndexKey(bankId, customer.customer_id, createdAt), entity: 'Customer', customer, createdAt, createdBy: userId, linkCount: 0 },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName,
            Item: { ...customerNumberGuardKey(bankId, customer.customer_number), entity: 'CustomerNumber', customerId: customer.customer_id },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
    }),
  );
};

const createCustomerMessage = async ({ bankId, userId, customerId }: Call): Promise<void> => {
  await contextRead(bankId, [customerKey(customerId), entitlementKey(userId, bankId, 'CanCreateCustomerMessage')]);
  const createdAt = new Date().toISOString();
  const messageId = randomUUID();
  await client.send(
    new PutCommand({
      TableName,
      Item: {
        ...messageKey(customerId, createdAt, messageId),
        entity: 'Message',
        messageId,
        customerId,
        bankId,
        createdAt,
        message: 'Your new card is on its way.',
        transport: 'SMS',
        fromDepartment: 'Cards',
        fromPerson: 'Tom',
        postedBy: userId,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
};

/** Completed operations per second, over `seconds`, from `concurrency` loops, and the CPU time they took (µs). */
const run = async (args: BareRun): Promise<{ perSecond: number; completed: number; cpuUs: number }> => {
  const operation = args.operation === 'createCustomer' ? createCustomer : createCustomerMessage;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + args.seconds * 1000;
  let completed = 0;
  await Promise.all(
    Array.from({ length: args.concurrency }, async (_, i) => {
      const call = { bankId: args.bankId, customerId: args.customerId, userId: args.userIds[i % args.userIds.length] as string };
      while (performance.now() < deadline) {
        await operation(call);
        completed++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: completed / ((performance.now() - started) / 1000), completed, cpuUs: cpu.user + cpu.system };
};

serveRequests({ run });
