// The one list of operations. The CDK stack, the local server and the OpenAPI document are generated from it,
// so a new operation is one entry here plus its handler and schemas.
import type { RoleName } from './core/roles';

export const API_PREFIXES = ['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0'] as const;
export type ApiVersion = (typeof API_PREFIXES)[number];

export type HttpMethod = 'GET' | 'POST';

/** DynamoDB IAM actions an operation's function may use. */
export type TableAction =
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:GetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:ConditionCheckItem';

export interface Operation {
  /** OBP's operation name; also the function's name and the handler file's base name. */
  name: string;
  summary: string;
  /** The oldest prefix it answers under (DESIGN §1); it also answers under every newer one. */
  since: ApiVersion;
  /** The OBP version whose implementation this operation follows. */
  obpVersion: string;
  method: HttpMethod;
  /** Path under the version prefix, with `{PARAM}` placeholders. */
  path: string;
  /** Whether a logged-in user is required (a verified bearer token). */
  auth: boolean;
  /** Any one of these roles suffices; empty means no role. Bank roles are checked at the path's BANK_ID. */
  roles: RoleName[];
  /** OBP's hand-written single-role check wording (`… <Role> at Bank(<id>)`) instead of the pipeline's. */
  legacyRoleMessage?: boolean;
  /** Request body schema file (schemas/<name>.schema.json) and OBP's name for that body. */
  body?: { schema: string; obpName: string };
  /** Success status and response schema file (schemas/<name>.schema.json). */
  response: { status: 200 | 201; schema: string };
  /**
   * What the function may do on the table, and which indexes it queries. The CDK turns the prefixes into
   * `dynamodb:LeadingKeys` conditions (`<prefix>*`), so they must name every partition the code touches.
   */
  table: {
    actions: TableAction[];
    indexes: string[];
    /** Partition-key prefixes of the base-table items it reads or writes (e.g. 'BANK#', 'USER#'). */
    partitions: string[];
    /** The subset of `partitions` its writes (PutItem, UpdateItem, also inside TransactWriteItems) touch. */
    writePartitions: string[];
    /** Prefixes of the index partition-key values (GSI1PK) it queries; needed exactly when `indexes` is not empty. */
    indexPartitions?: string[];
  };
}

const CONTEXT_READ: TableAction = 'dynamodb:BatchGetItem';

// Partition-key prefixes (functions/data/keys.ts). The context read (bank, the caller's candidate roles, the path's
// customer in one BatchGetItem) needs BANK#, USER# or CUSTOMER# wherever the path has a bank, roles or a customer.
const BANK = 'BANK#';
const USER = 'USER#';
const CUSTOMER = 'CUSTOMER#';

export const OPERATIONS: Operation[] = [
  {
    name: 'root',
    summary: 'API information and health',
    since: 'v1.4.0',
    obpVersion: 'v5.0.0',
    method: 'GET',
    path: '/root',
    auth: false,
    roles: [],
    response: { status: 200, schema: 'root-response' },
    table: { actions: [], indexes: [], partitions: [], writePartitions: [] },
  },
  {
    name: 'createBank',
    summary: 'Create a bank',
    since: 'v5.0.0',
    obpVersion: 'v5.0.0',
    method: 'POST',
    path: '/banks',
    auth: true,
    roles: ['CanCreateBank'],
    body: { schema: 'create-bank', obpName: 'PostBankJson500' },
    response: { status: 201, schema: 'bank-response' },
    // Role check reads USER#; the transaction writes the bank and its creator's entitlements.
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, USER], writePartitions: [BANK, USER] },
  },
  {
    name: 'getBank',
    summary: 'Get a bank',
    since: 'v5.0.0',
    obpVersion: 'v5.0.0',
    method: 'GET',
    path: '/banks/{BANK_ID}',
    auth: false,
    roles: [],
    response: { status: 200, schema: 'bank-response' },
    table: { actions: [CONTEXT_READ], indexes: [], partitions: [BANK], writePartitions: [] },
  },
  {
    name: 'addEntitlement',
    summary: 'Grant a role to a user',
    since: 'v4.0.0',
    obpVersion: 'v2.0.0',
    method: 'POST',
    path: '/users/{USER_ID}/entitlements',
    auth: true,
    roles: [],
    body: { schema: 'create-entitlement', obpName: 'CreateEntitlementJSON' },
    response: { status: 201, schema: 'entitlement-response' },
    // Reads the body's bank and the caller's granting roles; writes the target user's entitlement.
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, USER], writePartitions: [USER] },
  },
  {
    name: 'getEntitlements',
    summary: "List a user's entitlements",
    since: 'v4.0.0',
    obpVersion: 'v4.0.0',
    method: 'GET',
    path: '/users/{USER_ID}/entitlements',
    auth: true,
    roles: ['CanGetEntitlementsForAnyUserAtAnyBank'],
    response: { status: 200, schema: 'entitlements-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: [], partitions: [USER], writePartitions: [] },
  },
  {
    name: 'getCurrentUser',
    summary: 'Get the logged-in user',
    since: 'v4.0.0',
    obpVersion: 'v3.0.0',
    method: 'GET',
    path: '/users/current',
    auth: true,
    roles: [],
    response: { status: 200, schema: 'current-user-response' },
    table: { actions: ['dynamodb:Query'], indexes: [], partitions: [USER], writePartitions: [] },
  },
  {
    name: 'createCustomer',
    summary: 'Create a customer',
    since: 'v5.0.0',
    obpVersion: 'v5.0.0',
    method: 'POST',
    path: '/banks/{BANK_ID}/customers',
    auth: true,
    roles: ['CanCreateCustomer', 'CanCreateCustomerAtAnyBank'],
    body: { schema: 'create-customer', obpName: 'PostCustomerJsonV500' },
    response: { status: 201, schema: 'customer-response' },
    // Writes the customer and its number guard (BANK#<bank>, SK CUSTNUM#…) in one transaction.
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, USER, CUSTOMER], writePartitions: [BANK, CUSTOMER] },
  },
  {
    name: 'addCustomerMessage',
    summary: 'Add a message to a customer (v1.4.0)',
    since: 'v1.4.0',
    obpVersion: 'v1.4.0',
    method: 'POST',
    path: '/banks/{BANK_ID}/customer/{CUSTOMER_ID}/messages',
    auth: true,
    roles: [],
    body: { schema: 'add-customer-message', obpName: 'AddCustomerMessageJson' },
    response: { status: 201, schema: 'success-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, CUSTOMER], writePartitions: [CUSTOMER] },
  },
  {
    name: 'createCustomerMessage',
    summary: 'Create a message to a customer (v4.0.0)',
    since: 'v4.0.0',
    obpVersion: 'v4.0.0',
    method: 'POST',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/messages',
    auth: true,
    roles: ['CanCreateCustomerMessage'],
    body: { schema: 'create-customer-message', obpName: 'CreateMessageJsonV400' },
    response: { status: 201, schema: 'success-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, USER, CUSTOMER], writePartitions: [CUSTOMER] },
  },
  {
    name: 'getCustomerMessages',
    summary: "List a customer's messages",
    since: 'v4.0.0',
    obpVersion: 'v4.0.0',
    method: 'GET',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/messages',
    auth: true,
    roles: ['CanGetCustomerMessages'],
    response: { status: 200, schema: 'customer-messages-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: [], partitions: [BANK, USER, CUSTOMER], writePartitions: [] },
  },
  {
    name: 'getMyMessages',
    summary: 'List the messages of the customers linked to the logged-in user',
    since: 'v1.4.0',
    obpVersion: 'v1.4.0',
    method: 'GET',
    path: '/banks/{BANK_ID}/customer/messages',
    auth: true,
    roles: [],
    response: { status: 200, schema: 'my-messages-response' },
    // The caller's links come from GSI1 (USER#<user>#LINKS), their messages from the customers' partitions.
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: ['GSI1'], partitions: [BANK, CUSTOMER], writePartitions: [], indexPartitions: [USER] },
  },
  {
    name: 'getCustomerById',
    summary: 'Get a customer by its id',
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'GET',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}',
    auth: true,
    roles: ['CanGetCustomer'],
    legacyRoleMessage: true,
    response: { status: 200, schema: 'customer-with-attributes-response' },
    table: { actions: [CONTEXT_READ], indexes: [], partitions: [BANK, USER, CUSTOMER], writePartitions: [] },
  },
  {
    name: 'getCustomerByNumber',
    summary: 'Get a customer by its customer number',
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'POST',
    path: '/banks/{BANK_ID}/customers/customer-number',
    auth: true,
    roles: ['CanGetCustomer'],
    legacyRoleMessage: true,
    body: { schema: 'customer-number', obpName: 'PostCustomerNumberJsonV310' },
    response: { status: 200, schema: 'customer-with-attributes-response' },
    // The number guard lives under the bank: BANK#<bank>, SK CUSTNUM#<number>.
    table: { actions: [CONTEXT_READ, 'dynamodb:GetItem'], indexes: [], partitions: [BANK, USER], writePartitions: [] },
  },
  {
    name: 'createUserCustomerLink',
    summary: 'Link a user to a customer',
    since: 'v4.0.0',
    obpVersion: 'v4.0.0',
    method: 'POST',
    path: '/banks/{BANK_ID}/user_customer_links',
    auth: true,
    roles: ['CanCreateUserCustomerLinkAtAnyBank', 'CanCreateUserCustomerLink'],
    body: { schema: 'create-user-customer-link', obpName: 'CreateUserCustomerLinkJson' },
    response: { status: 201, schema: 'user-customer-link-response' },
    // Reads the body's customer; the transaction writes the link and the customer's link count.
    table: {
      actions: [CONTEXT_READ, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      indexes: [],
      partitions: [BANK, USER, CUSTOMER],
      writePartitions: [CUSTOMER],
    },
  },
];

/** Every `/obp/<version><path>` the operation answers under: its own version and every newer one. */
export const operationPaths = (op: Operation): string[] =>
  API_PREFIXES.slice(API_PREFIXES.indexOf(op.since)).map((v) => `/obp/${v}${op.path}`);

export const operationByName = (name: string): Operation => {
  const op = OPERATIONS.find((o) => o.name === name);
  if (!op) throw new Error(`No operation named ${name}`);
  return op;
};

/** Handler source file of an operation, relative to the repository root. */
export const handlerEntry = (op: Operation): string => `functions/handlers/${op.name}.ts`;
