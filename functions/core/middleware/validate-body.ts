// Validates the parsed body with a validator compiled at build time (scripts/build-validators.ts). Before that,
// JSON numbers sent for string fields become their decimal text (DESIGN §2), driven by the same schema.
import type { MiddlewareObj } from '@middy/core';
import { invalidJson } from '../obp-errors';
import type { ObpEvent, ObpResult } from '../request';

export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; schemaPath: string; keyword: string; params: Record<string, unknown>; message?: string }> | null;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  [keyword: string]: unknown;
}

const accepts = (schema: JsonSchema, type: string): boolean =>
  Array.isArray(schema.type) ? schema.type.includes(type) : schema.type === type;

/** Replaces numbers with their decimal text wherever the schema wants a string (and no number). */
export const numbersToText = (schema: JsonSchema, value: unknown): unknown => {
  if (typeof value === 'number' && accepts(schema, 'string') && !accepts(schema, 'number') && !accepts(schema, 'integer')) {
    return String(value);
  }
  if (Array.isArray(value) && schema.items) return value.map((v) => numbersToText(schema.items as JsonSchema, v));
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && schema.properties) {
    const props = schema.properties;
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(props, key)) (value as Record<string, unknown>)[key] = numbersToText(props[key] as JsonSchema, (value as Record<string, unknown>)[key]);
    }
  }
  return value;
};

/** A short, client-facing account of the first validation error. */
export const describeError = (validator: CompiledValidator): string => {
  const error = validator.errors?.[0];
  if (!error) return 'The body is not valid.';
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const where = field === '' ? 'The body' : field;
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    return `${field === '' ? missing : `${field}.${missing}`} is required.`;
  }
  if (error.schemaPath.includes('$defs/date') || error.schemaPath.includes('$defs/optionalDate')) {
    return `${where} must be a date: RFC 3339 (e.g. 2023-11-14T18:28:59Z) or yyyy-MM-dd.`;
  }
  if (error.keyword === 'pattern' && field.endsWith('_id')) {
    return `${where} may only contain letters, digits, '-', '.' and '_'.`;
  }
  if (error.keyword === 'type') return `${where} must be of type ${String(error.params.type).replace(/,/g, ' or ')}.`;
  return `${where} ${error.message ?? 'is not valid'}.`;
};

export const validateBody = (validator: CompiledValidator, schema: JsonSchema): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: (request) => {
    const { obp } = request.event;
    const body = numbersToText(schema, obp.body);
    if (!validator(body)) {
      throw invalidJson(`The Json body should be the ${obp.operation.body?.obpName}: ${describeError(validator)}`);
    }
    obp.body = body;
  },
});
