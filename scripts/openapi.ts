// Builds the OpenAPI 3.1 document from the operations list and the JSON Schemas in schemas/. Pure: it reads the
// schema files and returns the document; scripts/build-openapi.ts writes it to generated/openapi.json, the tests
// validate it, and the local server and the AWS function serve it. It throws when an operation lacks a response,
// when a schema file is missing, or when a schema cannot be embedded, so a broken document never gets built.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROLE_SCOPES, type RoleName } from '../functions/core/roles';
import { API_PREFIXES, OPERATIONS, operationPaths, type Operation } from '../functions/operations';

const ROOT = join(__dirname, '..');

/** Where the document itself is published, locally and in AWS. Not an OBP operation, but in the document. */
export const OPENAPI_ROUTE = { method: 'GET', path: '/openapi.json' } as const;

/** Where `npm run build:openapi` writes the document; functions/openapi/handler.ts embeds this file. */
export const OPENAPI_FILE = join(ROOT, 'generated', 'openapi.json');

/** The schema of OBP's error body (schemas/obp-error.schema.json). */
export const ERROR_SCHEMA = 'obp-error';

/** The operations of the brief (OBP API Explorer tag "Person"). */
export const PERSON_OPERATIONS = ['createCustomer', 'addCustomerMessage', 'createCustomerMessage'] as const;

export type JsonObject = { [key: string]: unknown };
export type OpenApiDocument = JsonObject & {
  openapi: string;
  info: JsonObject;
  paths: Record<string, Record<string, JsonObject>>;
  components: JsonObject & { schemas: Record<string, JsonObject> };
};

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
  { name: 'Customer', description: 'Read customers and link users to them.' },
  { name: 'Customer Message', description: "Read customers' messages." },
  { name: 'Bank', description: 'Create and read banks.' },
  { name: 'Role', description: 'Entitlements: grant and list roles.' },
  { name: 'User', description: 'The logged-in user.' },
  { name: 'API', description: 'API information and health.' },
  { name: 'Documentation', description: 'This document.' },
] as const;

type TagName = (typeof TAGS)[number]['name'];

/** An operation's tag: Person for the brief's three, otherwise from what its path is about. */
const tagOf = (op: Operation): TagName => {
  if ((PERSON_OPERATIONS as readonly string[]).includes(op.name)) return 'Person';
  if (op.path === '/root') return 'API';
  if (/\/messages$/.test(op.path)) return 'Customer Message';
  if (/\/customers?\b|user_customer_links/.test(op.path)) return 'Customer';
  if (/\/entitlements$/.test(op.path)) return 'Role';
  if (op.path.startsWith('/users')) return 'User';
  if (op.path.startsWith('/banks')) return 'Bank';
  throw new Error(`OpenAPI: no tag for operation ${op.name} (${op.path}); add a rule to tagOf in scripts/openapi.ts`);
};

// ---- Schemas ----------------------------------------------------------------------------------------------------

const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Puts each schema under components.schemas, keyed by its title. Its `$defs` become their own components
 * (`<Title>_<def>`) and its internal `#/$defs/…` refs are rewritten to point at them; `$id` and `$schema` are
 * dropped (the document's dialect is JSON Schema 2020-12, and a `$id` would change how refs resolve).
 */
class SchemaRegistry {
  readonly components: Record<string, JsonObject> = {};
  private readonly byFile = new Map<string, string>();

  constructor(private readonly load: (name: string) => JsonObject) {}

  /** A `$ref` object to the embedded schema of schemas/<file>.schema.json. */
  ref(file: string, usedBy: string): { $ref: string } {
    let key = this.byFile.get(file);
    if (key === undefined) {
      const schema = this.load(file);
      if (!schema || typeof schema !== 'object') throw new Error(`OpenAPI: schemas/${file}.schema.json (${usedBy}) is not a JSON object`);
      const title = schema.title;
      if (typeof title !== 'string' || !COMPONENT_NAME.test(title)) {
        throw new Error(`OpenAPI: schemas/${file}.schema.json (${usedBy}) needs a title made of letters, digits, '.', '_' or '-'`);
      }
      if (this.components[title]) throw new Error(`OpenAPI: two schemas have the title ${title} (schemas/${file}.schema.json and another)`);
      key = title;
      this.byFile.set(file, key); // before embedding, so schemas that refer to each other terminate
      if (schema.$id !== undefined && schema.$id !== file) {
        throw new Error(`OpenAPI: schemas/${file}.schema.json has $id ${String(schema.$id)}; it must be its file name (${file})`);
      }
      const { $id: _id, $schema: _dialect, $defs, ...rest } = schema;
      const defs = ($defs ?? {}) as Record<string, JsonObject>;
      const rewrite = (node: unknown, where: string): unknown => {
        if (Array.isArray(node)) return node.map((n, i) => rewrite(n, `${where}/${i}`));
        if (node === null || typeof node !== 'object') return node;
        const out: JsonObject = {};
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref') {
            const local = typeof v === 'string' ? /^#\/\$defs\/([^/]+)$/.exec(v) : null;
            const other = typeof v === 'string' ? /^([a-z0-9-]+)$/.exec(v) : null;
            if (local && Object.hasOwn(defs, local[1] as string)) out.$ref = `#/components/schemas/${title}_${local[1]}`;
            else if (other) out.$ref = this.ref(other[1] as string, `$ref in schemas/${file}.schema.json`).$ref;
            else {
              throw new Error(
                `OpenAPI: schemas/${file}.schema.json has a $ref the document cannot hold at ${where}: ${String(v)} (use #/$defs/<name> of the same file, or another schema's $id, its file name)`,
              );
            }
          } else if (k === '$defs' || k === '$id' || k === '$anchor' || k === '$dynamicRef' || k === '$dynamicAnchor') {
            throw new Error(`OpenAPI: schemas/${file}.schema.json uses ${k} at ${where}; keep $defs at the top level`);
          } else if (k === 'properties' || k === 'patternProperties') {
            // Property names are data, not keywords: copy the names, rewrite the schemas under them.
            out[k] = Object.fromEntries(Object.entries(v as JsonObject).map(([name, s]) => [name, rewrite(s, `${where}/${k}/${name}`)]));
          } else {
            out[k] = rewrite(v, `${where}/${k}`);
          }
        }
        return out;
      };
      this.components[title] = rewrite(rest, '#') as JsonObject;
      for (const [name, def] of Object.entries(defs)) {
        const defKey = `${title}_${name}`;
        if (!COMPONENT_NAME.test(defKey)) throw new Error(`OpenAPI: schemas/${file}.schema.json has a $defs name the document cannot use: ${name}`);
        this.components[defKey] = rewrite(def, `#/$defs/${name}`) as JsonObject;
      }
    }
    return { $ref: `#/components/schemas/${key}` };
  }

  title(file: string): string {
    return this.byFile.get(file) as string;
  }

  /** The schema's first top-level example, shown as the request body's example. */
  example(file: string): unknown {
    const examples = this.components[this.title(file)]?.examples;
    return Array.isArray(examples) ? examples[0] : undefined;
  }
}

// ---- Operations -------------------------------------------------------------------------------------------------

const PATH_PARAMETERS: Record<string, { description: string; example: string }> = {
  BANK_ID: { description: 'The bank id (4 to 16 characters of letters, digits, `-`, `.`, `_`).', example: 'gh.29.uk' },
  CUSTOMER_ID: { description: "The customer's id (customer_id of createCustomer).", example: '7uy8a7e4-6d02-40e3-a129-0b2bf89de8uh' },
  USER_ID: { description: "The user's id: the `sub` of the user's token.", example: 'alice' },
};

const pathParameters = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

const roleText = (role: RoleName): string =>
  ROLE_SCOPES[role] === 'bank' ? `\`${role}\` at BANK_ID (bank role)` : `\`${role}\` (system role, bank_id "")`;

/** Permission rules that are not a role list (documented by hand, checked in the domain code). */
const CUSTOM_PERMISSIONS: Record<string, string> = {
  addEntitlement:
    '**Permission:** the caller is a super admin (`SUPER_ADMIN_USER_IDS`), or holds `CanCreateEntitlementAtOneBank` at the ' +
    "body's `bank_id` (bank role), or `CanCreateEntitlementAtAnyBank` (system role). Otherwise 403 `OBP-20050 … orOBP-20006 …`.",
};

const describeOperation = (op: Operation, version: string, canonical: boolean, bodyTitle: string | undefined, aliases: string[]): string => {
  const lines: string[] = [];
  lines.push(`OBP operation \`${op.name}\`, following OBP's ${op.obpVersion} implementation.`);
  lines.push('');
  if (op.auth) lines.push('**Authentication:** a bearer token (`Authorization: Bearer <JWT>`); without a valid one, 401 `OBP-20001`.');
  else lines.push('**Authentication:** none (anonymous).');
  lines.push('');
  if (op.roles.length > 0) {
    lines.push(`**Roles** (any one of): ${op.roles.map(roleText).join(', or ')}. Otherwise 403 \`OBP-20006\`.`);
  } else if (CUSTOM_PERMISSIONS[op.name]) {
    lines.push(CUSTOM_PERMISSIONS[op.name] as string);
  } else {
    lines.push(op.auth ? '**Roles:** none; any logged-in user.' : '**Roles:** none.');
  }
  if (bodyTitle) {
    lines.push('');
    lines.push(`**Body:** OBP's \`${bodyTitle}\`. Unknown fields are ignored; string fields also accept JSON numbers (stored as their decimal text).`);
  }
  lines.push('');
  lines.push(
    canonical
      ? `**Version prefixes:** served under ${aliases.map((v) => `\`/obp/${v}\``).join(', ')}; this entry is the newest (\`/obp/${version}\`).`
      : `**Version prefixes:** the same operation as \`${op.name}\`, under \`/obp/${version}\`.`,
  );
  return lines.join('\n');
};

const errorResponse = (status: number): { $ref: string } => ({ $ref: `#/components/responses/${ERROR_RESPONSES[status]?.name}` });

const ERROR_RESPONSES: Record<number, { name: string; description: string; example: string }> = {
  400: {
    name: 'BadRequest',
    description:
      'The body is not JSON or does not match its schema (`OBP-10001`, `OBP-10020`), or a business rule refused it (e.g. `OBP-30006`, `OBP-30008`, `OBP-34000`).',
    example: 'OBP-10001: Incorrect json format. legal_name is required.',
  },
  401: {
    name: 'Unauthorized',
    description: 'No token, or a token that is malformed, badly signed, expired, or for another issuer or audience.',
    example: 'OBP-20001: User not logged in. Authentication is required!',
  },
  403: {
    name: 'Forbidden',
    description: 'The caller holds none of the roles the operation requires (the message names every acceptable role).',
    example: 'OBP-20006: User is missing one or more roles: CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(gh.29.uk).',
  },
  404: {
    name: 'NotFound',
    description:
      'The bank (`OBP-30001`) or the customer (`OBP-30046`, `OBP-30002`) does not exist at this bank, or no route matches the method, path and content type (`OBP-10404`; send `Content-Type: application/json`).',
    example: 'OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is gh.29.uk',
  },
  500: {
    name: 'InternalError',
    description: 'An unexpected failure. No internals are shown; the request id is in the message, the X-Request-Id header and the logs.',
    example: 'OBP-50000: Unknown Error. Request id: 6a4b5c0e-1d2f-4a3b-9c8d-7e6f5a4b3c2d',
  },
};

/** The error statuses an operation can answer, from what its definition says it checks (DESIGN §2 check order). */
export const errorStatuses = (op: Operation): number[] => {
  const statuses = new Set<number>();
  if (op.body) statuses.add(400).add(404); // invalid body; a non-JSON content type matches no route (OBP-10404)
  if (op.auth) statuses.add(401);
  if (op.roles.length > 0 || CUSTOM_PERMISSIONS[op.name]) statuses.add(403);
  if (pathParameters(op.path).some((p) => p === 'BANK_ID' || p === 'CUSTOMER_ID')) statuses.add(404);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
};

const operationId = (op: Operation, version: string, canonical: boolean): string =>
  canonical ? op.name : `${op.name}_${version.replace(/\./g, '_')}`;

const versionOf = (fullPath: string): string => {
  const version = API_PREFIXES.find((v) => fullPath.startsWith(`/obp/${v}/`));
  if (!version) throw new Error(`OpenAPI: path ${fullPath} has no known version prefix`);
  return version;
};

export const buildOpenApi = (options: BuildOpenApiOptions = {}): OpenApiDocument => {
  const operations = options.operations ?? OPERATIONS;
  const schemas = new SchemaRegistry(options.loadSchema ?? loadSchemaFile);
  const paths: Record<string, Record<string, JsonObject>> = {};
  const errorRef = schemas.ref(ERROR_SCHEMA, 'the OBP error body');
  const seenIds = new Set<string>();

  for (const op of operations) {
    if (!op.response || !op.response.schema || !op.response.status) {
      throw new Error(`OpenAPI: operation ${op.name} has no response (status and schema) in the operations list`);
    }
    if (op.body && !op.body.schema) throw new Error(`OpenAPI: operation ${op.name} has a body without a schema`);
    const responseRef = schemas.ref(op.response.schema, `response of ${op.name}`);
    const bodyRef = op.body ? schemas.ref(op.body.schema, `body of ${op.name}`) : undefined;
    if (op.body && schemas.title(op.body.schema) !== op.body.obpName) {
      throw new Error(`OpenAPI: schemas/${op.body.schema}.schema.json has title ${schemas.title(op.body.schema)}, the operations list says ${op.body.obpName}`);
    }
    const fullPaths = operationPaths(op);
    if (fullPaths.length === 0) throw new Error(`OpenAPI: operation ${op.name} is served under no version prefix`);
    const versions = fullPaths.map(versionOf);
    // Newest prefix first: it carries the plain operation id.
    for (const fullPath of [...fullPaths].reverse()) {
      const version = versionOf(fullPath);
      const canonical = version === versions[versions.length - 1];
      const id = operationId(op, version, canonical);
      if (seenIds.has(id)) throw new Error(`OpenAPI: duplicate operationId ${id}`);
      seenIds.add(id);
      const method = op.method.toLowerCase();
      const item = (paths[fullPath] ??= {});
      if (item[method]) throw new Error(`OpenAPI: ${op.method} ${fullPath} is defined twice`);
      const responses: JsonObject = {
        [String(op.response.status)]: {
          description: `${op.response.status === 201 ? 'Created' : 'OK'}: \`${schemas.title(op.response.schema)}\`.`,
          headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
          content: { 'application/json': { schema: responseRef } },
        },
      };
      for (const status of errorStatuses(op)) responses[String(status)] = errorResponse(status);
      item[method] = {
        operationId: id,
        summary: op.summary,
        description: describeOperation(op, version, canonical, op.body ? schemas.title(op.body.schema) : undefined, versions),
        tags: [tagOf(op)],
        ...(pathParameters(op.path).length > 0
          ? {
              parameters: pathParameters(op.path).map((name) => ({
                name,
                in: 'path',
                required: true,
                ...(PATH_PARAMETERS[name] ? { description: PATH_PARAMETERS[name].description } : {}),
                schema: { type: 'string', ...(PATH_PARAMETERS[name] ? { examples: [PATH_PARAMETERS[name].example] } : {}) },
              })),
            }
          : {}),
        ...(op.body && bodyRef
          ? {
              requestBody: {
                required: true,
                content: {
                  'application/json': {
                    schema: bodyRef,
                    ...(schemas.example(op.body.schema) === undefined ? {} : { example: schemas.example(op.body.schema) }),
                  },
                },
              },
            }
          : {}),
        responses,
        security: op.auth ? [{ bearerAuth: [] }] : [],
        'x-obp-operation': op.name,
        'x-obp-version': op.obpVersion,
        'x-obp-roles': op.roles.map((role) => ({ role, scope: ROLE_SCOPES[role] })),
      };
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
      },
    },
  };

  const responses = Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, { name, description, example }]) => [
      name,
      {
        description: `${description}`,
        headers: {
          'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
          ...(status === '401'
            ? { 'WWW-Authenticate': { description: '`Bearer`, or `Bearer error="invalid_token"` when a token was sent but refused.', schema: { type: 'string' } } }
            : {}),
        },
        content: { 'application/json': { schema: errorRef, example: { code: Number(status), message: example } } },
      },
    ]),
  );

  return {
    openapi: '3.1.0',
    info: {
      title: 'OBP Person API',
      version: options.version ?? packageVersion(),
      summary: 'Open Bank Project compatible customer and customer-messaging API on AWS Lambda, API Gateway and DynamoDB.',
      description: [
        "OBP's Person operations (create a customer, message a customer) and the operations around them, compatible with the",
        'Open Bank Project API. Each operation answers under the prefix of the OBP version that implements it and under every newer',
        `prefix of ${API_PREFIXES.map((v) => `\`/obp/${v}\``).join(', ')}; each prefix is listed here.`,
        '',
        '**Authentication:** `Authorization: Bearer <JWT>` from the deployment\'s issuer (Cognito by default). Locally,',
        '`POST /local/tokens` with `{"user_id": "alice"}` (or `npm run token -- alice`) gives a development token.',
        '',
        '**Roles** are entitlements granted with addEntitlement; super admins (`SUPER_ADMIN_USER_IDS`) may grant any role.',
        'An operation that lists several roles needs any one of them; a bank role is held at the BANK_ID of the path.',
        '',
        '**Errors** always have the body `{"code": <HTTP status>, "message": "OBP-NNNNN: <text>"}`. Checks run in this order:',
        'authentication (401), bank exists (404), roles (403), body (400), business rules. In AWS, API Gateway itself may',
        'answer 429 (throttling) with its own body `{"message": "Too Many Requests"}`.',
      ].join('\n'),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: options.serverUrl ?? '/', description: 'The host that serves this document' }],
    tags: TAGS.map((t) => ({ ...t })),
    paths,
    components: {
      schemas: schemas.components,
      responses,
      headers: {
        'X-Request-Id': {
          description: 'The request id: the caller\'s `X-Request-Id` when it is a safe token, else the gateway\'s request id. Also in the logs.',
          schema: { type: 'string' },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "An OAuth2/OIDC access or id token of the deployment's issuer, verified by each function (signature, iss, aud, exp, nbf).",
        },
      },
    },
  };
};

/** Builds the document and writes it to generated/openapi.json (the CDK app may call this before bundling). */
export const writeOpenApi = (document: OpenApiDocument = buildOpenApi()): OpenApiDocument => {
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(document, null, 2)}\n`);
  return document;
};
