// The IAM policies of the synthesized API stack against the DynamoDB requests the real handlers make. Every one of
// the operations runs through its handler on DynamoDB Local with a recorder on the document client: each success
// path, a refusal that still reads the table, and, for the POST/PUT writes, a request with an Idempotency-Key, its
// replay, and two requests with one key racing (the loser reads the winner's record). Each call is turned into the
// authorisation requests IAM evaluates (action, table or index, the request's `dynamodb:LeadingKeys`: every key of a
// BatchGetItem, each item of a TransactWriteItems as its own PutItem/UpdateItem/DeleteItem, the index partition key
// of an index Query) and evaluated against that operation's function policy. So the actions and partition prefixes
// in functions/common/operations.ts must be right for the code as it is, and each one must be used (no spare
// privilege).
import { TABLE_SCHEMA } from '../../functions/data/table-schema';
import { forgetKnownBanks } from '../../functions/data/request-context-repository';
import { documentClient } from '../../functions/data/table-client';
import { OPERATIONS, type Operation } from '../../functions/common/operations';
import { findRoute } from '../../local/routes';
import { call, type ApiResponse, type CallOptions } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, newCustomer, SUPER_ADMIN, uniqueId, userWith } from '../support/fixtures';
import { asArray, build, describeValue, functionOf, statementsOf, tableId, type Built, type Json, type Statement } from '../support/template';

jest.setTimeout(180_000);

interface AuthRequest {
  action: string;
  /** 'table' or 'index/<name>' */
  resource: string;
  leadingKeys: string[];
}

const RECORDER = 'leadingKeysRecorder';
const recorded = new Map<string, AuthRequest[]>(OPERATIONS.map((op) => [op.name, []]));

/** A value as the document client or the low-level client carries it. */
const str = (value: Json): string => (typeof value === 'string' ? value : typeof value?.S === 'string' ? value.S : JSON.stringify(value));

const partitionKeyOfQuery = (input: Json): { resource: string; value: string } => {
  const index = input.IndexName ? TABLE_SCHEMA.indexes.find((i) => i.name === input.IndexName) : undefined;
  const attribute = index ? index.partitionKey : TABLE_SCHEMA.partitionKey;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const match = [...String(input.KeyConditionExpression).matchAll(/([#\w]+)\s*=\s*(:\w+)/g)].find(([, name]) => (names[name as string] ?? name) === attribute);
  if (!match) throw new Error(`Query without an equality on ${attribute}: ${input.KeyConditionExpression}`);
  return { resource: index ? `index/${index.name}` : 'table', value: str(input.ExpressionAttributeValues[match[2] as string]) };
};

/** What IAM authorises for one DynamoDB call (see the header). */
const authRequests = (command: string, input: Json): AuthRequest[] => {
  const pk = TABLE_SCHEMA.partitionKey;
  switch (command) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action: `dynamodb:${command}`, resource: 'table', leadingKeys: [str(input.Key[pk])] }];
    case 'PutItem':
      return [{ action: 'dynamodb:PutItem', resource: 'table', leadingKeys: [str(input.Item[pk])] }];
    case 'Query': {
      const { resource, value } = partitionKeyOfQuery(input);
      return [{ action: 'dynamodb:Query', resource, leadingKeys: [value] }];
    }
    case 'BatchGetItem':
      return Object.values<Json>(input.RequestItems).map((table) => ({
        action: 'dynamodb:BatchGetItem',
        resource: 'table',
        leadingKeys: (table.Keys as Json[]).map((k) => str(k[pk])),
      }));
    case 'TransactWriteItems':
      return (input.TransactItems as Json[]).map((item) => {
        if (item.Put) return { action: 'dynamodb:PutItem', resource: 'table', leadingKeys: [str(item.Put.Item[pk])] };
        if (item.Update) return { action: 'dynamodb:UpdateItem', resource: 'table', leadingKeys: [str(item.Update.Key[pk])] };
        if (item.Delete) return { action: 'dynamodb:DeleteItem', resource: 'table', leadingKeys: [str(item.Delete.Key[pk])] };
        if (item.ConditionCheck) return { action: 'dynamodb:ConditionCheckItem', resource: 'table', leadingKeys: [str(item.ConditionCheck.Key[pk])] };
        throw new Error(`Unknown transaction item ${JSON.stringify(Object.keys(item))}`);
      });
    default:
      throw new Error(`No IAM mapping for DynamoDB ${command} in this test; add one`);
  }
};

type Request = [method: string, path: string, options: CallOptions];

/**
 * Calls the API and records, under the operation that serves the routes, what IAM would have to allow. Each call is
 * a function's first request: every function is its own process, which has not read the bank yet (the banks a
 * process has read are remembered). With `race`, the calls run at once and each is held after its first read (the
 * request's BatchGetItem) until all of them have read, so all see the table as it was before any of them wrote:
 * the interleaving concurrent requests can have, made certain.
 */
const recordCalls = async (calls: Request[], race = false): Promise<ApiResponse[]> => {
  const [operation, ...others] = new Set(calls.map(([method, path]) => findRoute(method, path)?.route.operation as Operation));
  if (!operation || others.length > 0) throw new Error('recordCalls: the calls must all be of one operation');
  const requests = recorded.get(operation.name) as AuthRequest[];
  forgetKnownBanks();
  let arrived = 0;
  let open = (): void => undefined;
  const allRead = new Promise<void>((resolve) => (open = resolve));
  // A request that never reads would hold the others forever; after this long they go on (and the race is lost).
  const timeout = race ? setTimeout(open, 5_000) : undefined;
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, '');
      requests.push(...authRequests(command, args.input));
      const result = await next(args);
      if (race && command === 'BatchGetItem') {
        if (++arrived === calls.length) open();
        await allRead;
      }
      return result;
    },
    { step: 'initialize', name: RECORDER },
  );
  try {
    return await Promise.all(calls.map(([method, path, options]) => call(method, path, options)));
  } finally {
    clearTimeout(timeout);
    documentClient().middlewareStack.remove(RECORDER);
  }
};

const measured = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> =>
  (await recordCalls([[method, path, options]]))[0] as ApiResponse;

/** IAM's StringLike: `*` any run of characters, `?` one character. */
const like = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(value);

/** Whether one Allow statement grants the request; only the condition operators this stack uses are understood. */
const grants = (built: Built, s: Statement, request: AuthRequest): boolean => {
  const tableArn = `state:${tableId(built)}.Arn`;
  const resource = request.resource === 'table' ? tableArn : `${tableArn}/${request.resource}`;
  if (s.Effect !== 'Allow' || !asArray(s.Action).includes(request.action)) return false;
  if (!asArray<Json>(s.Resource).some((r) => describeValue(built, r) === resource)) return false;
  const { 'ForAllValues:StringLike': forAll, Null: nullCheck, ...others } = s.Condition ?? {};
  if (Object.keys(others).length > 0) throw new Error(`Unexpected condition operators ${Object.keys(others).join(', ')}`);
  if (nullCheck?.['dynamodb:LeadingKeys'] === 'false' && request.leadingKeys.length === 0) return false;
  const patterns = asArray<string>(forAll?.['dynamodb:LeadingKeys']);
  return request.leadingKeys.every((key) => patterns.some((p) => like(p, key)));
};

const V4_BODY = { message: 'hello', transport: 'SMS', from_department: 'Open Bank', from_person: 'Tom' };
const V14_BODY = { message: 'hello', from_department: 'Cards', from_person: 'Ann' };

/** A valid body for each customer update (PUT …/customers/{CUSTOMER_ID}/<suffix>). */
const UPDATES: Record<string, { suffix: string; body: () => Record<string, unknown> }> = {
  updateCustomerNumber: { suffix: 'number', body: () => ({ customer_number: uniqueId('renumbered-') }) },
  updateCustomerEmail: { suffix: 'email', body: () => ({ email: 'marko@example.com' }) },
  updateCustomerMobileNumber: { suffix: 'mobile-number', body: () => ({ mobile_phone_number: '+381631954907' }) },
  updateCustomerIdentity: { suffix: 'identity', body: () => ({ legal_name: 'Marko Tesobe', date_of_birth: '1985-03-09', title: 'Mr.', name_suffix: 'Jr' }) },
  updateCustomerCreditLimit: { suffix: 'credit-limit', body: () => ({ credit_limit: { currency: 'GBP', amount: '1000' } }) },
  updateCustomerCreditRatingAndSource: { suffix: 'credit-rating-and-source', body: () => ({ credit_rating: 'Good', credit_source: 'Bank' }) },
  updateCustomerBranch: { suffix: 'branch', body: () => ({ branch_id: 'BELGRADE1' }) },
  updateCustomerData: {
    suffix: 'data',
    body: () => ({
      face_image: { url: 'www.example.com/face.png', date: '2017-09-19T10:11:12Z' },
      relationship_status: 'married',
      dependants: 0,
      highest_education_attained: 'Bachelor',
      employment_status: 'employed',
    }),
  },
};

describe('dynamodb:LeadingKeys against the requests the handlers really make', () => {
  let built: Built;

  beforeAll(async () => {
    built = build();
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const customerId = customer.customer_id as string;
    // One role of each operation (the first it names; bank roles at bankId), so every operation can succeed.
    const staff = await userWith(bankId, ...new Set(OPERATIONS.filter((op) => op.roleScope !== 'entitlement').flatMap((op) => op.roles.slice(0, 1))));
    const entitlementAdmin = await userWith(bankId, 'CanDeleteEntitlementAtOneBank');
    const nobody = uniqueId('nobody-');
    const holder = uniqueId('holder-');
    const b = `/obp/v5.0.0/banks/${bankId}`;
    const c = `${b}/customers/${customerId}`;

    const expectStatus = async (status: number, response: Promise<ApiResponse>): Promise<ApiResponse> => {
      const r = await response;
      expect({ status: r.status, body: r.body }).toEqual({ status, body: r.body });
      return r;
    };
    /**
     * A write with an Idempotency-Key, then its replay (which reads the stored record in its first read and writes
     * nothing); then, with another key (and body), two such requests at once: the one whose write loses reads the
     * winner's record (GetItem) and replays it.
     */
    const idempotently = async (status: number, method: string, path: string, options: CallOptions, raceOptions: CallOptions = options): Promise<void> => {
      const headers = { 'idempotency-key': uniqueId('key-') };
      const first = await expectStatus(status, measured(method, path, { ...options, headers }));
      const replay = await expectStatus(status, measured(method, path, { ...options, headers }));
      expect({ replayed: replay.headers['idempotent-replayed'], body: replay.body }).toEqual({ replayed: 'true', body: first.body });
      const raced = { ...raceOptions, headers: { 'idempotency-key': uniqueId('key-') } };
      const [one, other] = (await recordCalls([[method, path, raced], [method, path, raced]], true)) as [ApiResponse, ApiResponse];
      expect({ statuses: [one.status, other.status], replayed: [one.headers['idempotent-replayed'], other.headers['idempotent-replayed']].sort() }).toEqual({
        statuses: [status, status],
        replayed: ['true', undefined],
      });
      expect(other.body).toEqual(one.body);
    };

    await expectStatus(200, measured('GET', '/obp/v5.0.0/root'));

    // Banks and entitlements
    await expectStatus(201, measured('POST', '/obp/v5.0.0/banks', { as: staff, body: { id: uniqueId('lk'), bank_code: 'LK' } }));
    await idempotently(201, 'POST', '/obp/v5.0.0/banks', { as: staff, body: { id: uniqueId('lk'), bank_code: 'LK' } }, { as: staff, body: { id: uniqueId('lk'), bank_code: 'LK' } });
    await expectStatus(403, measured('POST', '/obp/v5.0.0/banks', { as: nobody, body: { id: uniqueId('lk'), bank_code: 'LK' } }));
    await expectStatus(200, measured('GET', b));
    await expectStatus(404, measured('GET', `/obp/v5.0.0/banks/${uniqueId('nobank')}`));
    const grantTo = (userId: string) => `/obp/v5.0.0/users/${userId}/entitlements`;
    await expectStatus(201, measured('POST', grantTo(uniqueId('u-')), { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }));
    await expectStatus(201, measured('POST', grantTo(uniqueId('u-')), { as: SUPER_ADMIN, body: { bank_id: '', role_name: 'CanCreateBank' } }));
    await expectStatus(201, measured('POST', grantTo(uniqueId('u-')), { as: staff, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }));
    await idempotently(201, 'POST', grantTo(uniqueId('u-')), { as: staff, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }, { as: staff, body: { bank_id: bankId, role_name: 'CanGetCustomers' } });
    await expectStatus(403, measured('POST', grantTo(uniqueId('u-')), { as: nobody, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }));
    await expectStatus(200, measured('GET', grantTo(staff), { as: staff }));
    await expectStatus(403, measured('GET', grantTo(staff), { as: nobody }));
    await expectStatus(200, measured('GET', '/obp/v5.0.0/users/current', { as: staff }));
    await expectStatus(200, measured('GET', `${b}/entitlements`, { as: staff }));
    await expectStatus(403, measured('GET', `${b}/entitlements`, { as: nobody }));
    // Revocations: the entitlements are granted outside the recording.
    const revocable = async (): Promise<{ userId: string; entitlementId: string }> => {
      const userId = uniqueId('revoked-');
      const granted = await expectStatus(201, call('POST', grantTo(userId), { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }));
      return { userId, entitlementId: granted.body.entitlement_id as string };
    };
    const revoke = ({ userId, entitlementId }: { userId: string; entitlementId: string }) => `/obp/v5.0.0/users/${userId}/entitlement/${entitlementId}`;
    await expectStatus(204, measured('DELETE', revoke(await revocable()), { as: SUPER_ADMIN }));
    await expectStatus(204, measured('DELETE', revoke(await revocable()), { as: entitlementAdmin }));
    await expectStatus(403, measured('DELETE', revoke(await revocable()), { as: nobody }));
    await expectStatus(404, measured('DELETE', revoke({ userId: staff, entitlementId: uniqueId('none-') }), { as: SUPER_ADMIN }));

    // Customers
    await expectStatus(201, measured('POST', `${b}/customers`, { as: staff, body: MINIMAL_CUSTOMER }));
    await idempotently(201, 'POST', `${b}/customers`, { as: staff, body: MINIMAL_CUSTOMER });
    await expectStatus(403, measured('POST', `${b}/customers`, { as: nobody, body: MINIMAL_CUSTOMER }));
    await expectStatus(200, measured('GET', c, { as: staff }));
    await expectStatus(404, measured('GET', `${b}/customers/${uniqueId('nocustomer-')}`, { as: staff }));
    await expectStatus(200, measured('POST', `${b}/customers/customer-number`, { as: staff, body: { customer_number: customer.customer_number } }));
    await expectStatus(404, measured('POST', `${b}/customers/customer-number`, { as: staff, body: { customer_number: uniqueId('nonumber-') } }));
    await expectStatus(200, measured('GET', `${b}/customers`, { as: staff }));
    await expectStatus(403, measured('GET', `${b}/customers`, { as: nobody }));
    await expectStatus(200, measured('GET', `${b}/customers-minimal`, { as: staff }));
    await expectStatus(403, measured('GET', `${b}/customers-minimal`, { as: nobody }));
    // Two renumberings of one customer at once: the one whose transaction loses reads the customer again and retries.
    const renumbered = await recordCalls(
      [
        ['PUT', `${c}/number`, { as: staff, body: { customer_number: uniqueId('raced-') } }],
        ['PUT', `${c}/number`, { as: staff, body: { customer_number: uniqueId('raced-') } }],
      ],
      true,
    );
    expect(renumbered.map((r) => r.status)).toEqual([200, 200]);
    for (const { suffix, body } of Object.values(UPDATES)) {
      await expectStatus(200, measured('PUT', `${c}/${suffix}`, { as: staff, body: body() }));
      await idempotently(200, 'PUT', `${c}/${suffix}`, { as: staff, body: body() }, { as: staff, body: body() });
      await expectStatus(403, measured('PUT', `${c}/${suffix}`, { as: nobody, body: body() }));
    }

    // Links
    const links = `${b}/user_customer_links`;
    const linked = await expectStatus(201, measured('POST', links, { as: staff, body: { user_id: holder, customer_id: customerId } }));
    await idempotently(201, 'POST', links, { as: staff, body: { user_id: uniqueId('holder-'), customer_id: customerId } }, { as: staff, body: { user_id: uniqueId('holder-'), customer_id: customerId } });
    await expectStatus(403, measured('POST', links, { as: nobody, body: { user_id: uniqueId('holder-'), customer_id: customerId } }));
    await expectStatus(200, measured('GET', `${links}/users/${holder}`, { as: staff }));
    await expectStatus(200, measured('GET', `${links}/customers/${customerId}`, { as: staff }));
    await expectStatus(403, measured('GET', `${links}/customers/${customerId}`, { as: nobody }));
    // Unlinking: the link is made outside the recording.
    const unlinked = await expectStatus(201, call('POST', links, { as: staff, body: { user_id: uniqueId('unlinked-'), customer_id: customerId } }));
    await expectStatus(200, measured('DELETE', `${links}/${unlinked.body.user_customer_link_id}`, { as: staff }));
    await expectStatus(400, measured('DELETE', `${links}/${uniqueId('nolink-')}`, { as: staff }));
    await expectStatus(403, measured('DELETE', `${links}/${linked.body.user_customer_link_id}`, { as: nobody }));

    // Messages (the holder is linked to the customer above)
    await expectStatus(201, measured('POST', `${c}/messages`, { as: staff, body: V4_BODY }));
    await idempotently(201, 'POST', `${c}/messages`, { as: staff, body: V4_BODY });
    await expectStatus(403, measured('POST', `${c}/messages`, { as: nobody, body: V4_BODY }));
    const v14 = `${b}/customer/${customerId}/messages`;
    await expectStatus(201, measured('POST', v14, { as: staff, body: V14_BODY }));
    await idempotently(201, 'POST', v14, { as: staff, body: V14_BODY });
    await expectStatus(403, measured('POST', v14, { as: nobody, body: V14_BODY }));
    await expectStatus(200, measured('GET', `${c}/messages`, { as: staff }));
    await expectStatus(403, measured('GET', `${c}/messages`, { as: nobody }));
    await expectStatus(200, measured('GET', `${b}/customer/messages`, { as: holder }));
  });

  afterEach(() => {
    documentClient().middlewareStack.remove(RECORDER);
  });

  it('recorded every operation that touches the table', () => {
    for (const op of OPERATIONS) {
      const count = recorded.get(op.name)?.length ?? 0;
      expect({ op: op.name, touchesTable: count > 0 }).toEqual({ op: op.name, touchesTable: op.table.actions.length > 0 });
    }
  });

  it.each(OPERATIONS.filter((op) => op.table.actions.length > 0).map((op) => [op.name, op] as const))(
    '%s: its policy allows every request it makes',
    (_name, op) => {
      const statements = statementsOf(built, functionOf(built, op));
      for (const request of recorded.get(op.name) as AuthRequest[]) {
        expect({ request, allowed: statements.some((s) => grants(built, s, request)) }).toEqual({ request, allowed: true });
      }
    },
  );

  it.each(OPERATIONS.filter((op) => op.table.actions.length > 0).map((op) => [op.name, op] as const))(
    '%s: uses every partition prefix it declares (no spare privilege)',
    (_name, op) => {
      const requests = recorded.get(op.name) as AuthRequest[];
      const keysOf = (filter: (r: AuthRequest) => boolean) => requests.filter(filter).flatMap((r) => r.leadingKeys);
      const table = keysOf((r) => r.resource === 'table');
      const writes = keysOf((r) => r.resource === 'table' && /PutItem|UpdateItem|DeleteItem/.test(r.action));
      const index = keysOf((r) => r.resource !== 'table');
      for (const prefix of op.table.partitions) expect({ prefix, used: table.some((k) => k.startsWith(prefix)) }).toEqual({ prefix, used: true });
      for (const prefix of op.table.writePartitions) expect({ prefix, written: writes.some((k) => k.startsWith(prefix)) }).toEqual({ prefix, written: true });
      for (const prefix of op.table.indexPartitions ?? []) expect({ prefix, queried: index.some((k) => k.startsWith(prefix)) }).toEqual({ prefix, queried: true });
    },
  );

  it.each(OPERATIONS.filter((op) => op.table.actions.length > 0).map((op) => [op.name, op] as const))(
    '%s: uses every action and index it declares (no spare privilege)',
    (_name, op) => {
      const requests = recorded.get(op.name) as AuthRequest[];
      for (const action of op.table.actions) expect({ action, used: requests.some((r) => r.action === action) }).toEqual({ action, used: true });
      for (const index of op.table.indexes) expect({ index, queried: requests.some((r) => r.resource === `index/${index}`) }).toEqual({ index, queried: true });
    },
  );

  it('a request outside the declared prefixes is refused (the evaluator can say no)', () => {
    const op = OPERATIONS.find((o) => o.name === 'createCustomerMessage') as Operation;
    const statements = statementsOf(built, functionOf(built, op));
    const forged = [
      { action: 'dynamodb:PutItem', resource: 'table', leadingKeys: ['USER#someone'] }, // an entitlement
      { action: 'dynamodb:BatchGetItem', resource: 'table', leadingKeys: ['BANK#b', 'OTHER#x'] }, // one key outside
      { action: 'dynamodb:Query', resource: 'index/GSI1', leadingKeys: ['BANK#b#CUSTOMERS'] }, // no index access
      { action: 'dynamodb:GetItem', resource: 'table', leadingKeys: [] }, // no key at all
    ];
    for (const request of forged) expect({ request, allowed: statements.some((s) => grants(built, s, request)) }).toEqual({ request, allowed: false });
  });
});
