// Generators of hostile input for the fuzz test (fuzz.test.ts): strings that upset parsers, key builders and
// routers, any JSON value, broken JSON, edits of a valid body, content types, and Idempotency-Key values.
import fc from 'fast-check';

export const json = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** Strings known to upset parsers, key builders and routers. */
export const NASTY = [
  '', ' ', '#', '##', '%', '%23', '%2F', '/', '../..', '.', '\u0000', '\r\n', '\t', '\u202e', '\ufeff', '\u00ad',
  '𝕏', '💥👩‍👩‍👧', 'ﷺ', 'null', 'true', '0', '-1', '1e400', 'NaN', "' OR '1'='1", '{"$ne":null}', '${jndi:ldap://x}',
  'BANK#x', 'CUSTOMER#x', 'USER#test-admin', 'ROLE##CanCreateBank', 'MSG#', 'LINK#', 'ENTITLEMENT#x', 'IDEM#x',
  `#h${'a'.repeat(64)}`, '__proto__', 'constructor', 'prototype',
];

/** Text whose Unicode NFKC form differs from it: full-width digits, ligatures, compatibility characters. */
export const NFKC_VARIANTS = ['１２３', '７', 'ﬁ', 'Ⅻ', '㍿', '①', 'ｶ', 'x\u0301', '\ufdfa', '\ufdfa\ufdfa\ufdfa', 'ＡＢＣ', '²'];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

export const hugeString = (max = 70_000): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('a', 'é', '€', '𝕏', '#', '"', '\\', '%', '&'), fc.integer({ min: 200, max })).map(([s, n]) => s.repeat(n));

export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NFKC_VARIANTS) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 5 }), loneSurrogate, fc.string({ maxLength: 5 })).map((p) => p.join('')) },
  { weight: 1, arbitrary: hugeString() },
);

/** Deeply nested arrays or objects, as JSON text (up to the size limit and beyond). */
export const deepNesting = fc
  .tuple(fc.integer({ min: 100, max: 40_000 }), fc.boolean())
  .map(([n, arrays]) => (arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n >> 2) + '1' + '}'.repeat(n >> 2)));

const prototypeKeys = fc.constantFrom(
  '{"__proto__":{"polluted":"yes","legal_name":"x","message":"x","role_name":"CanCreateBank","customer_number":"1"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":null}',
  '{"__proto__":[1,2,3]}',
  '{"prototype":{"polluted":"yes"},"toString":"x","hasOwnProperty":1,"valueOf":null}',
);

/** Any JSON value, as text: every type, wrong types, unicode and huge strings, deep nesting, prototype keys. */
export const jsonFragment = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }).map(json) },
  { weight: 4, arbitrary: nastyString.map(json) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.nat({ max: 200 })).map(json) },
  { weight: 1, arbitrary: fc.constantFrom('1e400', '-1e400', '-0', '123456789012345678901234567890', '1e-400', '0.1', '9007199254740992', '-9007199254740991') },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: prototypeKeys },
);

/** Bodies that are not JSON at all, or broken JSON. */
export const notJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('{', '}', '{"a":1', '{"a":1,}', "{'a':1}", 'undefined', 'NaN', '\ufeff{}', '<a/>', 'a=1&b=2', '{"a":1}{"b":2}', '[1,2', '"x', '{"a":"\\x"}'),
);

export interface FieldSchema {
  type?: string | string[];
  maxLength?: number;
  properties?: Record<string, FieldSchema>;
  allOf?: FieldSchema[];
}

export interface BodySchema {
  properties: Record<string, FieldSchema>;
}

/** A field's maxLength, also when the schema states it inside allOf (customer_number). */
const maxLengthOf = (s: FieldSchema): number | undefined => s.maxLength ?? s.allOf?.map(maxLengthOf).find((n) => n !== undefined);

/** Every field path of the schema ("credit_limit.amount" for nested objects), with its schema. */
const fieldPaths = (properties: Record<string, FieldSchema>, prefix = ''): [string, FieldSchema][] =>
  Object.entries(properties).flatMap(([name, s]) => [[`${prefix}${name}`, s] as [string, FieldSchema], ...(s.properties ? fieldPaths(s.properties, `${prefix}${name}.`) : [])]);

type Edit = { set: string; value: string } | { drop: string };

/**
 * Edits of a valid body: a field, nested or not (or a prototype key, or any key) set to any value, a field dropped,
 * a string one over its limit.
 */
const edits = (schema: BodySchema): fc.Arbitrary<Edit[]> => {
  const paths = fieldPaths(schema.properties);
  const fields = paths.map(([p]) => p);
  const limited = paths.flatMap(([p, s]) => (maxLengthOf(s) === undefined ? [] : [[p, maxLengthOf(s) as number] as const]));
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fields) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty') },
    { weight: 1, arbitrary: nastyString.filter((s) => s.length < 100 && !s.includes('.')) },
  );
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ set: key, value: jsonFragment }) },
    { weight: 2, arbitrary: fc.record({ drop: fc.constantFrom(...fields) }) },
    ...(limited.length
      ? [
          {
            weight: 2,
            arbitrary: fc
              .tuple(fc.constantFrom(...limited), fc.integer({ min: -1, max: 2 }), fc.constantFrom('x', '€', '１'))
              .map(([[name, max], extra, unit]): Edit => ({ set: name, value: json(unit.repeat(Math.max(0, max + extra))) })),
          },
        ]
      : []),
  );
  return fc.array(edit, { maxLength: 3 });
};

/** JSON text of an object given as [key, JSON text] entries (so values may be any text, even invalid JSON). */
const objectText = (entries: [string, string][]): string => `{${entries.map(([k, v]) => `${json(k)}:${v}`).join(',')}}`;

/** The body as entries of JSON texts, with the edits applied along their dotted paths. */
const applyEdits = (body: Record<string, unknown>, changes: Edit[]): string => {
  const render = (value: Record<string, unknown>, prefix: string): string => {
    let entries: [string, string][] = Object.entries(value).map(([k, v]) => [
      k,
      v !== null && typeof v === 'object' && !Array.isArray(v) ? render(v as Record<string, unknown>, `${prefix}${k}.`) : json(v),
    ]);
    for (const change of changes) {
      const path = 'drop' in change ? change.drop : change.set;
      if (!path.startsWith(prefix) || path.slice(prefix.length).includes('.')) continue;
      const name = path.slice(prefix.length);
      if ('drop' in change) entries = entries.filter(([k]) => k !== name);
      else if (entries.some(([k]) => k === name)) entries = entries.map(([k, v]) => [k, k === name ? change.value : v]);
      else entries.push([name, change.value]);
    }
    return objectText(entries);
  };
  return render(body, '');
};

/** Content types: mostly JSON (so the body is what is tested), some that are JSON too, some that are not, some noise. */
export const JSON_TYPES = [undefined, 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/problem+json;charset=UTF-8'];
export const OTHER_TYPES = ['', 'text/plain', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp'];
const contentType = fc.oneof(
  { weight: 14, arbitrary: fc.constant<string | undefined>('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES) },
  { weight: 2, arbitrary: fc.constantFrom<string | undefined>(...OTHER_TYPES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((s): string | undefined => s) },
);

export interface BodyCase {
  text: string;
  contentType: string | undefined;
  base64: boolean;
}

export const bodyCase = (base: fc.Arbitrary<Record<string, unknown>>, schema: BodySchema): fc.Arbitrary<BodyCase> =>
  fc.record({
    text: fc.oneof(
      { weight: 7, arbitrary: fc.tuple(base, edits(schema)).map(([b, e]) => applyEdits(b, e)) },
      { weight: 2, arbitrary: jsonFragment },
      { weight: 1, arbitrary: notJson },
      { weight: 1, arbitrary: base.map((b) => json(b).slice(0, -1)) },
    ),
    contentType,
    base64: fc.integer({ min: 0, max: 9 }).map((n) => n === 9),
  });

// ---------------------------------------------------------------------------------------------------------------
// Idempotency-Key values

/** What the header must be (docs/design.md, "Retrying safely"): 1 to 255 visible ASCII characters. */
export const isValidIdempotencyKey = (key: string): boolean => /^[\x21-\x7e]{1,255}$/.test(key);

let keySerial = 0;
/** A fresh suffix, so two valid random keys of one run never collide by chance (a collision would be a replay). */
const unique = (): string => `~${(++keySerial).toString(36)}${process.pid.toString(36)}`;

/** Valid keys (random visible ASCII up to the 255-character limit, each unique) and invalid ones of every kind. */
export const idempotencyKey: fc.Arbitrary<() => string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }).map((s) => () => `${s}${unique()}`) },
  { weight: 1, arbitrary: fc.constant(() => { const u = unique(); return `${'k'.repeat(255 - u.length)}${u}`; }) },
  { weight: 1, arbitrary: fc.constant(() => `"quoted"${unique()}`) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom('', ' ', 'a b', ' key', 'key ', '\t', '\u0000', 'k\r\nx', 'é', 'ключ', '💥', '\u007f', 'k'.repeat(256), 'k'.repeat(10_000)),
        fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !isValidIdempotencyKey(s)),
      )
      .map((s) => () => s),
  },
);
