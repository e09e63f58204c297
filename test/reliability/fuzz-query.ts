// Query strings for the fuzz test of the lists (fuzz.test.ts): limit, offset, sort_direction, from_date, to_date and
// cursor with random, nasty, huge, repeated and percent-encoded values, valid cursors, tampered ones and forged ones,
// and an independent model of what the contract (docs/design.md, "Lists and paging") says each query must get.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { hugeString, nastyString } from './fuzz-values';

export const LIST_PARAMS = ['sort_direction', 'from_date', 'to_date', 'limit', 'offset', 'cursor'] as const;
export type ListParam = (typeof LIST_PARAMS)[number];

/** What a value is, by the contract: surely accepted, surely refused, or either (the contract leaves it open). */
export type Tag = 'valid' | 'invalid' | 'unknown';

export const DEFAULT_LIMIT = 50;

const bigint = (digits: string): bigint => BigInt(digits);

export const tagLimit = (v: string): Tag => {
  if (!/^\d+$/.test(v) || bigint(v) === 0n || bigint(v) > 500n) return 'invalid';
  return /^[1-9]\d{0,2}$/.test(v) ? 'valid' : 'unknown'; // leading zeros: the contract does not say
};

export const tagOffset = (v: string): Tag => {
  if (!/^\d+$/.test(v) || bigint(v) > 10_000n) return 'invalid';
  return /^(0|[1-9]\d{0,4})$/.test(v) ? 'valid' : 'unknown';
};

export const tagSort = (v: string): Tag => (/^(asc|desc)$/i.test(v) ? 'valid' : 'invalid');

const DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const FULL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2})))?$/;

/** OBP's form, RFC 3339 (upper-case T and Z) or a plain date; a real calendar date and time. */
export const tagDate = (v: string): Tag => {
  const m = FULL.exec(v);
  if (!m) return DAY.test(v) ? 'unknown' : 'invalid'; // e.g. a lower-case 't' or a space: RFC 3339 allows them
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((x) => (x === undefined ? 0 : Number(x)));
  if (Number(m[1]) < 100) return 'unknown';
  const real = new Date(Date.UTC(y as number, (mo as number) - 1, d as number));
  const isDay = real.getUTCFullYear() === y && real.getUTCMonth() === (mo as number) - 1 && real.getUTCDate() === d;
  const offsetOk = m[7] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  return isDay && (h as number) <= 23 && (mi as number) <= 59 && (s as number) <= 59 && offsetOk ? 'valid' : 'invalid';
};

// ---------------------------------------------------------------------------------------------------------------
// Cursors

/** A cursor the fuzzing knows: where it came from, and for which sort direction it was issued (no date filters). */
export interface KnownCursor {
  /** real: issued by this list; forged: a digest the test computed over a payload of its own; bad: refused for sure. */
  kind: 'real' | 'forged' | 'bad';
  direction: 'ASC' | 'DESC';
  /** Items of the page the real cursor ends: the next page must not repeat them. */
  before?: string[];
}

export type CursorBook = Map<string, KnownCursor>;

const EPOCH = '1970-01-01T00:00:00.000Z';
const FAR_FUTURE = '4000-01-01T00:00:00.000Z';

/**
 * The binding a list's cursor carries (an independent copy of functions/http/paging.ts's): the operation, its path
 * parameters by name, the caller, the direction and the time bounds. The fuzz test checks that a cursor forged with
 * it equals one the API issued, so forged cursors really get past the digest and test what lies behind it.
 */
export const cursorBinding = (operation: string, params: Record<string, string>, callerId: string, direction: 'ASC' | 'DESC'): string =>
  JSON.stringify([operation, ...Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)).flat(), callerId, direction, EPOCH, FAR_FUTURE]);

export const forgeCursor = (payloadText: string, binding: string): string => {
  const payload = Buffer.from(payloadText).toString('base64url');
  return `${payload}.${createHash('sha256').update(`${binding}\n${payload}`).digest('base64url').slice(0, 22)}`;
};

export const cursorPosition = (cursor: string): Record<string, string> => JSON.parse(Buffer.from(cursor.split('.')[0] as string, 'base64url').toString('utf8'));

/** The cursor of a response's `Link: <…?…&cursor=…>; rel="next"` header. */
export const cursorOfLink = (link: string | undefined): string | undefined => {
  const m = /[?&]cursor=([^&>]*)/.exec(link ?? '');
  return m ? decodeURIComponent(m[1] as string) : undefined;
};

/** Edited copies of a real cursor: each is refused (its digest no longer matches, or it is no cursor at all). */
export const tamperedCursors = (real: string, other: string): string[] => {
  const [payload = '', digest = ''] = real.split('.');
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return [
    `${flip(payload, 0)}.${digest}`,
    `${flip(payload, payload.length - 1)}.${digest}`,
    `${payload}.${flip(digest, 3)}`,
    payload,
    `${real}.x`,
    `.${digest}`,
    `${payload}.`,
    `${payload}.${other.split('.')[1]}`,
    `${other.split('.')[0]}.${digest}`,
    real.toUpperCase(),
    real.slice(0, -1),
    `${real} `,
    `${payload}=.${digest}`,
    `${Buffer.from(Buffer.from(payload, 'base64url').toString('utf8')).toString('base64')}.${digest}`,
    `${payload}.${digest}`.repeat(2),
    `${'A'.repeat(5000)}.${digest}`,
  ].filter((c) => c !== real);
};

/** Payloads with a valid digest that are no cursor of this API (not JSON, not an object, other attributes): refused. */
export const forgedGarbage = (position: Record<string, string>): string[] => {
  const names = Object.keys(position);
  return [
    'not json',
    '{',
    '',
    'null',
    '[]',
    '"x"',
    '1',
    '{}',
    JSON.stringify({ ...position, extra: 'x' }),
    JSON.stringify({ ...position, [names[0] as string]: 1 }),
    JSON.stringify({ ...position, [names[0] as string]: null }),
    JSON.stringify(Object.fromEntries(names.slice(1).map((n) => [n, position[n]]))),
    JSON.stringify({ ...position, __proto__: { polluted: 'yes' } }),
    `{"__proto__":{"polluted":"yes"},${JSON.stringify(position).slice(1)}`,
  ];
};

/** Positions with a valid digest and the right attributes, but values of the forger's choice: a page or a 400. */
export const forgedPositions = (position: Record<string, string>): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...Object.keys(position)),
      fc.oneof(
        fc.constantFrom('', ' ', '\u0000', '\uffff', '\ud800', 'x'.repeat(1024), 'x'.repeat(1025), '€'.repeat(342), 'x'.repeat(2049), 'ROLE#', 'LINK#', 'MSG#', '9999', '0000', 'CUSTOMER#x', 'USER#x'),
        nastyString.filter((s) => s.length <= 3000),
        fc.constantFrom('mutate', 'prefix'),
      ),
    )
    .map(([name, value]) => {
      const real = position[name] as string;
      // A near-miss of the real value, or the real value with a bound of the range around it.
      const v = value === 'mutate' ? `${real.slice(0, -1)}${real.endsWith('0') ? '1' : '0'}` : value === 'prefix' ? real.replace(/[^#]*$/, '') : value;
      return JSON.stringify({ ...position, [name]: v });
    });

// ---------------------------------------------------------------------------------------------------------------
// Query strings

const limitValue = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 500 }).map(String) },
  { weight: 3, arbitrary: fc.constantFrom('0', '-1', '501', '1.5', 'abc', '1e2', ' 1', '+1', '１', '0x10', '9999999999', '007', '0001', '', '500', '1') },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 10_000 }).map((n) => '9'.repeat(n)) },
  { weight: 2, arbitrary: nastyString },
);

const offsetValue = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 10_000 }).map(String) },
  { weight: 3, arbitrary: fc.constantFrom('-1', '10001', '1.0', 'x', '', '00', '0', '10000', '１') },
  { weight: 2, arbitrary: nastyString },
);

const sortValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('asc', 'desc', 'ASC', 'DESC', 'Asc', 'dEsC') },
  { weight: 2, arbitrary: fc.constantFrom('ascending', '', ' asc', 'asc ', 'up', 'ａｓｃ', 'aſc', 'DESC,ASC', '1') },
  { weight: 1, arbitrary: nastyString },
);

const dateValue = fc.oneof(
  { weight: 3, arbitrary: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 2, arbitrary: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2023-11-14T18:28:59.077+02:00', '2013-01-21T23:08:00Z', '2018-03-09', '2013-02-30', '2020-13-01', '2020-01-01T25:00:00Z',
      '2020-01-01T00:00:00+24:00', '2020-02-29', '2021-02-29', 'yesterday', '2020/01/01', '01-01-2020', '2020-01-01t00:00:00z',
      '2020-01-01 00:00:00Z', '0050-01-01', '9999-12-31T23:59:59.999Z', '', '2020-01-01T00:00:00.1234567891Z',
    ),
  },
  { weight: 1, arbitrary: nastyString },
);

/** A value as it goes into the query string: percent-encoded, raw (so '&', '=' and '+' mean what they mean there), or broken escapes. */
const encoded = (value: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: value.map((v) => encodeURIComponent(v.toWellFormed())) },
    { weight: 2, arbitrary: value.map((v) => v.toWellFormed().replace(/#/g, '%23')) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%E2%82', '%2', '%31', '%2B1', '1%00', '%C0%AF', '%FF%FE', '+', '%26limit%3D0', '%0A1') },
  );

const nameText = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<string>(...LIST_PARAMS) },
  { weight: 1, arbitrary: fc.constantFrom('li%6Dit', 'LIMIT', 'obp_limit', 'limit[]', 'limit%00', ' limit', '__proto__', 'constructor', 'x', '') },
  { weight: 1, arbitrary: nastyString.filter((s) => s.length < 50).map((s) => encodeURIComponent(s.toWellFormed())) },
);

const pairFor = (cursors: fc.Arbitrary<string>) =>
  nameText.chain((name): fc.Arbitrary<string> => {
    const value: fc.Arbitrary<string> =
      name === 'limit' ? limitValue
      : name === 'offset' ? offsetValue
      : name === 'sort_direction' ? sortValue
      : name === 'from_date' || name === 'to_date' ? dateValue
      : name === 'cursor' ? cursors
      : fc.oneof(nastyString, hugeString(10_000));
    return fc.oneof({ weight: 12, arbitrary: encoded(value).map((v) => `${name}=${v}`) }, { weight: 1, arbitrary: fc.constant(name) });
  });

/**
 * A raw query string of up to 8 parameters (so some repeat), sometimes padded with an unknown parameter to about
 * 10,000 characters; cursors, when they come up, are mostly the known ones.
 */
export const queryString = (cursors: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(fc.array(pairFor(cursors), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 19 }))
    .map(([pairs, pad]) => {
      const text = pairs.join('&');
      return pad === 0 ? `${text}&pad=${'p'.repeat(Math.max(0, 10_000 - text.length - 5))}` : text;
    });

/** The query string the function receives: what the URL parser makes of it (a '#' would start a fragment). */
export const effectiveQuery = (raw: string): string => new URL(`http://x/p?${raw}`).search.replace(/^\?/, '');

export interface ListExpectation {
  /** The acceptable outcomes: 'ok', or the inner OBP code of the 400 ('OBP-10023' …, or 'cursor'). */
  accept: Set<string>;
  limit: number;
  /** A real cursor used where it is valid: its page must not repeat the items before it. */
  realCursor?: KnownCursor;
}

/** What the contract says the query must get, checked in its order: sort → from → to → limit → offset → cursor. */
export const expectList = (rawQuery: string, book: CursorBook): ListExpectation => {
  const query = new URLSearchParams(effectiveQuery(rawQuery));
  // A repeated parameter counts by its first value; an empty one is absent.
  const get = (name: ListParam): string | undefined => {
    const v = query.get(name);
    return v === null || v === '' ? undefined : v;
  };
  const accept = new Set<string>();
  const limitText = get('limit');
  const limit = limitText !== undefined && tagLimit(limitText) !== 'invalid' ? Number(limitText) : DEFAULT_LIMIT;
  const steps: [ListParam, (v: string) => Tag, string][] = [
    ['sort_direction', tagSort, 'OBP-10023'],
    ['from_date', tagDate, 'OBP-10026'],
    ['to_date', tagDate, 'OBP-10026'],
    ['limit', tagLimit, 'OBP-10025'],
    ['offset', tagOffset, 'OBP-10024'],
  ];
  for (const [name, tag, code] of steps) {
    const v = get(name);
    if (v === undefined) continue;
    const t = tag(v);
    if (t === 'valid') continue;
    accept.add(code);
    if (t === 'invalid') return { accept, limit };
  }
  const cursor = get('cursor');
  let realCursor: KnownCursor | undefined;
  if (cursor !== undefined) {
    const known = book.get(cursor);
    const sort = get('sort_direction');
    const direction = sort !== undefined && /^asc$/i.test(sort) ? 'ASC' : 'DESC';
    // The known cursors were issued without time bounds: a bound equal to the default one is the same filter.
    const bound = (name: 'from_date' | 'to_date', none: string): 'same' | 'other' | 'maybe' => {
      const v = get(name);
      if (v === undefined) return 'same';
      const instant = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
      if (tagDate(v) !== 'valid' || Number.isNaN(instant)) return 'maybe';
      return instant === Date.parse(none) ? 'same' : 'other';
    };
    const bounds = [bound('from_date', EPOCH), bound('to_date', FAR_FUTURE)];
    const filtersMatch = known !== undefined && known.direction === direction && !bounds.includes('other');
    accept.add('cursor');
    if (get('offset') !== undefined || !known || known.kind === 'bad' || !filtersMatch) return { accept, limit };
    if (bounds.includes('maybe')) {
      accept.add('ok');
      return { accept, limit };
    }
    if (known.kind === 'real') {
      accept.delete('cursor');
      realCursor = known;
    }
  }
  accept.add('ok');
  return { accept, limit, realCursor };
};
