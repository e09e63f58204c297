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
  /** What the function may do on the table, and which indexes it queries. */
  table: { actions: TableAction[]; indexes: string[] };
}

const CONTEXT_READ: TableAction = 'dynamodb:BatchGetItem';

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
    table: { actions: [], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [] },
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
    table: { actions: [CONTEXT_READ], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: [] },
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
    table: { actions: ['dynamodb:Query'], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:PutItem'], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: ['GSI1'] },
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
    table: { actions: [CONTEXT_READ], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:GetItem'], indexes: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
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
