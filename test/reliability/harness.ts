// Shared by the reliability tests (test/reliability/*.test.ts): a direct handler call that controls every part of
// the API Gateway event, the checks every error body must pass, a private table per test file with snapshots of
// its items, and one valid request per operation (so a new operation fails these tests until it is added here).
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../../local/dynamodb-local';
import { invoke as invokeHandler } from '../../local/invoke';
import { routeOf } from '../../local/routes';
import { ensureTable } from '../../local/table';
import { resetConfig } from '../../functions/common/config';
import { ROLE_SCOPES, type RoleName } from '../../functions/common/roles';
import { forgetKnownBanks } from '../../functions/data/request-context-repository';
import { documentClient, resetDocumentClient } from '../../functions/data/table-client';
import { operationPaths, OPERATIONS, takesIdempotencyKey, type Operation } from '../../functions/common/operations';
import { call } from '../support/api';
import { expectDocumented } from '../support/openapi-responses';
import { grant, MINIMAL_CUSTOMER, newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';
import { tokenFor } from '../support/tokens';

export interface Response {
  status: number;
  /** Parsed JSON body (undefined when empty). */
  body: any;
  /** The body text exactly as sent. */
  text: string;
  headers: Record<string, string>;
}

export interface Request {
  /** Path parameters, used as given (they may hold what no URL could carry, e.g. a lone surrogate). */
  params?: Record<string, string>;
  /** A body object, sent as JSON. */
  body?: unknown;
  /** Body text sent as is (wins over `body`). */
  rawBody?: string;
  isBase64Encoded?: boolean;
  /** A full Authorization header value. */
  authorization?: string;
  /** Extra headers; `content-type` defaults to application/json, set it to undefined to send none. */
  headers?: Record<string, string | undefined>;
  /** Query string, without the `?`. */
  query?: string;
  /** Which of the operation's version-prefixed paths to use (default: the oldest). */
  path?: string;
}

/** Calls an operation's real handler in-process (local/invoke.ts) with the path parameters exactly as given. */
/** The path `invoke` sends for `request`: the template with each parameter percent-encoded. */
export const requestPath = (op: Operation, request: Request = {}): string => {
  const template = request.path ?? (operationPaths(op)[0] as string);
  const params = request.params ?? {};
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent((params[name] ?? '').toWellFormed()));
};

export const invoke = async (op: Operation, request: Request = {}): Promise<Response> => {
  const template = request.path ?? (operationPaths(op)[0] as string);
  const params = request.params ?? {};
  const rawPath = requestPath(op, request);
  const headers: Record<string, string | undefined> = { 'content-type': 'application/json', ...request.headers };
  if (request.authorization !== undefined) headers.authorization = request.authorization;
  const result = await invokeHandler({
    method: op.method,
    url: request.query ? `${rawPath}?${request.query}` : rawPath,
    headers,
    body: request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
    isBase64Encoded: request.isBase64Encoded,
    route: { route: routeOf(op, template), params },
  });
  if (!result) throw new Error(`No route for ${op.name}`);
  expectDocumented(result);
  const { status, headers: responseHeaders, text } = result;
  return { status, body: text ? JSON.parse(text) : undefined, text, headers: responseHeaders };
};

export const bearer = async (userId: string): Promise<string> => `Bearer ${await tokenFor(userId)}`;

// ---------------------------------------------------------------------------------------------------------------
// Error bodies

/** OBP's base texts of every error this API may send (an independent copy of functions/common/obp-errors.ts). */
export const OBP_BASE_TEXTS = [
  'OBP-10001: Incorrect json format.',
  'OBP-10007: Incorrect Role name:',
  'OBP-10016: Incorrect filter Parameters in URL. ',
  'OBP-10020: Incorrect json.',
  'OBP-10060: Invalid Idempotency-Key header.',
  'OBP-10061: The Idempotency-Key was already used for another request.',
  'OBP-10062: A request with this Idempotency-Key is still in progress.',
  'OBP-10404: 404 Not Found. The server could not find the requested URI.',
  'OBP-20001: User not logged in. Authentication is required!',
  'OBP-20006: User is missing one or more roles: ',
  'OBP-20010: Value too long',
  'OBP-20011: Value contains invalid characters',
  'OBP-20050: Current User is not a Super Admin!',
  'OBP-30001: Bank not found. Please specify a valid value for BANK_ID.',
  'OBP-30002: Customer not found. Please specify a valid value for CUSTOMER_NUMBER.',
  'OBP-30006: Customer Number already exists. Please specify a different value for BANK_ID or CUSTOMER_NUMBER.',
  'OBP-30007: The User is already linked to a Customer at the bank specified by BANK_ID',
  'OBP-30008: User Customer Link not found by USER_ID',
  'OBP-30025: Could not create user_customer_links ',
  'OBP-30035: User Customer Link not found',
  'OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.',
  'OBP-30205: This entitlement is a Bank Role. Please set bank_id to a valid bank id.',
  'OBP-30206: This entitlement is a System Role. Please set bank_id to empty string.',
  'OBP-30212: EntitlementId not found',
  'OBP-30213: USER_ID does not have the ENTITLEMENT_ID.',
  'OBP-30216: Entitlement already exists for the user.',
  'OBP-34000: Bank Id already exists. Please specify a different value.',
  'OBP-50000: Unknown Error.',
] as const;

export const UNKNOWN_ERROR = 'OBP-50000: Unknown Error.';
export const NOT_LOGGED_IN = 'OBP-20001: User not logged in. Authentication is required!';

/** What must never reach a client: stack frames, runtime errors, SDK and table internals. */
const INTERNALS = [
  /\bat [^\s]+ \(.*:\d+:\d+\)/,
  /\bat .*\.[jt]s:\d+/,
  /node_modules/,
  /Maximum call stack/i,
  /Cannot read propert/i,
  /is not a function/,
  /\b(TypeError|RangeError|ReferenceError)\b/,
  /Exception\b/,
  /\$metadata|httpStatusCode|__type/,
  /dynamodb|DynamoDB|BatchGet|TransactWrite|PutItem|ConditionalCheck/,
  /obp-person-api-test|arn:aws/,
];

/** The message holds none of INTERNALS (after removing `echoed` values the caller sent, which may be anything). */
export const expectNoInternals = (message: string, echoed: string[] = []): void => {
  let text = message;
  for (const value of echoed) if (value) text = text.split(value).join('');
  for (const pattern of INTERNALS) {
    if (pattern.test(text)) throw new Error(`Error body leaks internals (${pattern}): ${message.slice(0, 500)}`);
  }
};

/**
 * A valid OBP error response: JSON `{"code": <status>, "message": "OBP-NNNNN: <base text>…"}` and nothing else,
 * the status consistent with the code as in OBP (401 only for OBP-20001, with WWW-Authenticate: Bearer…).
 * Throws (rather than using expect) so fast-check can shrink on it.
 */
export const checkObpError = (res: Response, echoed: string[] = []): void => {
  const fail = (why: string): never => {
    throw new Error(`${why}: ${res.status} ${res.text.slice(0, 500)}`);
  };
  if (res.status < 400 || res.status > 599) fail('Not an error status');
  if (!/^application\/json\b/.test(res.headers['content-type'] ?? '')) fail('Error content type is not application/json');
  const body = res.body as { code?: unknown; message?: unknown } | undefined;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) fail('Error body is not an object');
  if (Object.keys(body as object).join(',') !== 'code,message') fail('Error body must have exactly code and message');
  if (body?.code !== res.status) fail('code differs from the HTTP status');
  const message = body?.message;
  if (typeof message !== 'string') return fail('message is not a string');
  if (!OBP_BASE_TEXTS.some((base) => message.startsWith(base))) fail('message does not start with an OBP base text');
  const isAuth = message.startsWith('OBP-20001');
  if (isAuth !== (res.status === 401)) fail('401 must go with OBP-20001 and only with it');
  if (isAuth && !/^Bearer\b/.test(res.headers['www-authenticate'] ?? '')) fail('401 without WWW-Authenticate: Bearer');
  if (res.status === 403 && !/^OBP-(20006|20050)/.test(message)) fail('403 with another error than a missing role');
  if (message.startsWith('OBP-50000') !== (res.status === 500)) fail('500 must go with OBP-50000 and only with it');
  if (res.status === 500 && !message.includes(`Request id: ${res.headers['x-request-id']}`)) fail('500 without its request id');
  expectNoInternals(message, echoed);
};

/** checkObpError, and the status and base text are the expected ones. */
export const expectObpError = (res: Response, status: number, base: string, echoed: string[] = []): void => {
  checkObpError(res, echoed);
  expect({ status: res.status, message: String(res.body.message).slice(0, base.length) }).toEqual({ status, message: base });
};

// ---------------------------------------------------------------------------------------------------------------
// A private table per test file, and snapshots of it

/** The DynamoDB Local of the global setup, captured before any test points DYNAMODB_ENDPOINT elsewhere. */
export const LOCAL_ENDPOINT = process.env.DYNAMODB_ENDPOINT as string;

const rawClient = (): DynamoDBClient => new DynamoDBClient({ endpoint: LOCAL_ENDPOINT, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });

/**
 * Points this test file's handlers at a table of its own, so comparing the whole table before and after is exact
 * even while other test files write to the shared one. Restores the environment afterwards.
 */
export const usePrivateTable = (label: string): { name: string } => {
  const table = { name: `${label}-${randomBytes(4).toString('hex')}` };
  const previous = process.env.TABLE_NAME;
  beforeAll(async () => {
    const client = rawClient();
    await ensureTable(client, table.name);
    client.destroy();
    process.env.TABLE_NAME = table.name;
    resetConfig();
    resetDocumentClient();
    forgetKnownBanks();
  });
  afterAll(async () => {
    process.env.TABLE_NAME = previous;
    resetConfig();
    resetDocumentClient();
    forgetKnownBanks();
    const client = rawClient();
    await client.send(new DeleteTableCommand({ TableName: table.name }));
    client.destroy();
  });
  return table;
};

export const keyId = (key: { PK: unknown; SK: unknown }): string => `${String(key.PK)} | ${String(key.SK)}`;

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Set)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v instanceof Set
        ? [...v].sort()
        : v,
  );

/** Every item of the table, by key, as canonical JSON (read with its own client, strongly consistent). */
export type Snapshot = Map<string, string>;

export const snapshot = async (tableName: string): Promise<Snapshot> => {
  const client = DynamoDBDocumentClient.from(rawClient());
  const items: Snapshot = new Map();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    for (const item of out.Items ?? []) items.set(keyId(item as { PK: string; SK: string }), canonical(item));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  client.destroy();
  return items;
};

export interface TableChange {
  added: string[];
  removed: string[];
  changed: string[];
}

export const tableChange = (before: Snapshot, after: Snapshot): TableChange => ({
  added: [...after.keys()].filter((k) => !before.has(k)).sort(),
  removed: [...before.keys()].filter((k) => !after.has(k)).sort(),
  changed: [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort(),
});

// ---------------------------------------------------------------------------------------------------------------
// Counting the product's DynamoDB calls

export const WRITE_COMMANDS = ['PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand', 'BatchWriteCommand'];

/** Spies on the product's document client (calls still reach DynamoDB); returns the names of the commands sent. */
export const spyOnTable = (): { commands: () => string[]; writes: () => string[]; restore: () => void } => {
  const spy = jest.spyOn(documentClient(), 'send');
  const commands = () => spy.mock.calls.map(([command]) => (command as object).constructor.name);
  return { commands, writes: () => commands().filter((c) => WRITE_COMMANDS.includes(c)), restore: () => spy.mockRestore() };
};

// ---------------------------------------------------------------------------------------------------------------
// A small world of two banks, and one valid request per operation

export interface Customer {
  customer_id: string;
  customer_number: string;
  bank_id: string;
}

export interface World {
  bankA: string;
  bankB: string;
  /** A customer of bank A, linked to `linkedUserA`. */
  customerA: Customer;
  linkedUserA: string;
  /** A customer of bank B, linked to `linkedUserB`. */
  customerB: Customer;
  linkedUserB: string;
}

const linkedCustomer = async (bankId: string): Promise<{ customer: Customer; userId: string }> => {
  const customer = (await newCustomer(bankId)) as Customer;
  const userId = uniqueId('linked-');
  const admin = await userWith(bankId, 'CanCreateUserCustomerLink');
  const res = await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, {
    as: admin,
    body: { user_id: userId, customer_id: customer.customer_id },
  });
  if (res.status !== 201) throw new Error(`link failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { customer, userId };
};

export const buildWorld = async (): Promise<World> => {
  const [bankA, bankB] = [await newBank(), await newBank()];
  const a = await linkedCustomer(bankA);
  const b = await linkedCustomer(bankB);
  return { bankA, bankB, customerA: a.customer, linkedUserA: a.userId, customerB: b.customer, linkedUserB: b.userId };
};

export const MESSAGE_V4 = { message: 'Your card is on its way', transport: 'SMS', from_department: 'Cards', from_person: 'Tom' };
export const MESSAGE_V14 = { message: 'Your card is on its way', from_department: 'Cards', from_person: 'Tom' };

/**
 * A request to `op` that succeeds for a caller allowed to make it, at `bankId` of the world (A or B). Each call
 * returns fresh ids where a repeat would collide (bank ids, link users, entitlement targets, new customer numbers),
 * and makes what a delete removes (an entitlement, a link) anew.
 */
export const VALID_REQUESTS: Record<string, (world: World, bank: 'A' | 'B') => Request | Promise<Request>> = {
  root: () => ({}),
  createBank: () => ({ body: { id: uniqueId('bk'), bank_code: 'REL' } }),
  getBank: (w, b) => ({ params: { BANK_ID: bankOf(w, b) } }),
  addEntitlement: (w, b) => ({ params: { USER_ID: uniqueId('target-') }, body: { bank_id: bankOf(w, b), role_name: 'CanGetCustomer' } }),
  getEntitlements: (w, b) => ({ params: { USER_ID: linkedUserOf(w, b) } }),
  getCurrentUser: () => ({}),
  createCustomer: (w, b) => ({ params: { BANK_ID: bankOf(w, b) }, body: MINIMAL_CUSTOMER }),
  addCustomerMessage: (w, b) => ({ params: customerParams(w, b), body: MESSAGE_V14 }),
  createCustomerMessage: (w, b) => ({ params: customerParams(w, b), body: MESSAGE_V4 }),
  getCustomerMessages: (w, b) => ({ params: customerParams(w, b) }),
  getMyMessages: (w, b) => ({ params: { BANK_ID: bankOf(w, b) } }),
  getCustomerById: (w, b) => ({ params: customerParams(w, b) }),
  getCustomerByNumber: (w, b) => ({ params: { BANK_ID: bankOf(w, b) }, body: { customer_number: customerOf(w, b).customer_number } }),
  createUserCustomerLink: (w, b) => ({
    params: { BANK_ID: bankOf(w, b) },
    body: { user_id: uniqueId('link-user-'), customer_id: customerOf(w, b).customer_id },
  }),
  updateCustomerNumber: (w, b) => ({ params: customerParams(w, b), body: { customer_number: uniqueId('num-') } }),
  updateCustomerEmail: (w, b) => ({ params: customerParams(w, b), body: { email: 'New@Example.com' } }),
  updateCustomerMobileNumber: (w, b) => ({ params: customerParams(w, b), body: { mobile_phone_number: '+44 7000 000001' } }),
  updateCustomerIdentity: (w, b) => ({
    params: customerParams(w, b),
    body: { legal_name: 'New Legal Name', date_of_birth: '1990-01-02', title: 'Ms', name_suffix: '' },
  }),
  updateCustomerCreditLimit: (w, b) => ({ params: customerParams(w, b), body: { credit_limit: { currency: 'EUR', amount: '1000' } } }),
  updateCustomerCreditRatingAndSource: (w, b) => ({ params: customerParams(w, b), body: { credit_rating: 'Good', credit_source: 'Bank' } }),
  updateCustomerBranch: (w, b) => ({ params: customerParams(w, b), body: { branch_id: 'DERBY6' } }),
  updateCustomerData: (w, b) => ({
    params: customerParams(w, b),
    body: {
      face_image: { url: 'www.example.com/face.png', date: '2024-01-01' },
      relationship_status: 'married',
      dependants: 0,
      highest_education_attained: 'Bachelor',
      employment_status: 'employed',
    },
  }),
  getCustomersAtOneBank: (w, b) => ({ params: { BANK_ID: bankOf(w, b) } }),
  getCustomersMinimalAtOneBank: (w, b) => ({ params: { BANK_ID: bankOf(w, b) } }),
  deleteEntitlement: async (w, b) => {
    const userId = uniqueId('revoked-');
    const res = await call('POST', `/obp/v5.0.0/users/${userId}/entitlements`, { as: 'test-admin', body: { bank_id: bankOf(w, b), role_name: 'CanGetCustomer' } });
    if (res.status !== 201) throw new Error(`grant failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { params: { USER_ID: userId, ENTITLEMENT_ID: res.body.entitlement_id as string } };
  },
  getEntitlementsForBank: (w, b) => ({ params: { BANK_ID: bankOf(w, b) } }),
  deleteUserCustomerLink: async (w, b) => {
    const admin = await userWith(bankOf(w, b), 'CanCreateUserCustomerLink');
    const res = await call('POST', `/obp/v5.0.0/banks/${bankOf(w, b)}/user_customer_links`, {
      as: admin,
      body: { user_id: uniqueId('unlinked-'), customer_id: customerOf(w, b).customer_id },
    });
    if (res.status !== 201) throw new Error(`link failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { params: { BANK_ID: bankOf(w, b), USER_CUSTOMER_LINK_ID: res.body.user_customer_link_id as string } };
  },
  getUserCustomerLinksByUserId: (w, b) => ({ params: { BANK_ID: bankOf(w, b), USER_ID: linkedUserOf(w, b) } }),
  getUserCustomerLinksByCustomerId: (w, b) => ({ params: customerParams(w, b) }),
};

const bankOf = (w: World, b: 'A' | 'B'): string => (b === 'A' ? w.bankA : w.bankB);
const customerOf = (w: World, b: 'A' | 'B'): Customer => (b === 'A' ? w.customerA : w.customerB);
const linkedUserOf = (w: World, b: 'A' | 'B'): string => (b === 'A' ? w.linkedUserA : w.linkedUserB);
const customerParams = (w: World, b: 'A' | 'B') => ({ BANK_ID: bankOf(w, b), CUSTOMER_ID: customerOf(w, b).customer_id });

export const validRequest = async (op: Operation, world: World, bank: 'A' | 'B' = 'A'): Promise<Request> => {
  const build = VALID_REQUESTS[op.name];
  if (!build) throw new Error(`No valid request for operation ${op.name}: add one to VALID_REQUESTS in test/reliability/harness.ts`);
  return build(world, bank);
};

/** Grants `roles` to `userId`, bank roles at `bankId`, system roles system-wide. */
export const grantRoles = async (userId: string, roles: RoleName[], bankId: string): Promise<void> => {
  for (const role of roles) await grant(userId, role, ROLE_SCOPES[role] === 'bank' ? bankId : '');
};

/**
 * A caller who may make `op`'s valid request at `bankId`: the operation's first role, the super admin for
 * addEntitlement, the linked user for getMyMessages (it lists the caller's own linked customers' messages).
 */
export const allowedCaller = async (op: Operation, world: World, bank: 'A' | 'B' = 'A'): Promise<string> => {
  if (op.name === 'addEntitlement') return 'test-admin';
  if (op.name === 'getMyMessages') return linkedUserOf(world, bank);
  const user = uniqueId('caller-');
  await grantRoles(user, op.roles.slice(0, 1), bankOf(world, bank));
  return user;
};

export const AUTH_OPERATIONS = OPERATIONS.filter((op) => op.auth);
export const BODY_OPERATIONS = OPERATIONS.filter((op) => op.body);
export const LIST_OPERATIONS = OPERATIONS.filter((op) => op.list);
/** The POSTs and PUTs that write: they take an Idempotency-Key. */
export const KEYED_OPERATIONS = OPERATIONS.filter(takesIdempotencyKey);
export const pathParamsOf = (op: Operation): string[] => [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
