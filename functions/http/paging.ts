// The query parameters of every list (OBP's names and errors) and the cursor that leads to the next page
// (docs/design.md, "Lists and paging"). A cursor is the position of a page's last item, bound to its list: the
// operation, the path's ids and the filters. It carries a digest of both, so a cursor that is edited, or replayed on
// another customer's, user's or bank's list, or with other filters, is refused rather than read. (The digest is not
// a secret: whoever forges one can only start the list they may read anyway at another place — the position is
// always read inside that list's own partitions and bounds, functions/data/paging.ts.)
import { createHash } from 'node:crypto';
import type { PageRequest, Position } from '../data/paging';
import { invalidFilter, ObpError, ObpMessages } from '../common/obp-errors';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
export const MAX_OFFSET = 10_000;
const EPOCH = '1970-01-01T00:00:00.000Z';
const FAR_FUTURE = '4000-01-01T00:00:00.000Z';

/** OBP's millisecond form, RFC 3339 with any offset or fraction, or a plain date (midnight UTC). */
const QUERY_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2}))?$/;

/** The instant a query date names, as an ISO string with milliseconds, or undefined for no real instant. */
export const parseQueryDate = (text: string): string | undefined => {
  const m = QUERY_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  // setUTCFullYear takes the year as written (Date.UTC reads 0–99 as 1900–1999); Date rolls 2013-02-30 over into
  // March, so a real date reads back as written.
  const civil = new Date(0);
  civil.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  if (civil.getUTCFullYear() !== Number(y) || civil.getUTCMonth() !== Number(mo) - 1 || civil.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  const millis = Date.parse(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : text.replace(' ', 'T').toUpperCase());
  return Number.isNaN(millis) ? undefined : new Date(millis).toISOString();
};

const NATURAL = /^\d{1,9}$/;

export interface ListQuery {
  page: PageRequest;
  /** The cursor's binding: what the next page's cursor must be issued for. */
  binding: string;
}

const cursorError = (why: string): ObpError => new ObpError(400, `${ObpMessages.InvalidFilterParameterFormat}cursor: ${why}`);

const digest = (binding: string, payload: string): string => createHash('sha256').update(`${binding}\n${payload}`).digest('base64url').slice(0, 22);

export const encodeCursor = (position: Position, binding: string): string => {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${digest(binding, payload)}`;
};

const decodeCursor = (cursor: string, binding: string): Position => {
  const [payload, tag, ...rest] = cursor.split('.');
  if (!payload || !tag || rest.length > 0 || cursor.length > 4096) throw cursorError('not a cursor of this API.');
  if (tag !== digest(binding, payload)) throw cursorError('it belongs to another list or other filters, or was changed.');
  // The digest is no secret (see above): a forged payload may be anything, and is refused like any other non-cursor.
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw cursorError('not a cursor of this API.');
  }
  if (position === null || typeof position !== 'object' || Array.isArray(position)) throw cursorError('not a cursor of this API.');
  return position as Position;
};

/**
 * Reads the list parameters in OBP's order (sort_direction → from_date → to_date → limit → offset), then the cursor.
 * Only the first value of a repeated parameter counts, an empty one is absent, and unknown ones are ignored.
 */
export const readListQuery = (rawQuery: string, listIdentity: unknown[]): ListQuery => {
  const query = new URLSearchParams(rawQuery);
  const value = (name: string): string | undefined => {
    const v = query.get(name);
    return v === null || v === '' ? undefined : v;
  };
  const sort = value('sort_direction');
  if (sort !== undefined && !/^(asc|desc)$/i.test(sort)) throw invalidFilter(ObpMessages.FilterSortDirectionError);
  const dates = (['from_date', 'to_date'] as const).map((name) => {
    const text = value(name);
    if (text === undefined) return undefined;
    const instant = parseQueryDate(text);
    if (instant === undefined) throw invalidFilter(ObpMessages.FilterDateFormatError);
    return instant;
  });
  const limitText = value('limit');
  if (limitText !== undefined && (!NATURAL.test(limitText) || Number(limitText) < 1)) throw invalidFilter(ObpMessages.FilterLimitError);
  if (limitText !== undefined && Number(limitText) > MAX_LIMIT) throw invalidFilter(`${ObpMessages.FilterLimitError} The maximum is ${MAX_LIMIT}.`);
  const offsetText = value('offset');
  if (offsetText !== undefined && !NATURAL.test(offsetText)) throw invalidFilter(ObpMessages.FilterOffsetError);
  if (offsetText !== undefined && Number(offsetText) > MAX_OFFSET) {
    throw invalidFilter(`${ObpMessages.FilterOffsetError} The maximum is ${MAX_OFFSET}; page further with the cursor of the Link header.`);
  }
  const ascending = sort?.toLowerCase() === 'asc';
  const from = dates[0] ?? EPOCH;
  const to = dates[1] ?? FAR_FUTURE;
  const binding = JSON.stringify([...listIdentity, ascending ? 'ASC' : 'DESC', from, to]);
  const cursor = value('cursor');
  if (cursor !== undefined && offsetText !== undefined) throw cursorError('send either offset or cursor, not both.');
  return {
    binding,
    page: {
      ascending,
      limit: limitText === undefined ? DEFAULT_LIMIT : Number(limitText),
      offset: offsetText === undefined ? 0 : Number(offsetText),
      after: cursor === undefined ? undefined : decodeCursor(cursor, binding),
      from,
      to,
    },
  };
};

/** `Link: <next page>; rel="next"` (RFC 8288): the request's URL with its other parameters and the next cursor. */
export const nextLink = (path: string, rawQuery: string, cursor: string): string => {
  const query = new URLSearchParams(rawQuery);
  query.delete('cursor');
  query.delete('offset');
  query.set('cursor', cursor);
  return `<${path}?${query.toString()}>; rel="next"`;
};

/** A position the data layer found outside its list (functions/data/paging.ts). */
export const cursorOutsideList = (): ObpError => cursorError('it does not lie within this list and its filters.');
