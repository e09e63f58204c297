// Builds the OpenAPI 3.1 document from the operations list and the JSON Schemas in schemas/. Pure: it reads the
// schema files and returns the document; scripts/generate.ts writes it to generated/, the tests validate it (and
// check every response they receive against it, test/support/openapi-responses.ts), and the local server and the
// AWS function serve it. It throws when an operation lacks a response, a schema file is missing, or a schema cannot
// be embedded, so a broken document never gets built.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { API_PREFIXES, OPERATIONS, operationPaths, takesIdempotencyKey, type Operation, type RoleScope } from '../functions/common/operations';
import { ROLE_SCOPES, type RoleName } from '../functions/common/roles';
import { IDEMPOTENCY_KEY_PARAMETER, LIST_PARAMETERS, pathParameterObjects } from './openapi/parameters';
import { ERROR_RESPONSES, errorResponseRef, errorStatuses, TOO_MANY_REQUESTS } from './openapi/responses';
import { SchemaRegistry } from './openapi/schema-registry';
import type { JsonObject, OpenApiDocument } from './openapi/types';

export type { JsonObject, OpenApiDocument } from './openapi/types';

const ROOT = join(__dirname, '..');

/** Where the document itself is published, locally and in AWS. Not an OBP operation, but in the document. */
export const OPENAPI_ROUTE = { method: 'GET', path: '/openapi.json' } as const;

/** Where `npm run generate` writes the document. */
export const OPENAPI_FILE = join(ROOT, 'generated', 'openapi.json');

/** The document as a module (its JSON text), for the AWS function to serve; see scripts/build-entries.ts on JSON imports. */
export const OPENAPI_MODULE = join(ROOT, 'generated', 'openapi-document.ts');

/** The schema of OBP's error body (schemas/obp-error.schema.json). */
export const ERROR_SCHEMA = 'obp-error';

/** OBP API Explorer's "Person" operations: create a customer, and message a customer in two OBP versions. */
export const PERSON_OPERATIONS = ['createCustomer', 'addCustomerMessage', 'createCustomerMessage'] as const;

export interface BuildOpenApiOptions {
  /** Defaults to the operations list. */
  operations?: readonly Operation[];
  /** Reads schemas/<name>.schema.json; tests may pass their own. Must throw for an unknown name. */
  loadSchema?: (name: string) => JsonObject;
  /** The server URL in the document; "/" (the host that serves the document) by default. */
  serverUrl?: string;
  /** The document's version; package.json's by default. */
  version?: string;
}

export const schemaPath = (name: string): string => join(ROOT, 'schemas', `${name}.schema.json`);

export const loadSchemaFile = (name: string): JsonObject => {
  const file = schemaPath(name);
  if (!existsSync(file)) throw new Error(`OpenAPI: schema file schemas/${name}.schema.json does not exist`);
  return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
};

const packageVersion = (): string => (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

// ---- Tags -------------------------------------------------------------------------------------------------------

const TAGS = [
  { name: 'Person', description: 'Create a customer and message a customer (OBP API Explorer v5.1.0, tag Person).' },
  { name: 'Customer', description: 'Read, correct and list customers, and link users to them.' },
  { name: 'Customer Message', description: "Read customers' messages." },
  { name: 'Bank', description: 'Create and read banks.' },
  { name: 'Role', description: 'Entitlements: grant, list and revoke roles.' },
  { name: 'User', description: 'The logged-in user.' },
  { name: 'API', description: 'API information and health.' },
  { name: 'Documentation', description: 'This document.' },
] as const;

type TagName = (typeof TAGS)[number]['name'];

/** An operation's tag: Person for the three Person operations, otherwise from what its path is about. */
const tagOf = (op: Operation): TagName => {
  if ((PERSON_OPERATIONS as readonly string[]).includes(op.name)) return 'Person';
  if (op.path === '/root') return 'API';
  if (/\/messages$/.test(op.path)) return 'Customer Message';
  if (/\/entitlements?(\/|$)/.test(op.path)) return 'Role';
  if (/\/customers?\b|user_customer_links|customers-minimal/.test(op.path)) return 'Customer';
  if (op.path.startsWith('/users')) return 'User';
  if (op.path.startsWith('/banks')) return 'Bank';
  throw new Error(`OpenAPI: no tag for operation ${op.name} (${op.path}); add a rule to tagOf in scripts/openapi.ts`);
};

// ---- Descriptions -----------------------------------------------------------------------------------------------

/** Where a bank role is held, by the operation's role scope. */
const ROLE_BANK: Record<RoleScope, string> = {
  path: 'BANK_ID',
  body: "the body's `bank_id`",
  entitlement: "the entitlement's bank",
};

const roleText = (role: RoleName, scope: RoleScope): string =>
  ROLE_SCOPES[role] === 'bank' ? `\`${role}\` at ${ROLE_BANK[scope]} (bank role)` : `\`${role}\` (system role, bank_id "")`;

/** Who may call the operation, from its entry in the operations list (the chain and the operation check the same data). */
const permissionText = (op: Operation): string | undefined => {
  const scope = op.roleScope ?? 'path';
  const options = [...(op.superAdmin ? ['a super admin (`SUPER_ADMIN_USER_IDS`)'] : []), ...op.roles.map((role) => roleText(role, scope))];
  if (options.length === 0) return undefined;
  return `**Permission** (any one of): ${options.join(', or ')}. Otherwise 403 \`OBP-20006\`.`;
};

const describeOperation = (op: Operation, version: string, canonical: boolean, bodyTitle: string | undefined, aliases: string[]): string => {
  const lines: string[] = [`OBP operation \`${op.name}\`, following OBP's ${op.obpVersion} implementation.`, ''];
  lines.push(
    op.auth ? '**Authentication:** a bearer access token (`Authorization: Bearer <JWT>`); without a valid one, 401 `OBP-20001`.' : '**Authentication:** none (anonymous).',
  );
  lines.push('', permissionText(op) ?? (op.auth ? '**Roles:** none; any logged-in user.' : '**Roles:** none.'));
  if (bodyTitle) {
    lines.push('', `**Body:** OBP's \`${bodyTitle}\`. Unknown fields are ignored; text fields also accept a whole JSON number (a safe integer), stored as its decimal text.`);
  }
  if (op.list) {
    lines.push(
      '',
      '**Paging:** at most `limit` items per page. When more follow, the `Link` header holds the next page\'s URL (`rel="next"`, with a `cursor`); the last page has none. Walking the pages returns every item exactly once, also while items are being added.',
    );
  }
  if (takesIdempotencyKey(op)) lines.push('', '**Retries:** send an `Idempotency-Key` to make a retry safe (see the header).');
  lines.push(
    '',
    canonical
      ? `**Version prefixes:** served under ${aliases.map((v) => `\`/obp/${v}\``).join(', ')}; this entry is the newest (\`/obp/${version}\`).`
      : `**Version prefixes:** the same operation as \`${op.name}\`, under \`/obp/${version}\`.`,
  );
  return lines.join('\n');
};

// ---- Operations -------------------------------------------------------------------------------------------------

const operationId = (op: Operation, version: string, canonical: boolean): string => (canonical ? op.name : `${op.name}_${version.replace(/\./g, '_')}`);

const versionOf = (fullPath: string): string => {
  const version = API_PREFIXES.find((v) => fullPath.startsWith(`/obp/${v}/`));
  if (!version) throw new Error(`OpenAPI: path ${fullPath} has no known version prefix`);
  return version;
};

/** The headers the functions put on every answer, success or error (functions/http/middleware/respond.ts). */
const everyResponse = Object.fromEntries(
  ['X-Request-Id', 'Cache-Control', 'X-Content-Type-Options', 'Strict-Transport-Security'].map((name) => [name, { $ref: `#/components/headers/${name}` }]),
);

const successResponse = (op: Operation, schemas: SchemaRegistry): JsonObject => {
  const { status, schema } = op.response;
  const headers: JsonObject = {
    ...everyResponse,
    ...(op.list ? { Link: { $ref: '#/components/headers/Link' } } : {}),
    ...(takesIdempotencyKey(op) ? { 'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' } } : {}),
  };
  if (status === 204) return { description: 'No Content: done.', headers };
  if (!schema) throw new Error(`OpenAPI: operation ${op.name} answers ${status} but names no response schema`);
  const ref = schemas.ref(schema, `response of ${op.name}`);
  return {
    description: `${status === 201 ? 'Created' : 'OK'}: \`${schemas.title(schema)}\`.`,
    headers,
    content: { 'application/json': { schema: ref } },
  };
};

const operationObject = (op: Operation, fullPath: string, versions: string[], schemas: SchemaRegistry): JsonObject => {
  const version = versionOf(fullPath);
  const canonical = version === versions[versions.length - 1];
  const bodyRef = op.body ? schemas.ref(op.body.schema, `body of ${op.name}`) : undefined;
  if (op.body && schemas.title(op.body.schema) !== op.body.obpName) {
    throw new Error(`OpenAPI: schemas/${op.body.schema}.schema.json has title ${schemas.title(op.body.schema)}, the operations list says ${op.body.obpName}`);
  }
  const responses: JsonObject = { [String(op.response.status)]: successResponse(op, schemas) };
  for (const status of errorStatuses(op, permissionText(op) !== undefined)) responses[String(status)] = errorResponseRef(status);
  const parameters = [...pathParameterObjects(op), ...(op.list ? LIST_PARAMETERS : []), ...(takesIdempotencyKey(op) ? [IDEMPOTENCY_KEY_PARAMETER] : [])];
  const example = op.body ? schemas.example(op.body.schema) : undefined;
  return {
    operationId: operationId(op, version, canonical),
    summary: op.summary,
    description: describeOperation(op, version, canonical, op.body ? schemas.title(op.body.schema) : undefined, versions),
    tags: [tagOf(op)],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body && bodyRef
      ? { requestBody: { required: true, content: { 'application/json': { schema: bodyRef, ...(example === undefined ? {} : { example }) } } } }
      : {}),
    responses,
    security: op.auth ? [{ bearerAuth: [] }] : [],
    'x-obp-operation': op.name,
    'x-obp-version': op.obpVersion,
    'x-obp-roles': op.roles.map((role) => ({ role, scope: ROLE_SCOPES[role] })),
  };
};

const componentResponses = (errorRef: { $ref: string }): JsonObject => ({
  ...Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, { name, description, example }]) => [
      name,
      {
        description,
        headers: {
          ...everyResponse,
          ...(status === '401'
            ? { 'WWW-Authenticate': { description: '`Bearer`, or `Bearer error="invalid_token"` when a token was sent but refused.', schema: { type: 'string' } } }
            : {}),
        },
        content: { 'application/json': { schema: errorRef, example: { code: Number(status), message: example } } },
      },
    ]),
  ),
  [TOO_MANY_REQUESTS.name]: {
    description: TOO_MANY_REQUESTS.description,
    content: { 'application/json': { schema: TOO_MANY_REQUESTS.schema, example: { message: 'Too Many Requests' } } },
  },
});

const DOCUMENT_DESCRIPTION = [
  "OBP's Person operations (create a customer, message a customer) and the operations around them — correcting, listing",
  'and paging customers, revoking roles and links — compatible with the Open Bank Project API. Each operation answers under',
  'the prefix of the OBP version that implements it and under every newer',
  `prefix of ${API_PREFIXES.map((v) => `\`/obp/${v}\``).join(', ')}; each prefix is listed here.`,
  '',
  "**Authentication:** `Authorization: Bearer <JWT>`, an access token of the deployment's issuer (Cognito by default). Locally,",
  '`POST /local/tokens` with `{"user_id": "alice"}` (or `npm run token -- alice`) gives a development token.',
  '',
  '**Roles** are entitlements granted with addEntitlement and revoked with deleteEntitlement; super admins',
  '(`SUPER_ADMIN_USER_IDS`) may grant and revoke any role. An operation that lists several roles needs any one of them; a',
  'bank role is held at the BANK_ID of the path unless the operation says otherwise.',
  '',
  '**Errors** always have the body `{"code": <HTTP status>, "message": "OBP-NNNNN: <text>"}`. Checks run in this order:',
  "authentication (401), bank exists (404), roles (403), the path's customer (404), list parameters (400),",
  'Idempotency-Key (400 malformed, a replay, or 422 for another body), body (400), business rules, the write (409 while',
  'a request with the same Idempotency-Key is still being written). In AWS, API Gateway itself may answer 429',
  '(throttling) with its own body `{"message": "Too Many Requests"}`.',
  '',
  '**Lists** are paged: at most `limit` items (default 50, at most 500); the next page is in the `Link` header.',
  'Every answer carries `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`.',
].join('\n');

export const buildOpenApi = (options: BuildOpenApiOptions = {}): OpenApiDocument => {
  const operations = options.operations ?? OPERATIONS;
  const schemas = new SchemaRegistry(options.loadSchema ?? loadSchemaFile);
  const paths: Record<string, Record<string, JsonObject>> = {};
  const errorRef = schemas.ref(ERROR_SCHEMA, 'the OBP error body');
  const seenIds = new Set<string>();

  for (const op of operations) {
    if (!op.response?.status) throw new Error(`OpenAPI: operation ${op.name} has no response status in the operations list`);
    if (op.body && !op.body.schema) throw new Error(`OpenAPI: operation ${op.name} has a body without a schema`);
    const fullPaths = operationPaths(op);
    if (fullPaths.length === 0) throw new Error(`OpenAPI: operation ${op.name} is served under no version prefix`);
    const versions = fullPaths.map(versionOf);
    // Newest prefix first: it carries the plain operation id.
    for (const fullPath of [...fullPaths].reverse()) {
      const object = operationObject(op, fullPath, versions, schemas);
      if (seenIds.has(object.operationId as string)) throw new Error(`OpenAPI: duplicate operationId ${String(object.operationId)}`);
      seenIds.add(object.operationId as string);
      const method = op.method.toLowerCase();
      const item = (paths[fullPath] ??= {});
      if (item[method]) throw new Error(`OpenAPI: ${op.method} ${fullPath} is defined twice`);
      item[method] = object;
    }
  }

  // The document itself.
  paths[OPENAPI_ROUTE.path] = {
    [OPENAPI_ROUTE.method.toLowerCase()]: {
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI document',
      description: 'The OpenAPI 3.1 document of this API, generated from its operations list and JSON Schemas. Anonymous.',
      tags: ['Documentation'],
      security: [],
      responses: {
        '200': {
          description: 'OK: the OpenAPI 3.1 document.',
          content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'] } } },
        },
        '429': errorResponseRef(429),
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'OBP Person API',
      version: options.version ?? packageVersion(),
      summary: 'Open Bank Project compatible customer and customer-messaging API on AWS Lambda, API Gateway and DynamoDB.',
      description: DOCUMENT_DESCRIPTION,
      contact: { name: 'obp-person-api maintainers', url: 'https://www.openbankproject.com/' },
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: options.serverUrl ?? '/', description: 'The host that serves this document' }],
    tags: TAGS.map((t) => ({ ...t })),
    paths,
    components: {
      schemas: schemas.components,
      responses: componentResponses(errorRef),
      headers: {
        'X-Request-Id': {
          description: "The platform's request id (API Gateway's, or the local server's): also in the logs and in a 500's message.",
          schema: { type: 'string' },
        },
        'Cache-Control': {
          description: '`no-store`: customer data must not be kept by a proxy or a browser.',
          schema: { type: 'string', const: 'no-store' },
        },
        'X-Content-Type-Options': {
          description: '`nosniff`: the body is what its Content-Type says.',
          schema: { type: 'string', const: 'nosniff' },
        },
        'Strict-Transport-Security': {
          description: 'In AWS (HTTPS only): `max-age=63072000; includeSubDomains`. The local server (plain HTTP) does not send it.',
          schema: { type: 'string', examples: ['max-age=63072000; includeSubDomains'] },
        },
        Link: {
          description: 'RFC 8288: `<URL of the next page>; rel="next"` when more items follow; absent on the last page.',
          schema: { type: 'string', examples: ['</obp/v5.0.0/banks/gh.29.uk/customers?limit=50&cursor=eyJTSyI6Ik1TRyMyMDI0In0.aBcD>; rel="next"'] },
        },
        'Idempotent-Replayed': {
          description: '`true` when this answer repeats the first success of a request with the same Idempotency-Key.',
          schema: { type: 'string', const: 'true' },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "An OAuth2/OIDC access token of the deployment's issuer, verified by each function (signature, iss, aud, exp, nbf, typ, token_use, a lifetime of at most 24 hours).",
        },
      },
    },
  };
};

/** Builds the document and writes it to generated/ (the CDK app builds it before bundling). */
export const writeOpenApi = (document: OpenApiDocument = buildOpenApi()): OpenApiDocument => {
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(
    OPENAPI_MODULE,
    `// Generated by scripts/openapi.ts from the operations list and the schemas. Do not edit.\nexport const OPENAPI_JSON = ${JSON.stringify(JSON.stringify(document))};\n`,
  );
  return document;
};
