// Browser access (-c corsAllowOrigins) against what the API uses: every method of the operations list, the request
// headers the functions read, and every response header the OpenAPI document describes that a script would read.
import { OPERATIONS } from '../../functions/common/operations';
import { buildOpenApi } from '../../scripts/openapi';
import { build, ofType, type Json } from '../support/template';

/** Response headers a script may read without their being exposed (the Fetch standard's CORS-safelisted ones). */
const SAFELISTED = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'];
/** Documented response headers that only the browser acts on; a script has no use for them. */
const FOR_THE_BROWSER = ['strict-transport-security', 'x-content-type-options'];

const lower = (names: Iterable<string>): string[] => [...new Set([...names].map((n) => n.toLowerCase()))].sort();

/** The header names of the document's parameters (in: header) and responses, references followed. */
const documentedHeaders = (): { request: string[]; response: string[] } => {
  const doc: Json = buildOpenApi();
  const resolve = (value: Json): Json => {
    const ref = value.$ref as string | undefined;
    return ref ? resolve(ref.split('/').slice(1).reduce((node: Json, part) => node[part], doc)) : value;
  };
  const request = new Set<string>();
  const response = new Set<string>();
  for (const item of Object.values<Json>(doc.paths)) {
    for (const operation of Object.values<Json>(item)) {
      if (!operation?.responses) continue;
      for (const parameter of [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolve)) {
        if (parameter.in === 'header') request.add(parameter.name);
      }
      for (const answer of Object.values<Json>(operation.responses).map(resolve)) {
        for (const name of Object.keys(answer.headers ?? {})) response.add(name);
      }
    }
  }
  return { request: lower(request), response: lower(response) };
};

describe('CORS (-c corsAllowOrigins)', () => {
  const built = build({ corsAllowOrigins: 'https://app.example.com' });
  const [[, api]] = ofType(built.api, 'AWS::ApiGatewayV2::Api') as [[string, Json]];
  const cors = api.Properties.CorsConfiguration as { AllowMethods: string[]; AllowHeaders: string[]; ExposeHeaders: string[] };
  const documented = documentedHeaders();

  it('allows exactly the methods of the operations list (PUT for the customer updates, DELETE for revocations and unlinking)', () => {
    const methods = [...new Set(OPERATIONS.map((op) => op.method))].sort();
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
    expect([...cors.AllowMethods].sort()).toEqual(methods);
  });

  it('allows the bearer token, JSON bodies, the client request id and every request header the document describes', () => {
    expect(documented.request).toContain('idempotency-key');
    expect(lower(cors.AllowHeaders)).toEqual(lower(['authorization', 'content-type', 'x-request-id', ...documented.request]));
  });

  it('exposes every documented response header a script reads (Link, Idempotent-Replayed, X-Request-Id, WWW-Authenticate), and no other', () => {
    const forScripts = documented.response.filter((name) => !SAFELISTED.includes(name) && !FOR_THE_BROWSER.includes(name));
    expect(forScripts).toEqual(expect.arrayContaining(['idempotent-replayed', 'link', 'www-authenticate', 'x-request-id']));
    expect(lower(cors.ExposeHeaders)).toEqual(forScripts);
  });
});
