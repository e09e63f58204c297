// The IAM policies of the synthesized API stack against the DynamoDB requests the real handlers make. Every
// operation runs through its handler on DynamoDB Local with a recorder on the document client; each call is turned
// into the authorisation requests IAM evaluates (action, table or index, the request's `dynamodb:LeadingKeys`:
// every key of a BatchGetItem, each item of a TransactWriteItems as its own PutItem/UpdateItem, the index partition
// key of an index Query) and evaluated against that operation's function policy. So the partition prefixes in
// functions/operations.ts must be right for the code as it is, and each one must be used (no spare privilege).
import { TABLE_SCHEMA } from '../../functions/data/table-schema';
import { documentClient } from '../../functions/data/table-client';
import { OPERATIONS, type Operation } from '../../functions/shared/operations';
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

/** Calls the API and records, under the operation that serves the route, what IAM would have to allow. */
const measured = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => {
  const operation = findRoute(method, path)?.route.operation as Operation;
  const requests = recorded.get(operation.name) as AuthRequest[];
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(...authRequests(String(context.commandName).replace(/Command$/, ''), args.input));
      return next(args);
    },
    { step: 'initialize', name: RECORDER },
  );
  try {
    return await call(method, path, options);
  } finally {
    documentClient().middlewareStack.remove(RECORDER);
  }
};

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

describe('dynamodb:LeadingKeys against the requests the handlers really make', () => {
  let built: Built;

  beforeAll(async () => {
    built = build();
    // Every operation in a scenario that makes it succeed, plus the refusals that still read the table.
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const staff = await userWith(
      bankId,
      'CanCreateBank',
      'CanCreateCustomer',
      'CanGetCustomer',
      'CanCreateCustomerMessage',
      'CanGetCustomerMessages',
      'CanCreateUserCustomerLink',
      'CanGetEntitlementsForAnyUserAtAnyBank',
    );
    const holder = uniqueId('holder-');
    const c = `/obp/v5.0.0/banks/${bankId}/customers/${customer.customer_id}`;
    const expectStatus = async (status: number, response: Promise<ApiResponse>) => {
      const r = await response;
      expect({ status: r.status, body: r.body }).toEqual({ status, body: r.body });
    };
    await expectStatus(200, measured('GET', '/obp/v5.0.0/root'));
    await expectStatus(201, measured('POST', '/obp/v5.0.0/banks', { as: staff, body: { id: uniqueId('lk'), bank_code: 'LK' } }));
    await expectStatus(200, measured('GET', `/obp/v5.0.0/banks/${bankId}`));
    await expectStatus(404, measured('GET', `/obp/v5.0.0/banks/${uniqueId('nobank')}`));
    await expectStatus(201, measured('POST', `/obp/v5.0.0/users/${uniqueId('u-')}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }));
    await expectStatus(201, measured('POST', `/obp/v5.0.0/users/${uniqueId('u-')}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: '', role_name: 'CanCreateBank' } }));
    await expectStatus(200, measured('GET', `/obp/v5.0.0/users/${staff}/entitlements`, { as: staff }));
    await expectStatus(200, measured('GET', '/obp/v5.0.0/users/current', { as: staff }));
    await expectStatus(201, measured('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: staff, body: MINIMAL_CUSTOMER }));
    await expectStatus(403, measured('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: uniqueId('nobody-'), body: MINIMAL_CUSTOMER }));
    await expectStatus(201, measured('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: staff, body: { user_id: holder, customer_id: customer.customer_id } }));
    await expectStatus(201, measured('POST', `${c}/messages`, { as: staff, body: V4_BODY }));
    await expectStatus(201, measured('POST', `/obp/v5.0.0/banks/${bankId}/customer/${customer.customer_id}/messages`, { as: holder, body: V14_BODY }));
    await expectStatus(200, measured('GET', `${c}/messages`, { as: staff }));
    await expectStatus(200, measured('GET', `/obp/v5.0.0/banks/${bankId}/customer/messages`, { as: holder }));
    await expectStatus(200, measured('GET', c, { as: staff }));
    await expectStatus(200, measured('POST', `/obp/v5.0.0/banks/${bankId}/customers/customer-number`, { as: staff, body: { customer_number: customer.customer_number } }));
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
