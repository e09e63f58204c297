// The OpenAPI document: valid OpenAPI 3.1 (swagger-parser), complete (every served route, every version prefix,
// every operation's body, responses, security and roles), its schemas true to what the domain code renders, and
// a generator that refuses to build a document with a missing schema or response. The contract parts checked per
// operation: 204 without a body, 429 (API Gateway's body) and 500 everywhere, 401/403/404 where they can occur,
// 409/422 and Idempotency-Key on the POSTs and PUTs that write, list parameters and Link on lists, bounded path ids.
import { OBP_ERROR_KEYWORD } from '../../functions/http/middleware/validate-body';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROLE_SCOPES } from '../../functions/common/roles';
import { errorResult } from '../../functions/http/middleware/respond';
import { bankNotFound, notLoggedIn, ObpError, ObpMessages, unknownRoute } from '../../functions/common/obp-errors';
import type { BankRecord, MessageRecord, UserCustomerLinkRecord } from '../../functions/data/records';
import { toBankJson } from '../../functions/domain/banks';
import { buildCustomer, toCustomerJson, toCustomerJsonV300, toCustomerMinimalJson, toCustomerWithAttributesJson } from '../../functions/domain/customers';
import { toBankEntitlementJson, toEntitlementJson } from '../../functions/domain/entitlements';
import { toLinkJson } from '../../functions/domain/links';
import { SUCCESS, toCustomerMessageJson, toMyMessageJson } from '../../functions/domain/messages';
import { rootInfo } from '../../functions/domain/root';
import { handler as openApiHandler } from '../../functions/openapi/handler';
import { API_PREFIXES, OPERATIONS, operationByName, operationPaths, type Operation } from '../../functions/common/operations';
import { DOCS_PATH, docsRoutes } from '../../local/docs';
import { findRoute, ROUTES } from '../../local/routes';
import { buildOpenApi, loadSchemaFile, OPENAPI_ROUTE, PERSON_OPERATIONS, type JsonObject } from '../../scripts/openapi';
import { documentChecker } from '../support/openapi';

const doc = buildOpenApi();
const check = documentChecker(doc);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every (method, path, operation object) of the document. */
const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation: operation as JsonObject })),
);
const key = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
const SAMPLE_PARAMS: Record<string, string> = { BANK_ID: 'gh.29.uk', CUSTOMER_ID: 'c0ffee00-0000-4000-8000-000000000001', USER_ID: 'alice' };
const concrete = (template: string): string => template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMS[name] ?? `sample-${name}`);

describe('the OpenAPI document is valid', () => {
  // swagger-parser runs in node itself (scripts/validate-openapi.mjs): its dependencies are ESM-only.
  const swaggerParser = (document: unknown): { ok: boolean; output: string } => {
    const run = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'validate-openapi.mjs'), '-'], {
      input: JSON.stringify(document),
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  };

  test('swagger-parser validates it as OpenAPI 3.1 with every $ref resolved', () => {
    const result = swaggerParser(doc);
    expect(result.output).toMatch(/^valid OpenAPI 3\.1\.0: OBP Person API/);
    expect(result.ok).toBe(true);
  });

  test('swagger-parser refuses the document once a $ref points nowhere or a required field is gone (the validation is real)', () => {
    const broken = structuredClone(doc);
    (broken.paths['/obp/v5.1.0/banks/{BANK_ID}/customers'] as any).post.requestBody.content['application/json'].schema = {
      $ref: '#/components/schemas/NoSuchSchema',
    };
    expect(swaggerParser(broken)).toEqual({ ok: false, output: expect.stringContaining('NoSuchSchema') });
    const noSecurityType = structuredClone(doc);
    delete (noSecurityType.components.securitySchemes as any).bearerAuth.type;
    expect(swaggerParser(noSecurityType).ok).toBe(false);
  });

  test('operationIds are unique and every path parameter is declared, required and a string', () => {
    const ids = documented.map((d) => d.operation.operationId as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, operation } of documented) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = ((operation.parameters ?? []) as JsonObject[]).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name)).toEqual(inPath);
      for (const p of declared) expect(p).toMatchObject({ required: true, schema: { type: 'string' } });
    }
  });

  test('every component schema compiles as JSON Schema 2020-12 within the document', () => {
    for (const name of Object.keys(doc.components.schemas)) expect(() => check.schemaValidator(name)).not.toThrow();
  });

  test('the source schema files compile in strict mode and every one of them is in the document', () => {
    const files = readdirSync(join(__dirname, '..', '..', 'schemas')).filter((f) => f.endsWith('.schema.json'));
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: OBP_ERROR_KEYWORD, schemaType: 'string' });
    addFormats(ajv);
    const schemas = files.map((f) => loadSchemaFile(f.replace('.schema.json', '')));
    ajv.addSchema(schemas); // cross-file refs use the other schema's $id
    const titles = new Set(Object.keys(doc.components.schemas));
    for (const schema of schemas) {
      expect(() => ajv.getSchema(schema.$id as string)).not.toThrow();
      expect(titles).toContain(schema.title);
    }
  });
});

describe('the document covers exactly what is served', () => {
  const documentedKeys = new Set(documented.map((d) => key(d.method, d.path)));
  const local = docsRoutes(doc);
  const isDocsUi = (path: string): boolean => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);

  test('every route of the local server (and of the AWS API) is in the document, and nothing else is', () => {
    const servedApiRoutes = new Set([
      ...ROUTES.map((r) => key(r.method, r.template)),
      // The local server's other routes: the document itself (also published in AWS) is documented; the docs page
      // and the development token issuer are local-only tools, not API routes.
      ...local.filter((r) => !isDocsUi(r.path)).map((r) => key(r.method, r.path)),
    ]);
    expect([...servedApiRoutes].sort()).toEqual([...documentedKeys].sort());
    expect(documentedKeys).toContain(key(OPENAPI_ROUTE.method, OPENAPI_ROUTE.path));
    for (const route of local.filter((r) => isDocsUi(r.path))) expect(documentedKeys).not.toContain(key(route.method, route.path));
    for (const path of Object.keys(doc.paths)) expect(path).not.toMatch(/^\/(docs|local|\.well-known)(\/|$)/);
  });

  test('every operation is documented under every version prefix it answers under, the newest with its plain name', () => {
    for (const op of OPERATIONS) {
      const paths = operationPaths(op);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        const operation = check.operation(op.method, path);
        expect(operation['x-obp-operation']).toBe(op.name);
        const version = /^\/obp\/(v[\d.]+)\//.exec(path)?.[1] as string;
        const newest = path === paths[paths.length - 1];
        expect(operation.operationId).toBe(newest ? op.name : `${op.name}_${version.replace(/\./g, '_')}`);
      }
    }
    expect(documented.filter((d) => d.path !== OPENAPI_ROUTE.path)).toHaveLength(OPERATIONS.reduce((n, op) => n + operationPaths(op).length, 0));
  });

  test('each documented path, with real values in it, reaches that operation through the local router', () => {
    for (const { method, path, operation } of documented) {
      if (path === OPENAPI_ROUTE.path) continue;
      const found = findRoute(method, concrete(path));
      expect({ path, template: found?.route.template, name: found?.route.operation.name }).toEqual({
        path,
        template: path,
        name: operation['x-obp-operation'],
      });
    }
  });

  test('the three Person operations are tagged Person', () => {
    for (const name of PERSON_OPERATIONS) {
      const op = operationByName(name);
      for (const path of operationPaths(op)) expect(check.operation(op.method, path).tags).toEqual(['Person']);
    }
  });
});

describe('each operation is documented as it behaves', () => {
  const canonical = (op: Operation) => check.operation(op.method, operationPaths(op).at(-1) as string);
  const resolveRef = (node: JsonObject): any => (typeof node.$ref === 'string' ? (node.$ref as string).split('/').slice(1).reduce((n: any, p: string) => n[p], doc) : node);
  /** Where a bank role is held, as the description must say it, by the operation's role scope. */
  const WHERE: Record<string, string> = { path: 'BANK_ID', body: "the body's `bank_id`", entitlement: "the entitlement's bank" };
  const IDEMPOTENT = (op: Operation): boolean => (op.method === 'POST' || op.method === 'PUT') && op.name !== 'getCustomerByNumber'; // a read sent as a POST
  const COMMON_HEADERS = ['X-Request-Id', 'Cache-Control', 'X-Content-Type-Options', 'Strict-Transport-Security'];

  test.each(OPERATIONS.map((op) => [op.name, op] as const))('%s: body, success response, error responses, security and roles', (_name, op) => {
    const operation = canonical(op);
    // Body
    if (op.body) {
      expect(operation.requestBody).toEqual({
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body.obpName}` }, example: expect.any(Object) } },
      });
      // The example a reader copies (or "Try it out" sends) is a valid body.
      const example = operation.requestBody.content['application/json'].example;
      check.assertValid(check.schemaValidator(op.body.obpName), example, `${op.name}'s request example`);
    } else expect(operation.requestBody).toBeUndefined();
    // Success: exactly one 2xx; 204 has no body, the others their schema; the headers every answer carries.
    expect(Object.keys(operation.responses).filter((s) => s.startsWith('2'))).toEqual([String(op.response.status)]);
    const success = operation.responses[String(op.response.status)];
    if (op.response.status === 204) expect(success.content).toBeUndefined();
    else expect(success.content['application/json'].schema.$ref).toBe(`#/components/schemas/${loadSchemaFile(op.response.schema as string).title}`);
    expect(Object.keys(success.headers)).toEqual(expect.arrayContaining(COMMON_HEADERS));
    // Errors: 429 (API Gateway's) and 500 on every operation, the others where the operation can give them.
    const errors = Object.keys(operation.responses).filter((s) => !s.startsWith('2'));
    expect(errors).toEqual(expect.arrayContaining(['429', '500']));
    if (op.auth) expect(errors).toContain('401');
    else expect(errors).not.toContain('401');
    if (op.body || op.list) expect(errors).toContain('400');
    if (op.roles.length > 0 || op.superAdmin) expect(errors).toContain('403');
    else expect(errors).not.toContain('403');
    if (/\{(BANK_ID|CUSTOMER_ID|ENTITLEMENT_ID)\}/.test(op.path) || op.body) expect(errors).toContain('404');
    if (IDEMPOTENT(op)) expect(errors).toEqual(expect.arrayContaining(['400', '409', '422']));
    else expect(errors.filter((s) => s === '409' || s === '422')).toEqual([]);
    for (const status of errors) {
      const response = resolveRef(operation.responses[status]);
      if (status === '429') {
        expect(operation.responses[status]).toEqual({ $ref: '#/components/responses/TooManyRequests' });
        continue;
      }
      expect(response.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorMessage' });
      expect(Object.keys(response.headers)).toEqual(expect.arrayContaining(COMMON_HEADERS));
      if (status === '401') expect(Object.keys(response.headers)).toContain('WWW-Authenticate');
    }
    // Security
    expect(operation.security).toEqual(op.auth ? [{ bearerAuth: [] }] : []);
    // Roles: the description's permission line names the super admins and exactly the operation's roles, each where it is held.
    const permission = /\*\*Permission\*\* \(any one of\): (.*)\. Otherwise 403/.exec(operation.description as string)?.[1];
    if (op.roles.length === 0 && !op.superAdmin) expect(permission).toBeUndefined();
    else {
      expect([...(permission as string).matchAll(/`(Can\w+)`/g)].map((m) => m[1])).toEqual(op.roles);
      expect((permission as string).includes('super admin')).toBe(Boolean(op.superAdmin));
      for (const role of op.roles) {
        expect(permission).toContain(ROLE_SCOPES[role] === 'bank' ? `\`${role}\` at ${WHERE[op.roleScope ?? 'path']} (bank role)` : `\`${role}\` (system role`);
      }
    }
    expect(operation['x-obp-roles']).toEqual(op.roles.map((role) => ({ role, scope: ROLE_SCOPES[role] })));
  });

  test('the exact error statuses of a few operations, one of each kind', () => {
    const statuses = (name: string): number[] =>
      Object.keys(canonical(operationByName(name)).responses)
        .map(Number)
        .filter((s) => s >= 400);
    expect(statuses('root')).toEqual([429, 500]);
    expect(statuses('getBank')).toEqual([404, 429, 500]);
    expect(statuses('getCurrentUser')).toEqual([401, 429, 500]);
    expect(statuses('getMyMessages')).toEqual([400, 401, 404, 429, 500]);
    expect(statuses('getCustomerById')).toEqual([401, 403, 404, 429, 500]);
    expect(statuses('getCustomerByNumber')).toEqual([400, 401, 403, 404, 429, 500]);
    expect(statuses('createCustomer')).toEqual([400, 401, 403, 404, 409, 422, 429, 500]);
    expect(statuses('addEntitlement')).toEqual([400, 401, 403, 404, 409, 422, 429, 500]);
    expect(statuses('updateCustomerNumber')).toEqual([400, 401, 403, 404, 409, 422, 429, 500]);
    expect(statuses('deleteEntitlement')).toEqual([400, 401, 403, 404, 429, 500]);
    expect(statuses('deleteUserCustomerLink')).toEqual([400, 401, 403, 404, 429, 500]);
  });

  test('429 is API Gateway\'s own answer: its body {"message": "Too Many Requests"}, not an OBP error', () => {
    const response = doc.components.responses as JsonObject;
    const tooMany = response.TooManyRequests as any;
    const schema = tooMany.content['application/json'].schema;
    const ajv = new Ajv2020({ strict: true });
    const validate = ajv.compile(schema);
    expect(validate({ message: 'Too Many Requests' })).toBe(true);
    expect(validate({ code: 429, message: 'OBP-50000: Unknown Error.' })).toBe(false);
    expect(validate({})).toBe(false);
  });

  test('the POSTs and PUTs that write take an optional Idempotency-Key header and may answer Idempotent-Replayed', () => {
    for (const op of OPERATIONS) {
      const operation = canonical(op);
      const header = ((operation.parameters ?? []) as JsonObject[]).find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      const replayed = Object.keys(operation.responses[String(op.response.status)].headers ?? {}).includes('Idempotent-Replayed');
      expect({ name: op.name, header: header !== undefined, replayed }).toEqual({ name: op.name, header: IDEMPOTENT(op), replayed: IDEMPOTENT(op) });
      if (!header) continue;
      expect(header).toMatchObject({ required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } });
      const ajv = new Ajv2020({ strict: false });
      const validate = ajv.compile(header.schema as JsonObject);
      expect(validate('6f6b1f3a-9b6e-4c8e-8f2e-2f1d6c0b9a10')).toBe(true);
      expect(validate('with space')).toBe(false);
      expect(validate('é')).toBe(false);
      expect(validate('x'.repeat(256))).toBe(false);
    }
  });

  test("the lists take OBP's list parameters and the cursor, and answer a Link header; nothing else does", () => {
    const LIST_PARAMETERS = ['sort_direction', 'from_date', 'to_date', 'limit', 'offset', 'cursor'];
    for (const op of OPERATIONS) {
      const operation = canonical(op);
      const query = ((operation.parameters ?? []) as JsonObject[]).filter((p) => p.in === 'query');
      const link = Object.keys(operation.responses[String(op.response.status)].headers ?? {}).includes('Link');
      expect({ name: op.name, query: query.map((p) => p.name), link }).toEqual({ name: op.name, query: op.list ? LIST_PARAMETERS : [], link: Boolean(op.list) });
      if (!op.list) continue;
      const byName = Object.fromEntries(query.map((p) => [p.name, p.schema as JsonObject]));
      expect(byName.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 500, default: 50 });
      expect(byName.offset).toMatchObject({ type: 'integer', minimum: 0, maximum: 10_000, default: 0 });
      const sort = new Ajv2020({ strict: false }).compile(byName.sort_direction as JsonObject);
      expect(['ASC', 'desc', 'Asc'].map((v) => sort(v))).toEqual([true, true, true]);
      expect(sort('up')).toBe(false);
    }
  });

  test('every path parameter is bounded: a length limit and a pattern', () => {
    for (const { path, operation } of documented) {
      for (const p of ((operation.parameters ?? []) as JsonObject[]).filter((q) => q.in === 'path')) {
        expect({ path, name: p.name, schema: p.schema }).toEqual({
          path,
          name: p.name,
          schema: expect.objectContaining({ type: 'string', minLength: expect.any(Number), maxLength: expect.any(Number), pattern: expect.any(String) }),
        });
        expect((p.schema as JsonObject).maxLength).toBeLessThanOrEqual(255);
      }
    }
  });

  test('the bearer security scheme is a JWT bearer token', () => {
    expect(doc.components.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
  });

  test('addEntitlement and deleteEntitlement document the super admins and where their bank roles are held', () => {
    expect(canonical(operationByName('addEntitlement')).description).toMatch(
      /super admin.*`CanCreateEntitlementAtOneBank` at the body's `bank_id`.*`CanCreateEntitlementAtAnyBank`/s,
    );
    expect(canonical(operationByName('deleteEntitlement')).description).toMatch(
      /super admin.*`CanDeleteEntitlementAtAnyBank`.*`CanDeleteEntitlementAtOneBank` at the entitlement's bank/s,
    );
    expect(canonical(operationByName('addCustomerMessage')).description).toContain('`CanCreateCustomerMessage` at BANK_ID (bank role)');
  });

  test('the version prefixes are those of the design', () => {
    expect(API_PREFIXES).toEqual(['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0']);
    expect(Object.keys(doc.paths).filter((p) => p.endsWith('/root')).sort()).toEqual(API_PREFIXES.map((v) => `/obp/${v}/root`));
  });
});

describe('the response schemas describe what the code renders', () => {
  const validate = (opName: string, body: unknown, status?: number): void => {
    const op = operationByName(opName);
    const path = operationPaths(op).at(-1) as string;
    check.assertValid(check.responseValidator(op.method, path, status ?? op.response.status), body, `${opName} ${status ?? op.response.status}`);
  };
  const at = '2024-10-16T09:30:00.123Z';
  const bank = (over: Partial<BankRecord> = {}): BankRecord => ({
    bankId: 'gh.29.uk',
    bankCode: 'CGHZ',
    fullName: '',
    logo: '',
    website: '',
    routingScheme: '',
    routingAddress: '',
    swiftBic: '',
    createdAt: at,
    ...over,
  });
  const FULL_CUSTOMER = {
    legal_name: 'Eveline Tripman',
    customer_number: '5987953',
    mobile_phone_number: '+49 30 901820',
    email: ' FelixSmith@Example.com ',
    face_image: { url: 'www.openbankproject', date: '1100-01-01T00:00:00Z' },
    date_of_birth: '2018-03-09',
    relationship_status: 'single',
    dependants: 1,
    dob_of_dependants: ['2013-01-21T23:08:00+01:00'],
    credit_rating: { rating: 'OBP', source: 'OBP' },
    credit_limit: { currency: 'EUR', amount: '0' },
    highest_education_attained: 'Master',
    employment_status: 'worker',
    kyc_status: false,
    last_ok_date: '2023-11-14T18:28:59.077Z',
    title: 'Dr.',
    branch_id: 'DERBY6',
    name_suffix: 'Sr',
  };
  const MINIMAL_CUSTOMER = { legal_name: 'Legal Name', mobile_phone_number: '+44 07972 444 876' };
  const message: MessageRecord = {
    messageId: 'e0e0e0e0-0000-4000-8000-000000000001',
    customerId: 'c',
    bankId: 'gh.29.uk',
    createdAt: at,
    message: 'Your new card is on its way.',
    transport: 'SMS',
    fromDepartment: 'Cards',
    fromPerson: 'Tom',
  };
  const link: UserCustomerLinkRecord = { linkId: 'l', userId: 'alice', customerId: 'c', bankId: 'gh.29.uk', dateInserted: at, isActive: true };
  const entitlement = { entitlementId: 'e', userId: 'alice', roleName: 'CanCreateCustomer', bankId: 'gh.29.uk', createdAt: at };

  test('root', () => {
    for (const v of API_PREFIXES) validate('root', rootInfo(`/obp/${v}/root`));
  });

  test('createBank and getBank (BankJson500), with and without routings, as created and as read', () => {
    const banks = [
      bank(),
      bank({ fullName: 'Full', logo: 'l', website: 'w', routingScheme: 'OBP', routingAddress: 'a', swiftBic: 'BIC1' }),
      bank({ routingScheme: 'BIC', routingAddress: 'b' }),
      bank({ routingScheme: 'IBAN', routingAddress: 'x' }),
    ];
    for (const b of banks) {
      validate('createBank', toBankJson(b, 'created'));
      validate('getBank', toBankJson(b, 'read'));
    }
  });

  test('createCustomer (CustomerJsonV310) and the two reads (CustomerWithAttributesJsonV310), full and minimal bodies', () => {
    for (const body of [FULL_CUSTOMER, MINIMAL_CUSTOMER]) {
      const customer = buildCustomer('gh.29.uk', 'c0ffee00-0000-4000-8000-000000000001', '5987953', body);
      validate('createCustomer', toCustomerJson(customer));
      validate('getCustomerById', toCustomerWithAttributesJson(customer));
      validate('getCustomerByNumber', toCustomerWithAttributesJson(customer));
    }
  });

  test('messages: the success body, both list shapes (and an empty list)', () => {
    validate('addCustomerMessage', SUCCESS);
    validate('createCustomerMessage', SUCCESS);
    validate('getCustomerMessages', { messages: [toCustomerMessageJson(message), toCustomerMessageJson({ ...message, transport: '' })] });
    validate('getMyMessages', { messages: [toMyMessageJson(message)] });
    validate('getMyMessages', { messages: [] });
  });

  test('entitlements and links', () => {
    validate('addEntitlement', toEntitlementJson(entitlement));
    validate('getEntitlements', { list: [toEntitlementJson(entitlement), toEntitlementJson({ ...entitlement, roleName: 'CanCreateBank', bankId: '' })] });
    validate('createUserCustomerLink', toLinkJson(link));
  });

  test('the customer updates (CustomerJsonV310) and the two customer lists (CustomerJsonV300 items, minimal items)', () => {
    for (const body of [FULL_CUSTOMER, MINIMAL_CUSTOMER]) {
      const customer = buildCustomer('gh.29.uk', 'c0ffee00-0000-4000-8000-000000000001', '5987953', body);
      for (const op of OPERATIONS.filter((o) => o.name.startsWith('updateCustomer'))) validate(op.name, toCustomerJson(customer));
      validate('getCustomersAtOneBank', { customers: [toCustomerJsonV300(customer)] });
      validate('getCustomersMinimalAtOneBank', { customers: [toCustomerMinimalJson(customer)] });
    }
    validate('getCustomersAtOneBank', { customers: [] });
    // The list's items render birth dates as plain days, not as the V310 date-times.
    const full = buildCustomer('gh.29.uk', 'c', '1', FULL_CUSTOMER);
    expect(check.responseValidator('GET', '/obp/v5.1.0/banks/{BANK_ID}/customers', 200)({ customers: [toCustomerJson(full)] })).toBe(false);
  });

  test('the access reads and removals: bank entitlements, link lists, the link removal', () => {
    validate('getEntitlementsForBank', { list: [toBankEntitlementJson(entitlement)] });
    validate('getUserCustomerLinksByUserId', { user_customer_links: [toLinkJson(link)] });
    validate('getUserCustomerLinksByCustomerId', { user_customer_links: [] });
    validate('deleteUserCustomerLink', true);
    expect(check.responseValidator('DELETE', '/obp/v5.1.0/banks/{BANK_ID}/user_customer_links/{USER_CUSTOMER_LINK_ID}', 200)(false)).toBe(false);
    // An access review names whose role each entry is.
    expect(check.responseValidator('GET', '/obp/v5.1.0/banks/{BANK_ID}/entitlements', 200)({ list: [toEntitlementJson(entitlement)] })).toBe(false);
  });

  test('the schemas are exact: an extra field, a missing field or a wrong type is refused', () => {
    const customer = toCustomerJson(buildCustomer('gh.29.uk', 'c', '1', MINIMAL_CUSTOMER));
    const validator = check.responseValidator('POST', '/obp/v5.1.0/banks/{BANK_ID}/customers', 201);
    expect(validator({ ...customer, surprise: 1 })).toBe(false);
    const { email: _email, ...withoutEmail } = customer;
    expect(validator(withoutEmail)).toBe(false);
    expect(validator({ ...customer, date_of_birth: '2018-03-09' })).toBe(false); // responses render yyyy-MM-ddTHH:mm:ssZ
    expect(validator({ ...customer, kyc_status: 'false' })).toBe(false);
    expect(check.responseValidator('POST', '/obp/v5.1.0/banks/{BANK_ID}/customers/{CUSTOMER_ID}/messages', 201)({ success: 'OK' })).toBe(false);
  });

  test('the OBP error body of every error the handlers render', () => {
    const bodyOf = (error: unknown) => JSON.parse(errorResult(error, 'req-1').body as string);
    const errors = [
      notLoggedIn(),
      notLoggedIn('The token has expired.'),
      bankNotFound('gh.29.uk'),
      new ObpError(403, `${ObpMessages.UserHasMissingRoles}CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(gh.29.uk).`),
      new ObpError(400, ObpMessages.CustomerNumberAlreadyExists),
      unknownRoute('/obp/v5.1.0/banks/x/customers', 'text/plain'),
      new Error('DynamoDB said no'),
    ];
    const validator = check.schemaValidator('ErrorMessage');
    for (const error of errors) check.assertValid(validator, bodyOf(error), String(error));
    expect(validator({ code: 400, message: 'no OBP code' })).toBe(false);
    expect(validator({ code: '400', message: 'OBP-10001: Incorrect json format.' })).toBe(false);
  });
});

describe('the generator refuses an incomplete operations list', () => {
  const createCustomer = operationByName('createCustomer');
  const build = (op: Operation) => () => buildOpenApi({ operations: [op] });

  test('an operation without a response', () => {
    expect(build({ ...createCustomer, response: undefined as never })).toThrow(/createCustomer has no response/);
    expect(build({ ...createCustomer, response: { status: 201, schema: '' } })).toThrow('createCustomer answers 201 but names no response schema');
    // Only a 204 has no body.
    expect(build({ ...createCustomer, response: { status: 204 } })).not.toThrow();
  });

  test('a response or body schema whose file is missing', () => {
    expect(build({ ...createCustomer, response: { status: 201, schema: 'no-such-response' } })).toThrow(
      'schema file schemas/no-such-response.schema.json does not exist',
    );
    expect(build({ ...createCustomer, body: { schema: 'no-such-body', obpName: 'X' } })).toThrow('schemas/no-such-body.schema.json does not exist');
    expect(build({ ...createCustomer, body: { schema: '', obpName: 'X' } })).toThrow(/body without a schema/);
  });

  test('a body schema whose title is not the OBP name in the operations list', () => {
    expect(build({ ...createCustomer, body: { schema: 'create-customer', obpName: 'PostCustomerJsonV310' } })).toThrow(/title PostCustomerJsonV500/);
  });

  test('a schema with a $ref the document cannot hold, or without a title', () => {
    const withSchema = (schema: JsonObject) => () =>
      buildOpenApi({ operations: [createCustomer], loadSchema: (name) => (name === 'customer-response' ? schema : loadSchemaFile(name)) });
    expect(withSchema({ title: 'X', type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } })).toThrow(/\$ref the document cannot hold/);
    expect(withSchema({ title: 'X', type: 'object', properties: { a: { $ref: '#/$defs/missing' } } })).toThrow(/\$ref the document cannot hold/);
    expect(withSchema({ type: 'object' })).toThrow(/needs a title/);
  });

  test('the real operations list builds', () => {
    expect(() => buildOpenApi()).not.toThrow();
  });
});

describe('where the document is published', () => {
  test('the AWS function returns the generated document, the same as the generator builds (npm run generate)', async () => {
    const result = await openApiHandler();
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(result.body as string)).toEqual(buildOpenApi());
  });

  test('the local server serves the same document at /openapi.json and its docs page assets from swagger-ui-dist', () => {
    const routes = docsRoutes(doc);
    expect(routes.map((r) => key(r.method, r.path))).toEqual(
      expect.arrayContaining(['GET /openapi.json', 'GET /docs', 'GET /docs/swagger-ui-bundle.js', 'GET /docs/swagger-ui.css']),
    );
    expect(readFileSync(require.resolve('swagger-ui-dist/package.json'), 'utf8')).toContain('"name": "swagger-ui-dist"');
  });
});
