// Validates the parsed body with a validator compiled at build time (scripts/build-validators.ts). Before that, a
// JSON number sent for a text field becomes its decimal text when it is a safe integer written as one (the
// schemas say `"type": ["string", "integer"]` there, with the safe-integer bounds): `5987953` → "5987953". Any
// other number stays a number and the schema refuses it, naming the field: a fraction, `1e3`, `5.0`, `1e400`, or
// 12345678901234567891 (which JSON.parse would silently round to another number).
import type { MiddlewareObj } from '@middy/core';
import { invalidJson, ObpError } from '../../common/obp-errors';
import type { ObpEvent, ObpResult } from '../state';

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

/** A request body's validator and schema, as the generated entry passes them (generated/entries/). */
export interface BodySpec {
  validate: CompiledValidator;
  schema: JsonSchema;
}

const isTextField = (schema: JsonSchema): boolean => (Array.isArray(schema.type) ? schema.type.includes('string') : schema.type === 'string');

const INTEGER_LITERAL = /^-?(0|[1-9][0-9]*)$/;

type Holder = Record<string | number, unknown>;
type SourceOf = (holder: object, key: string | number) => string | undefined;

/**
 * Visits every value the schema describes (depth bounded by the schema, so a deeply nested unknown field costs
 * nothing), with its holder and key so that it can be replaced.
 */
const visitFields = (schema: JsonSchema, holder: Holder, key: string | number, visit: (schema: JsonSchema, holder: Holder, key: string | number) => void): void => {
  const value = holder[key];
  if (Array.isArray(value)) {
    if (schema.items) for (let i = 0; i < value.length; i++) visitFields(schema.items, value as unknown as Holder, i, visit);
  } else if (value !== null && typeof value === 'object') {
    const props = schema.properties;
    if (props) for (const name of Object.keys(value)) if (Object.hasOwn(props, name)) visitFields(props[name] as JsonSchema, value as Holder, name, visit);
  } else {
    visit(schema, holder, key);
  }
};

const hasNumberInTextField = (schema: JsonSchema, body: unknown): boolean => {
  let found = false;
  visitFields(schema, { body }, 'body', (s, holder, key) => {
    if (typeof holder[key] === 'number' && isTextField(s)) found = true;
  });
  return found;
};

/** Parses the body's text again, noting how each number was written (JSON.parse's source-text access, Node 22+). */
const parseWithSources = (text: string): { body: unknown; sourceOf: SourceOf } => {
  const sources = new WeakMap<object, Map<string, string>>();
  const body: unknown = JSON.parse(text, function (this: object, key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number' && context?.source !== undefined) {
      const ofHolder = sources.get(this) ?? new Map<string, string>();
      ofHolder.set(key, context.source);
      sources.set(this, ofHolder);
    }
    return value;
  });
  return { body, sourceOf: (holder, key) => sources.get(holder)?.get(String(key)) };
};

/** The body's numbers with how they were written, or none known when the text cannot be read again that way. */
const withSources = (body: unknown, text: string | undefined): { body: unknown; sourceOf: SourceOf } => {
  const unknownSources = { body, sourceOf: (() => undefined) as SourceOf };
  if (text === undefined) return unknownSources;
  try {
    return parseWithSources(text);
  } catch {
    // The chain's parser already read this text (with a reviver, so to the same depth); only a caller handing in
    // other text gets here, and then the values alone decide.
    return unknownSources;
  }
};

/**
 * `body` with the numbers of text fields turned into their decimal text where they are safe integers written as
 * integers, and into NaN otherwise (no JSON value, so validation refuses it and names the field). `text` is the body
 * as sent; it is parsed again only when some text field holds a number (rare), to see how that number was written.
 */
export const numbersToText = (schema: JsonSchema, body: unknown, text?: string): unknown => {
  if (!hasNumberInTextField(schema, body)) return body;
  const { body: reparsed, sourceOf } = withSources(body, text);
  const root: Holder = { body: reparsed };
  visitFields(schema, root, 'body', (s, holder, key) => {
    const value = holder[key];
    if (typeof value !== 'number' || !isTextField(s)) return;
    const source = sourceOf(holder, key);
    holder[key] = Number.isSafeInteger(value) && (source === undefined || INTEGER_LITERAL.test(source)) ? String(value) : Number.NaN;
  });
  return root.body;
};

/**
 * A schema rule may name the OBP error it answers with (`"x-obp-error": "OBP-20010: Value too long."`), where OBP has
 * a specific one; `{value}` stands for the value sent, `{enum}` for the allowed values. Other rules answer OBP-10001.
 */
export const OBP_ERROR_KEYWORD = 'x-obp-error';

/** The schema node a validation error's schemaPath (`#/properties/id/allOf/1/pattern`) points into. */
const ruleAt = (schema: JsonSchema, schemaPath: string): JsonSchema | undefined => {
  const parts = schemaPath.replace(/^#\//, '').split('/').slice(0, -1).map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
  let node: unknown = schema;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node !== null && typeof node === 'object' ? (node as JsonSchema) : undefined;
};

const valueAt = (body: unknown, instancePath: string): unknown =>
  instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), body);

/** The OBP error the failed rule names, if it names one. */
const namedError = (validator: CompiledValidator, schema: JsonSchema, body: unknown): ObpError | undefined => {
  const error = validator.errors?.[0];
  if (!error) return undefined;
  const rule = ruleAt(schema, error.schemaPath);
  const template = rule?.[OBP_ERROR_KEYWORD];
  if (typeof template !== 'string') return undefined;
  const allowed = Array.isArray(rule?.enum) ? (rule.enum as unknown[]).join(', ') : '';
  const value = valueAt(body, error.instancePath);
  const sent = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return new ObpError(400, template.replace('{value}', sent).replace('{enum}', allowed));
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
  // A text field that also takes whole numbers ("type": ["string", "integer"] with the safe-integer bounds).
  const textOrInteger = error.keyword === 'type' && /string/.test(String(error.params.type)) && /integer/.test(String(error.params.type));
  if (textOrInteger || ((error.keyword === 'maximum' || error.keyword === 'minimum') && Math.abs(Number(error.params.limit)) === Number.MAX_SAFE_INTEGER)) {
    return `${where} must be text, or a whole number between -(2^53 - 1) and 2^53 - 1 written without a fraction or exponent.`;
  }
  if (error.keyword === 'type') return `${where} must be of type ${String(error.params.type).replace(/,/g, ' or ')}.`;
  return `${where} ${error.message ?? 'is not valid'}.`;
};

export const validateBody = ({ validate, schema }: BodySpec): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: (request) => {
    const { obp } = request.event;
    const body = numbersToText(schema, obp.body, obp.bodyText);
    if (!validate(body)) {
      throw namedError(validate, schema, body) ?? invalidJson(`The Json body should be the ${obp.operation.body?.obpName}: ${describeError(validate)}`);
    }
    obp.body = body;
  },
});
