// The OpenAPI document: valid OpenAPI 3.1 (swagger-parser), complete (every served route, every version prefix,
// every operation's body, responses, security and roles), its schemas true to what the domain code renders, and
// a generator that refuses to build a document with a missing schema or response.
import { OBP_ERROR_KEYWORD } from '../../functions/http/middleware/validate-body';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROLE_SCOPES } from '../../functions/shared/roles';
import { errorResult } from '../../functions/http/middleware/respond';
import { bankNotFound, notLoggedIn, ObpError, ObpMessages, unknownRoute } from '../../functions/shared/obp-errors';
import type { BankRecord, MessageRecord, UserCustomerLinkRecord } from '../../functions/data/records';
import { toBankJson } from '../../functions/domain/banks';
import { buildCustomer, toCustomerJson, toCustomerWithAttributesJson } from '../../functions/domain/customers';
import { toEntitlementJson } from '../../functions/domain/entitlements';
import { toLinkJson } from '../../functions/domain/links';
import { SUCCESS, toCustomerMessageJson, toMyMessageJson } from '../../functions/domain/messages';
import { rootInfo } from '../../functions/domain/root';
import { handler as openApiHandler } from '../../functions/openapi/handler';
import { API_PREFIXES, OPERATIONS, operationByName, operationPaths, type Operation } from '../../functions/shared/operations';
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

  test('the Person operations of the brief are tagged Person', () => {
    for (const name of PERSON_OPERATIONS) {
      const op = operationByName(name);
      for (const path of operationPaths(op)) expect(check.operation(op.method, path).tags).toEqual(['Person']);
    }
  });
});

describe('each operation is documented as it behaves', () => {
  const canonical = (op: Operation) => check.operation(op.method, operationPaths(op).at(-1) as string);

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
    // Success
    const success = operation.responses[String(op.response.status)];
    expect(success.content['application/json'].schema.$ref).toBe(`#/components/schemas/${loadSchemaFile(op.response.schema as string).title}`);
    expect(Object.keys(operation.responses).filter((s) => s.startsWith('2'))).toEqual([String(op.response.status)]);
    // Errors: the OBP error body on every one
    const errors = Object.keys(operation.responses).filter((s) => !s.startsWith('2'));
    expect(errors).toContain('500');
    if (op.auth) expect(errors).toContain('401');
    else expect(errors).not.toContain('401');
    if (op.body) expect(errors).toContain('400');
    if (op.roles.length > 0) expect(errors).toContain('403');
    if (/\{(BANK_ID|CUSTOMER_ID)\}/.test(op.path)) expect(errors).toContain('404');
    for (const status of errors) {
      const response = operation.responses[status].$ref.split('/').slice(1).reduce((n: any, p: string) => n[p], doc);
      expect(response.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorMessage' });
      if (status === '401') expect(Object.keys(response.headers)).toContain('WWW-Authenticate');
    }
    // Security
    expect(operation.security).toEqual(op.auth ? [{ bearerAuth: [] }] : []);
    // Roles, in the description and as data
    for (const role of op.roles) {
      const where = op.roleScope === 'body' ? "the body's `bank_id`" : 'BANK_ID';
      expect(operation.description).toContain(ROLE_SCOPES[role] === 'bank' ? `\`${role}\` at ${where}` : `\`${role}\` (system role`);
    }
    expect(operation['x-obp-roles']).toEqual(op.roles.map((role) => ({ role, scope: ROLE_SCOPES[role] })));
    if (op.roles.length > 1) expect(operation.description).toContain('any one of');
  });

  test('the bearer security scheme is a JWT bearer token', () => {
    expect(doc.components.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
  });

  test('addEntitlement documents its super-admin / entitlement-granting permission and its 403', () => {
    const op = operationByName('addEntitlement');
    const operation = canonical(op);
    expect(operation.description).toMatch(/super admin.*CanCreateEntitlementAtOneBank` at the body's `bank_id`.*CanCreateEntitlementAtAnyBank/s);
    expect(Object.keys(operation.responses)).toContain('403');
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
    expect(build({ ...createCustomer, response: { status: 201, schema: '' } })).toThrow(/createCustomer has no response/);
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
