// Validates JSON bodies against the schemas embedded in the OpenAPI document (not the source files), so the tests
// also check that the generator embedded them and rewrote their refs correctly.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../../scripts/openapi';

const DOC_ID = 'https://obp-person-api.test/openapi.json';

type JsonObject = Record<string, any>;

export interface DocumentChecker {
  /** The operation object for method + full path. */
  operation: (method: string, path: string) => JsonObject;
  /** The operation object whose operationId is `id`. */
  operationById: (id: string) => { method: string; path: string; operation: JsonObject };
  /** The response's schema validator for an operation and status; throws when the document has no such response. */
  responseValidator: (method: string, path: string, status: number) => ValidateFunction;
  /** A component schema's validator. */
  schemaValidator: (name: string) => ValidateFunction;
  /** Validates and, on failure, throws with ajv's errors (clearer than `expect(valid).toBe(true)`). */
  assertValid: (validate: ValidateFunction, data: unknown, what: string) => void;
}

export const documentChecker = (document: OpenApiDocument): DocumentChecker => {
  // Not strict: the wrapper holds "components", which is no JSON Schema keyword.
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: document.components });
  const cache = new Map<string, ValidateFunction>();
  const compileRef = (ref: string): ValidateFunction => {
    if (!ref.startsWith('#/')) throw new Error(`not a local ref: ${ref}`);
    let validate = cache.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOC_ID}${ref}` });
      cache.set(ref, validate);
    }
    return validate;
  };
  const resolve = (node: JsonObject): JsonObject => {
    if (typeof node?.$ref !== 'string') return node;
    const [, ...parts] = (node.$ref as string).split('/');
    return parts.reduce<any>((n, p) => n?.[p], document) as JsonObject;
  };
  const operation = (method: string, path: string): JsonObject => {
    const op = (document.paths[path] as JsonObject | undefined)?.[method.toLowerCase()];
    if (!op) throw new Error(`The document has no ${method} ${path}`);
    return op as JsonObject;
  };
  return {
    operation,
    operationById: (id) => {
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, op] of Object.entries(item)) if ((op as JsonObject).operationId === id) return { method: method.toUpperCase(), path, operation: op as JsonObject };
      }
      throw new Error(`The document has no operation ${id}`);
    },
    responseValidator: (method, path, status) => {
      const response = (operation(method, path).responses as JsonObject)[String(status)];
      if (!response) throw new Error(`The document has no ${status} response for ${method} ${path}`);
      const schema = resolve(response as JsonObject).content?.['application/json']?.schema as JsonObject | undefined;
      if (!schema?.$ref) throw new Error(`The ${status} response of ${method} ${path} has no JSON schema $ref`);
      return compileRef(schema.$ref as string);
    },
    schemaValidator: (name) => {
      if (!document.components.schemas[name]) throw new Error(`The document has no schema ${name}`);
      return compileRef(`#/components/schemas/${name}`);
    },
    assertValid: (validate, data, what) => {
      if (!validate(data)) throw new Error(`${what} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(data)}`);
    },
  };
};
