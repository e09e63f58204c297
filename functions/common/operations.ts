// The one list of operations. The CDK stack, the local server, the generated Lambda entries and the OpenAPI
// document are all derived from it, and the handlers' request state is typed from it (functions/http/state.ts),
// so a new operation is one entry here plus its handler and schemas.
import type { RoleName } from './roles';

export const API_PREFIXES = ['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0'] as const;
export type ApiVersion = (typeof API_PREFIXES)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** DynamoDB IAM actions an operation's function may use. */
export type TableAction =
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:GetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem';

/**
 * Where the roles are checked. `path`: by the middleware chain, bank roles at the path's BANK_ID (the usual case).
 * `body`: by the operation, bank roles at the body's bank_id (addEntitlement). `entitlement`: by the operation,
 * bank roles at the bank of the entitlement the path names (deleteEntitlement).
 */
export type RoleScope = 'path' | 'body' | 'entitlement';

export interface Operation {
  /** OBP's operation name; also the function's name and the handler file's base name. */
  readonly name: string;
  readonly summary: string;
  /** The oldest prefix it answers under; it also answers under every newer one. */
  readonly since: ApiVersion;
  /** The OBP version whose implementation this operation follows. */
  readonly obpVersion: string;
  readonly method: HttpMethod;
  /** Path under the version prefix, with `{PARAM}` placeholders. */
  readonly path: string;
  /** Whether a logged-in user is required (a verified bearer token). */
  readonly auth: boolean;
  /** Any one of these roles suffices; empty means no role. */
  readonly roles: readonly RoleName[];
  /** Where `roles` are checked (default `path`). */
  readonly roleScope?: RoleScope;
  /** The super admins (SUPER_ADMIN_USER_IDS) may call it whatever roles they hold. */
  readonly superAdmin?: boolean;
  /** OBP's hand-written single-role check wording (`… <Role> at Bank(<id>)`) instead of the pipeline's. */
  readonly legacyRoleMessage?: boolean;
  /** Request body schema file (schemas/<name>.schema.json) and OBP's name for that body. */
  readonly body?: { readonly schema: string; readonly obpName: string };
  /** A paged list: it reads limit, offset, sort_direction, from_date, to_date and cursor (docs/design.md, Lists). */
  readonly list?: boolean;
  /**
   * An item the request's first read also fetches: the entitlement or the link its path names by id, or the number
   * guard of a lookup by number.
   */
  readonly prefetch?: 'entitlement' | 'link' | 'customerNumberGuard';
  /** Success status and response schema file (schemas/<name>.schema.json); 204 has no body. */
  readonly response: { readonly status: 200 | 201 | 204; readonly schema?: string };
  /**
   * What the function may do on the table, and which indexes it queries. The CDK turns the prefixes into
   * `dynamodb:LeadingKeys` conditions (`<prefix>*`, lib/table-access.ts), so they must name every partition the
   * code touches (an integration test checks each request against them).
   */
  readonly table: {
    readonly actions: readonly TableAction[];
    readonly indexes: readonly string[];
    /** Partition-key prefixes of the base-table items it reads or writes (functions/data/keys.ts PARTITIONS). */
    readonly partitions: readonly string[];
    /** The subset of `partitions` its writes (PutItem, UpdateItem, DeleteItem, also inside transactions) touch. */
    readonly writePartitions: readonly string[];
    /** Prefixes of the index partition-key values (GSI1PK) it queries; needed exactly when `indexes` is not empty. */
    readonly indexPartitions?: readonly string[];
  };
}

const CONTEXT_READ = 'dynamodb:BatchGetItem';
/**
 * A request with an Idempotency-Key whose write lost to a concurrent one with the same key reads the winner's record
 * (GetItem) to replay it (functions/http/middleware/idempotency.ts): every operation taking the header needs it.
 */
const RECORD_READ = 'dynamodb:GetItem';

// Partition-key prefixes (functions/data/keys.ts, PARTITIONS; a test checks the two agree). The first read holds
// the bank (BANK#), the caller's candidate roles (USER#), the path's customer (CUSTOMER#) and, with an
// Idempotency-Key, the record (IDEM#). Every write that takes an Idempotency-Key also needs GetItem: of two requests
// with one key that race, the one whose write loses reads the winner's record (IDEM#) to replay it.
const BANK = 'BANK#';
const USER = 'USER#';
const CUSTOMER = 'CUSTOMER#';
const CUSTNUM = 'CUSTNUM#';
const ENTITLEMENT = 'ENTITLEMENT#';
const LINK = 'LINK#';
const IDEM = 'IDEM#';

/**
 * The eight customer updates of OBP v3.1.0: PUT …/customers/{CUSTOMER_ID}/<field>, each with its own role. PutItem
 * is for the idempotency record a request with an Idempotency-Key stores with its update.
 */
const CUSTOMER_UPDATES = [
  {
    name: 'updateCustomerNumber',
    summary: "Change a customer's number",
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/number',
    auth: true,
    roles: ['CanUpdateCustomerNumber'],
    legacyRoleMessage: true,
    body: { schema: 'update-customer-number', obpName: 'PutUpdateCustomerNumberJsonV310' },
    response: { status: 200, schema: 'customer-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM, CUSTNUM], writePartitions: [CUSTOMER, CUSTNUM, IDEM] },
  },
  {
    name: 'updateCustomerEmail',
    summary: "Change a customer's e-mail address",
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/email',
    auth: true,
    roles: ['CanUpdateCustomerEmail'],
    legacyRoleMessage: true,
    body: { schema: 'update-customer-email', obpName: 'PutUpdateCustomerEmailJsonV310' },
    response: { status: 200, schema: 'customer-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
  },
  {
    name: 'updateCustomerMobileNumber',
    summary: "Change a customer's mobile phone number",
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/mobile-number',
    auth: true,
    roles: ['CanUpdateCustomerMobilePhoneNumber'],
    legacyRoleMessage: true,
    body: { schema: 'update-customer-mobile-number', obpName: 'PutUpdateCustomerMobilePhoneNumberJsonV310' },
    response: { status: 200, schema: 'customer-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
  },
  {
    name: 'updateCustomerIdentity',
    summary: "Change a customer's legal name, date of birth, title and name suffix",
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/identity',
    auth: true,
    roles: ['CanUpdateCustomerIdentity'],
    legacyRoleMessage: true,
    body: { schema: 'update-customer-identity', obpName: 'PutUpdateCustomerIdentityJsonV310' },
    response: { status: 200, schema: 'customer-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
  },
  {
    name: 'updateCustomerCreditLimit',
    summary: "Change a customer's credit limit",
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/credit-limit',
    auth: true,
    roles: ['CanUpdateCustomerCreditLimit'],
    legacyRoleMessage: true,
    body: { schema: 'update-customer-credit-limit', obpName: 'PutUpdateCustomerCreditLimitJsonV310' },
    response: { status: 200, schema: 'customer-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
  },
  {
    name: 'updateCustomerCreditRatingAndSource',
    summary: "Change a customer's credit rating and its source",
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/credit-rating-and-source',
    auth: true,
    roles: ['CanUpdateCustomerCreditRatingAndSource', 'CanUpdateCustomerCreditRatingAndSourceAtAnyBank'],
    body: { schema: 'update-customer-credit-rating-and-source', obpName: 'PutUpdateCustomerCreditRatingAndSourceJsonV310' },
    response: { status: 200, schema: 'customer-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
  },
  {
    name: 'updateCustomerBranch',
    summary: "Change a customer's branch",
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/branch',
    auth: true,
    roles: ['CanUpdateCustomerBranch'],
    legacyRoleMessage: true,
    body: { schema: 'update-customer-branch', obpName: 'PutUpdateCustomerBranchJsonV310' },
    response: { status: 200, schema: 'customer-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
  },
  {
    name: 'updateCustomerData',
    summary: "Change a customer's face image, relationship status, dependants, education and employment",
    since: 'v4.0.0',
    obpVersion: 'v3.1.0',
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/data',
    auth: true,
    roles: ['CanUpdateCustomerData'],
    legacyRoleMessage: true,
    body: { schema: 'update-customer-data', obpName: 'PutUpdateCustomerDataJsonV310' },
    response: { status: 200, schema: 'customer-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
  },
] as const satisfies readonly Operation[];

/** The operations, with their literal types (functions/http/state.ts derives each handler's state from them). */
export const OPERATION_DEFINITIONS = [
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
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem'], indexes: [], partitions: [USER, IDEM, BANK, ENTITLEMENT], writePartitions: [BANK, USER, ENTITLEMENT, IDEM] },
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
    roles: ['CanCreateEntitlementAtOneBank', 'CanCreateEntitlementAtAnyBank'],
    roleScope: 'body',
    superAdmin: true,
    body: { schema: 'create-entitlement', obpName: 'CreateEntitlementJSON' },
    response: { status: 201, schema: 'entitlement-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, USER, IDEM, ENTITLEMENT], writePartitions: [USER, ENTITLEMENT, IDEM] },
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
    list: true,
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
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, USER, IDEM, CUSTOMER, CUSTNUM], writePartitions: [CUSTOMER, CUSTNUM, IDEM] },
  },
  {
    name: 'addCustomerMessage',
    summary: 'Add a message to a customer (v1.4.0)',
    since: 'v1.4.0',
    obpVersion: 'v1.4.0',
    method: 'POST',
    path: '/banks/{BANK_ID}/customer/{CUSTOMER_ID}/messages',
    auth: true,
    // OBP asks for no role here: any logged-in user could post into any linked customer's inbox, under any sender name.
    roles: ['CanCreateCustomerMessage'],
    body: { schema: 'add-customer-message', obpName: 'AddCustomerMessageJson' },
    response: { status: 201, schema: 'success-response' },
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
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
    table: { actions: [CONTEXT_READ, RECORD_READ, 'dynamodb:PutItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM], writePartitions: [CUSTOMER, IDEM] },
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
    list: true,
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
    list: true,
    response: { status: 200, schema: 'my-messages-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: [], partitions: [BANK, USER, CUSTOMER], writePartitions: [] },
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
    prefetch: 'customerNumberGuard',
    body: { schema: 'customer-number', obpName: 'PostCustomerNumberJsonV310' },
    response: { status: 200, schema: 'customer-with-attributes-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:GetItem'], indexes: [], partitions: [BANK, USER, CUSTNUM, CUSTOMER], writePartitions: [] },
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
    table: { actions: [CONTEXT_READ, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, CUSTOMER, IDEM, LINK], writePartitions: [CUSTOMER, USER, LINK, IDEM] },
  },
  ...CUSTOMER_UPDATES,
  {
    name: 'getCustomersAtOneBank',
    summary: "List the bank's customers",
    since: 'v5.0.0',
    obpVersion: 'v5.0.0',
    method: 'GET',
    path: '/banks/{BANK_ID}/customers',
    auth: true,
    roles: ['CanGetCustomers'],
    list: true,
    response: { status: 200, schema: 'customers-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: ['GSI1'], partitions: [BANK, USER], writePartitions: [], indexPartitions: [BANK] },
  },
  {
    name: 'getCustomersMinimalAtOneBank',
    summary: "List the bank's customer ids",
    since: 'v5.0.0',
    obpVersion: 'v5.0.0',
    method: 'GET',
    path: '/banks/{BANK_ID}/customers-minimal',
    auth: true,
    roles: ['CanGetCustomersMinimal'],
    list: true,
    response: { status: 200, schema: 'customers-minimal-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: ['GSI1'], partitions: [BANK, USER], writePartitions: [], indexPartitions: [BANK] },
  },
  {
    name: 'deleteEntitlement',
    summary: 'Revoke a role',
    since: 'v4.0.0',
    obpVersion: 'v2.0.0',
    method: 'DELETE',
    path: '/users/{USER_ID}/entitlement/{ENTITLEMENT_ID}',
    auth: true,
    roles: ['CanDeleteEntitlementAtAnyBank', 'CanDeleteEntitlementAtOneBank'],
    roleScope: 'entitlement',
    superAdmin: true,
    prefetch: 'entitlement',
    response: { status: 204 },
    table: { actions: [CONTEXT_READ, 'dynamodb:DeleteItem'], indexes: [], partitions: [USER, ENTITLEMENT], writePartitions: [USER, ENTITLEMENT] },
  },
  {
    name: 'getEntitlementsForBank',
    summary: 'List the roles held at the bank (an access review)',
    since: 'v4.0.0',
    obpVersion: 'v4.0.0',
    method: 'GET',
    path: '/banks/{BANK_ID}/entitlements',
    auth: true,
    roles: ['CanGetEntitlementsForOneBank', 'CanGetEntitlementsForAnyBank'],
    list: true,
    response: { status: 200, schema: 'bank-entitlements-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: ['GSI1'], partitions: [BANK, USER], writePartitions: [], indexPartitions: [BANK] },
  },
  {
    name: 'deleteUserCustomerLink',
    summary: 'Remove a user–customer link',
    since: 'v4.0.0',
    obpVersion: 'v4.0.0',
    method: 'DELETE',
    path: '/banks/{BANK_ID}/user_customer_links/{USER_CUSTOMER_LINK_ID}',
    auth: true,
    roles: ['CanDeleteUserCustomerLink'],
    prefetch: 'link',
    response: { status: 200, schema: 'true-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'], indexes: [], partitions: [BANK, USER, LINK, CUSTOMER], writePartitions: [LINK, CUSTOMER, USER] },
  },
  {
    name: 'getUserCustomerLinksByUserId',
    summary: "List a user's links to the bank's customers",
    since: 'v4.0.0',
    obpVersion: 'v4.0.0',
    method: 'GET',
    path: '/banks/{BANK_ID}/user_customer_links/users/{USER_ID}',
    auth: true,
    roles: ['CanGetUserCustomerLink'],
    list: true,
    response: { status: 200, schema: 'user-customer-links-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: [], partitions: [BANK, USER], writePartitions: [] },
  },
  {
    name: 'getUserCustomerLinksByCustomerId',
    summary: "List a customer's links to users",
    since: 'v4.0.0',
    obpVersion: 'v4.0.0',
    method: 'GET',
    path: '/banks/{BANK_ID}/user_customer_links/customers/{CUSTOMER_ID}',
    auth: true,
    roles: ['CanGetUserCustomerLink'],
    list: true,
    response: { status: 200, schema: 'user-customer-links-response' },
    table: { actions: [CONTEXT_READ, 'dynamodb:Query'], indexes: [], partitions: [BANK, USER, CUSTOMER], writePartitions: [] },
  },
] as const satisfies readonly Operation[];

export const OPERATIONS: readonly Operation[] = OPERATION_DEFINITIONS;

export type OperationName = (typeof OPERATION_DEFINITIONS)[number]['name'];

/** Every `/obp/<version><path>` the operation answers under: its own version and every newer one. */
export const operationPaths = (op: Operation): string[] =>
  API_PREFIXES.slice(API_PREFIXES.indexOf(op.since)).map((v) => `/obp/${v}${op.path}`);

export const operationByName = (name: string): Operation => {
  const op = OPERATIONS.find((o) => o.name === name);
  if (!op) throw new Error(`No operation named ${name}`);
  return op;
};

/** The path parameters of an operation, in path order. */
export const pathParameters = (op: Operation): string[] => [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/** Whether a successful call writes to the table. */
export const writes = (op: Operation): boolean => op.table.actions.some((a) => /Put|Update|Delete/.test(a));

/** Whether the operation takes an Idempotency-Key: a POST or PUT that writes (getCustomerByNumber, a read, does not). */
export const takesIdempotencyKey = (op: Operation): boolean => (op.method === 'POST' || op.method === 'PUT') && writes(op);

/** The operation's logic, relative to the repository root (exports `handle`). */
export const handlerSource = (op: Operation): string => `functions/handlers/${op.name}.ts`;

/** The Lambda entry generated for the operation by scripts/build-entries.ts (exports `handler`). */
export const handlerEntry = (op: Operation): string => `generated/entries/${op.name}.ts`;
