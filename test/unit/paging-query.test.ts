// functions/http/paging.ts: the list query parameters (OBP's names, defaults and errors, in OBP's order), the dates
// they take, the cursor (a position bound to its list and filters) and the Link header that carries it.
import { encodeCursor, nextLink, parseQueryDate, readListQuery } from '../../functions/http/paging';
import { ObpError } from '../../functions/common/obp-errors';

const FILTER = 'OBP-10016: Incorrect filter Parameters in URL. ';
const SORT_ERROR = `${FILTER} <- OBP-10023: obp_sort_direction parameter can only take two values: DESC or ASC!`;
const DATE_ERROR = `${FILTER} <- OBP-10026: Failed to parse date string. Please use this format yyyy-MM-dd'T'HH:mm:ss.SSS'Z'!`;
const LIMIT_ERROR = `${FILTER} <- OBP-10025: wrong value for obp_limit parameter. Please send a positive integer (=>1)!`;
const OFFSET_ERROR = `${FILTER} <- OBP-10024: wrong value for obp_offset parameter. Please send a positive integer (=>0)!`;
const CURSOR_ERROR = `${FILTER}cursor:`;

const LIST = ['getCustomerMessages', 'BANK_ID', 'bank-1', 'CUSTOMER_ID', 'c-1', 'caller-1'];

/** The ObpError a call throws (fails the test when it throws nothing or something else). */
const refusal = (read: () => unknown): ObpError => {
  try {
    read();
  } catch (error) {
    if (error instanceof ObpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('parseQueryDate', () => {
  it.each([
    ['2013-01-21T23:08:00.000Z', '2013-01-21T23:08:00.000Z'],
    ['2023-11-14T18:28:59.077Z', '2023-11-14T18:28:59.077Z'],
    ['2013-01-21T23:08:00Z', '2013-01-21T23:08:00.000Z'],
    ['2013-01-21T23:08:00.5Z', '2013-01-21T23:08:00.500Z'],
    ['2013-01-21T23:08:00+01:00', '2013-01-21T22:08:00.000Z'],
    ['2013-01-21T23:08:00.250-02:30', '2013-01-22T01:38:00.250Z'],
    ['2013-01-21t23:08:00z', '2013-01-21T23:08:00.000Z'],
    ['2013-01-21 23:08:00Z', '2013-01-21T23:08:00.000Z'],
    ['2018-03-09', '2018-03-09T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['0001-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z'],
    ['0050-06-15', '0050-06-15T00:00:00.000Z'],
  ])('%s → %s', (text, instant) => {
    expect(parseQueryDate(text)).toBe(instant);
  });

  it.each([
    '2013-02-30',
    '2023-02-29',
    '2013-13-01',
    '2013-00-10',
    '2013-01-32',
    '2013-04-31T00:00:00Z',
    '2013-01-21T24:00:00Z',
    '2013-01-21T23:60:00Z',
    '2013-01-21T23:08:60Z',
    '2013-01-21T23:08:00',
    '2013-01-21T23:08Z',
    '2013-01-21T23:08:00+25:00',
    '2013-01-21T23:08:00+0200',
    '20130121',
    '2013-1-21',
    ' 2013-01-21',
    '2013-01-21 ',
    'garbage',
    '',
  ])('refuses %j', (text) => {
    expect(parseQueryDate(text)).toBeUndefined();
  });
});

describe('readListQuery', () => {
  it('defaults: newest first, limit 50, offset 0, from the epoch to the year 4000, no cursor', () => {
    for (const query of ['', 'limit=&offset=&sort_direction=&from_date=&to_date=&cursor=', 'obp_limit=0&LIMIT=0&Offset=x&unknown=1']) {
      expect(readListQuery(query, LIST).page).toEqual({
        ascending: false,
        limit: 50,
        offset: 0,
        after: undefined,
        from: '1970-01-01T00:00:00.000Z',
        to: '4000-01-01T00:00:00.000Z',
      });
    }
  });

  it('reads every parameter; sort_direction in any case; dates in any accepted form, percent-encoded or not', () => {
    const { page } = readListQuery('sort_direction=aSc&limit=500&offset=10000&from_date=2018-03-09&to_date=2018-03-10T12%3A00%3A00%2B02%3A00', LIST);
    expect(page).toEqual({ ascending: true, limit: 500, offset: 10000, after: undefined, from: '2018-03-09T00:00:00.000Z', to: '2018-03-10T10:00:00.000Z' });
    expect(readListQuery('sort_direction=DESC&limit=1', LIST).page).toMatchObject({ ascending: false, limit: 1 });
    expect(readListQuery('sort_direction=desc', LIST).page.ascending).toBe(false);
  });

  it('only the first of a repeated parameter counts', () => {
    expect(readListQuery('limit=5&limit=abc', LIST).page.limit).toBe(5);
    expect(refusal(() => readListQuery('limit=abc&limit=5', LIST)).message).toBe(LIMIT_ERROR);
  });

  it.each([
    ['limit=0', LIMIT_ERROR],
    ['limit=-1', LIMIT_ERROR],
    ['limit=1.5', LIMIT_ERROR],
    ['limit=5.0', LIMIT_ERROR],
    ['limit=1e2', LIMIT_ERROR],
    ['limit=abc', LIMIT_ERROR],
    ['limit=%205', LIMIT_ERROR],
    ['offset=-1', OFFSET_ERROR],
    ['offset=x', OFFSET_ERROR],
    ['offset=1.0', OFFSET_ERROR],
    ['sort_direction=x', SORT_ERROR],
    ['sort_direction=ascending', SORT_ERROR],
    ['from_date=2013-02-30', DATE_ERROR],
    ['from_date=garbage', DATE_ERROR],
    ['to_date=2013-02-30', DATE_ERROR],
    ['to_date=2013-01-21T23:08:00', DATE_ERROR],
  ])('%s → 400 %s', (query, message) => {
    const error = refusal(() => readListQuery(query, LIST));
    expect(error.status).toBe(400);
    expect(error.message).toBe(message);
    expect(error.body).toEqual({ code: 400, message });
  });

  it('bounds: limit 1–500 and offset 0–10,000; beyond them the same errors, naming the maximum', () => {
    expect(readListQuery('limit=1&offset=0', LIST).page).toMatchObject({ limit: 1, offset: 0 });
    const limit = refusal(() => readListQuery('limit=501', LIST)).message;
    expect(limit.startsWith(LIMIT_ERROR)).toBe(true);
    expect(limit.slice(LIMIT_ERROR.length)).toContain('500');
    const offset = refusal(() => readListQuery('offset=10001', LIST)).message;
    expect(offset.startsWith(OFFSET_ERROR)).toBe(true);
    expect(offset.slice(OFFSET_ERROR.length)).toContain('10000');
    expect(refusal(() => readListQuery('limit=99999999999999999999', LIST)).message.startsWith(LIMIT_ERROR)).toBe(true);
  });

  it("reports the first failure in OBP's order: sort_direction → from_date → to_date → limit → offset", () => {
    const query = ['offset=-1', 'limit=0', 'to_date=x', 'from_date=y', 'sort_direction=z'];
    const expected = [SORT_ERROR, DATE_ERROR, DATE_ERROR, LIMIT_ERROR, OFFSET_ERROR];
    for (let drop = 0; drop < expected.length; drop++) {
      const q = query.slice(0, query.length - drop).join('&');
      expect(refusal(() => readListQuery(q, LIST)).message).toBe(expected[drop]);
    }
    // A bad to_date alone is reported too (the from_date check does not hide it).
    expect(refusal(() => readListQuery('to_date=x&limit=0', LIST)).message).toBe(DATE_ERROR);
    // The cursor comes last.
    expect(refusal(() => readListQuery('offset=-1&cursor=junk', LIST)).message).toBe(OFFSET_ERROR);
  });
});

describe('the cursor', () => {
  const position = { SK: 'MSG#2024-01-02T03:04:05.678Z#0f8e6c1e-1b1a-4c51-9a5e-5d1c0f3d7a11' };
  const cursorFor = (query: string, list = LIST) => encodeCursor(position, readListQuery(query, list).binding);
  const readWith = (query: string, cursor: string, list = LIST) => readListQuery(`${query}&cursor=${encodeURIComponent(cursor)}`, list);

  it('is URL-safe and brings back the position on the same list with the same filters', () => {
    const cursor = cursorFor('limit=5&sort_direction=asc&from_date=2018-03-09');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(readWith('limit=5&sort_direction=asc&from_date=2018-03-09', cursor).page.after).toEqual(position);
    // The page size may change between pages; the same filters written another way are the same filters.
    expect(readWith('limit=7&sort_direction=ASC&from_date=2018-03-09T00:00:00Z', cursor).page.after).toEqual(position);
    expect(readWith('sort_direction=desc', cursorFor('')).page.after).toEqual(position);
  });

  it.each([
    ['another customer', LIST.map((p) => (p === 'c-1' ? 'c-2' : p))],
    ['another bank', LIST.map((p) => (p === 'bank-1' ? 'bank-2' : p))],
    ['another caller', LIST.map((p) => (p === 'caller-1' ? 'caller-2' : p))],
    ['another operation', LIST.map((p) => (p === 'getCustomerMessages' ? 'getUserCustomerLinksByCustomerId' : p))],
  ])('is refused on the list of %s', (_, other) => {
    const cursor = cursorFor('limit=5');
    expect(refusal(() => readWith('limit=5', cursor, other)).message.startsWith(CURSOR_ERROR)).toBe(true);
  });

  it.each([
    ['another sort direction', 'sort_direction=asc'],
    ['another from_date', 'from_date=2018-03-10'],
    ['another to_date', 'from_date=2018-03-09&to_date=2030-01-01'],
    ['no from_date', ''],
  ])('is refused with %s', (_, query) => {
    const cursor = cursorFor('from_date=2018-03-09');
    expect(refusal(() => readWith(query, cursor)).message.startsWith(CURSOR_ERROR)).toBe(true);
  });

  it('is refused when any one character is changed, added or removed', () => {
    const cursor = cursorFor('limit=5');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    for (let at = 0; at < cursor.length; at++) {
      const was = cursor[at] as string;
      const edited = `${cursor.slice(0, at)}${alphabet[(alphabet.indexOf(was) + 1) % alphabet.length]}${cursor.slice(at + 1)}`;
      const error = refusal(() => readWith('limit=5', edited));
      expect(error.status).toBe(400);
      expect(error.message.startsWith(CURSOR_ERROR)).toBe(true);
    }
    for (const edited of [`${cursor}A`, cursor.slice(1), cursor.slice(0, -1), `${cursor}.x`]) {
      expect(refusal(() => readWith('limit=5', edited)).message.startsWith(CURSOR_ERROR)).toBe(true);
    }
  });

  it('is refused together with offset, even offset=0', () => {
    const cursor = cursorFor('limit=5');
    for (const offset of ['0', '3']) expect(refusal(() => readWith(`limit=5&offset=${offset}`, cursor)).message.startsWith(CURSOR_ERROR)).toBe(true);
  });

  it('refuses what is no cursor of this API, also with a valid digest over a position that is not an object', () => {
    for (const junk of ['abc', 'a.b', '.abc', 'abc.', 'a.b.c', `${'A'.repeat(5000)}.${'B'.repeat(22)}`]) {
      expect(refusal(() => readWith('', junk)).message.startsWith(CURSOR_ERROR)).toBe(true);
    }
    const { binding } = readListQuery('', LIST);
    for (const notAnObject of [['SK'], null, 'SK', 7]) {
      const cursor = encodeCursor(notAnObject as never, binding);
      expect(refusal(() => readWith('', cursor)).message.startsWith(CURSOR_ERROR)).toBe(true);
    }
  });
});

describe('nextLink', () => {
  const NEXT = /^<([^>]+)>; rel="next"$/;
  const urlOf = (link: string) => new URL((NEXT.exec(link) as RegExpExecArray)[1] as string, 'http://test.invalid');

  it('keeps the path and the other parameters (unknown ones too), drops offset and replaces the cursor', () => {
    const link = nextLink('/obp/v5.0.0/banks/b-1/customers', 'limit=5&offset=10&sort_direction=asc&cursor=old&x=1', 'NEW.cursor');
    expect(link).toMatch(NEXT);
    const url = urlOf(link);
    expect(url.pathname).toBe('/obp/v5.0.0/banks/b-1/customers');
    expect([...url.searchParams].sort()).toEqual([
      ['cursor', 'NEW.cursor'],
      ['limit', '5'],
      ['sort_direction', 'asc'],
      ['x', '1'],
    ]);
  });

  it('a first page without parameters links to ?cursor=… only', () => {
    expect(nextLink('/obp/v4.0.0/users/u/entitlements', '', 'C.D')).toBe('</obp/v4.0.0/users/u/entitlements?cursor=C.D>; rel="next"');
  });

  it("its URL, followed, is read with the same filters, so its cursor is accepted (dates with '+' survive the round trip)", () => {
    const query = 'sort_direction=asc&from_date=2013-01-21T23%3A08%3A00%2B02%3A00&to_date=2030-01-01&limit=3&offset=6';
    const { binding } = readListQuery(query, LIST);
    const position = { SK: 'LINK#user-7' };
    const url = urlOf(nextLink('/p', query, encodeCursor(position, binding)));
    expect(url.searchParams.get('from_date')).toBe('2013-01-21T23:08:00+02:00');
    const followed = readListQuery(url.search.slice(1), LIST);
    expect(followed.page).toEqual({
      ascending: true,
      limit: 3,
      offset: 0,
      after: position,
      from: '2013-01-21T21:08:00.000Z',
      to: '2030-01-01T00:00:00.000Z',
    });
  });
});
