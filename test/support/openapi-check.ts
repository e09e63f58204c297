// Checks an answer of the API against the OpenAPI document: the status must be one the document lists for that
// operation and path, and the body must match that response's schema. The tests check every response they get with
// it (in-process, and the local server's through its RESPONSE_LOG), so the document cannot drift from what the
// functions answer.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OBP_ERROR_KEYWORD } from '../../functions/http/middleware/validate-body';
import type { JsonObject, OpenApiDocument } from '../../scripts/openapi';

const DOC_ID = 'https://obp-person-api.local/openapi.json';

export type ResponseChecker = (method: string, template: string, status: number, bodyText: string) => string[];

export const createResponseChecker = (document: OpenApiDocument): ResponseChecker => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: OBP_ERROR_KEYWORD, schemaType: 'string' });
  ajv.addSchema({ $id: DOC_ID, components: document.components });
  const validators = new Map<string, ValidateFunction>();
  const resolve = (node: JsonObject): JsonObject => {
    if (typeof node?.$ref !== 'string') return node;
    const [, ...parts] = node.$ref.split('/');
    return parts.reduce<unknown>((n, p) => (n as JsonObject | undefined)?.[p], document) as JsonObject;
  };
  return (method, template, status, bodyText) => {
    const operation = document.paths[template]?.[method.toLowerCase()] as JsonObject | undefined;
    if (!operation) return [`the document has no ${method} ${template}`];
    const declared = (operation.responses as JsonObject)[String(status)] as JsonObject | undefined;
    if (!declared) return [`${method} ${template} answered ${status}, which the document does not list`];
    const response = resolve(declared);
    const schema = ((response.content as JsonObject | undefined)?.['application/json'] as JsonObject | undefined)?.schema as JsonObject | undefined;
    if (!schema) return bodyText === '' ? [] : [`${method} ${template} ${status} has a body, the document says none`];
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      return [`${method} ${template} ${status}: the body is not JSON`];
    }
    const key = typeof schema.$ref === 'string' ? schema.$ref : JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(typeof schema.$ref === 'string' ? { $ref: `${DOC_ID}${schema.$ref}` } : schema);
      validators.set(key, validate);
    }
    return validate(body) ? [] : [`${method} ${template} ${status}: ${ajv.errorsText(validate.errors)}`];
  };
};
