// Keyset paging over one or more partitions (docs/design.md, "Lists and paging"). A page starts right after the
// last item of the page before (DynamoDB's ExclusiveStartKey), so a deep page costs what the first one does; a list
// spread over several partitions (a bank's customer index shards, the customers linked to a user) is read from all
// of them in parallel and merged in order.
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './table-client';

/** Where a page ends: the last item's key attributes, without the partition attribute of the list's index. */
export type Position = Record<string, string>;

export interface PageRequest {
  ascending: boolean;
  /** Items per page (at most this many are returned). */
  limit: number;
  /** Items to skip first (OBP's offset; bounded, so the skip-and-count stays cheap). */
  offset: number;
  /** Start after this position (from the previous page's cursor). */
  after?: Position;
  /** Inclusive bounds on the items' creation time (ISO 8601 instants). */
  from: string;
  to: string;
}

export interface Page<T> {
  items: T[];
  /** Present exactly when more items follow: the position of the page's last item. */
  next?: Position;
}

/** How one list is stored: which index, which partitions, the sort-key range, and how to bound it by time. */
export interface ListLayout {
  index?: string;
  partitionAttribute: 'PK' | 'GSI1PK';
  sortAttribute: 'SK' | 'GSI1SK';
  /** One partition, or several read in parallel and merged (shards, linked customers). */
  partitions: string[];
  /** The sort keys of the list's items all start with this. */
  sortPrefix: string;
  /**
   * `sortKey`: the sort key is `<prefix><created-at>#…`, so time bounds are a key condition. `attribute`: the items
   * sort otherwise (by user, by role), so time bounds filter on this attribute of each item.
   */
  time: { kind: 'sortKey' } | { kind: 'attribute'; name: string };
  /** The key attributes a position holds: the sort attribute and, on an index, the table's key. */
  positionAttributes: readonly string[];
  consistent: boolean;
}

/** A cursor's position that cannot belong to this list (tampered with, or from another list or filter). */
export class PositionOutsideList extends Error {}

const LAST = '\uffff';

const sortRange = (layout: ListLayout, page: PageRequest): { lower: string; upper: string } =>
  layout.time.kind === 'sortKey'
    ? { lower: `${layout.sortPrefix}${page.from}`, upper: `${layout.sortPrefix}${page.to}#${LAST}` }
    : { lower: layout.sortPrefix, upper: `${layout.sortPrefix}${LAST}` };

/** A key value DynamoDB takes as a start key: text, not empty, valid Unicode, within its key size limit (1,024 bytes for a sort key). */
const isKeyValue = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && value.isWellFormed() && Buffer.byteLength(value) <= 1024;

/**
 * Every item of a list sorts strictly between the range's bounds (a key is longer than the bare prefix and shorter
 * than the prefix's upper end), and DynamoDB refuses a start key on a bound (ValidationException: "does not match
 * the range key predicate"), so a position on or outside a bound is none of this list's.
 */
const checkPosition = (layout: ListLayout, position: Position, lower: string, upper: string): void => {
  const names = Object.keys(position).sort();
  const expected = [...layout.positionAttributes].sort();
  const wellFormed = names.length === expected.length && names.every((n, i) => n === expected[i] && isKeyValue(position[n]));
  const sortValue = position[layout.sortAttribute];
  if (!wellFormed || sortValue === undefined || sortValue <= lower || sortValue >= upper) throw new PositionOutsideList();
};

/** One partition of a list, read in order from where it stopped. */
interface PartitionReader {
  items: Record<string, unknown>[];
  /** Where to go on; undefined once the partition has no more. */
  resumeAt: Record<string, unknown> | undefined;
  started: boolean;
}

const queryInput = (layout: ListLayout, partition: string, page: PageRequest): Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'> => {
  const range = sortRange(layout, page);
  // A page after a position also starts its key condition there (ExclusiveStartKey still leaves the position out).
  // The same answer, and on DynamoDB the same cost; DynamoDB Local otherwise walks the range from its start to the
  // position, so a deep page cost more than the first one there (npm start, the tests, the benchmark).
  const position = page.after?.[layout.sortAttribute];
  const lower = position !== undefined && page.ascending ? position : range.lower;
  const upper = position !== undefined && !page.ascending ? position : range.upper;
  const timeFilter =
    layout.time.kind === 'attribute'
      ? { FilterExpression: '#created BETWEEN :from AND :to', names: { '#created': layout.time.name }, values: { ':from': page.from, ':to': page.to } }
      : undefined;
  return {
    TableName: tableName(),
    ...(layout.index ? { IndexName: layout.index } : {}),
    KeyConditionExpression: '#p = :p AND #s BETWEEN :lower AND :upper',
    ExpressionAttributeNames: { '#p': layout.partitionAttribute, '#s': layout.sortAttribute, ...timeFilter?.names },
    ExpressionAttributeValues: { ':p': partition, ':lower': lower, ':upper': upper, ...timeFilter?.values },
    ...(timeFilter ? { FilterExpression: timeFilter.FilterExpression } : {}),
    ScanIndexForward: page.ascending,
    ConsistentRead: layout.consistent,
  };
};

/** Reads `count` more items of one partition (fewer when it runs out). */
const readMore = async (layout: ListLayout, partition: string, page: PageRequest, reader: PartitionReader, count: number): Promise<void> => {
  const input = queryInput(layout, partition, page);
  const target = reader.items.length + count;
  if (!reader.started) {
    reader.started = true;
    reader.resumeAt = page.after ? { ...page.after, [layout.partitionAttribute]: partition } : undefined;
  } else if (!reader.resumeAt) return;
  let start = reader.resumeAt;
  do {
    const out = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start, Limit: target - reader.items.length }));
    reader.items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && reader.items.length < target);
  reader.resumeAt = start;
};

const compareBy = (layout: ListLayout, ascending: boolean) => {
  const attributes = [layout.sortAttribute, ...layout.positionAttributes.filter((a) => a !== layout.sortAttribute)];
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const name of attributes) {
      const x = String(a[name]);
      const y = String(b[name]);
      if (x !== y) return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    }
    return 0;
  };
};

/**
 * One page of a list: every partition read in parallel and merged in order. Without an offset each partition is
 * read for its first limit + 1 items after the position: the merged head is exact at once, because each partition's
 * share of it is among its own first items, so a page is one round of parallel queries however deep the cursor.
 * An offset (skip-and-count, bounded at 10,000) over several partitions reads them in chunks of about twice their
 * even share, and reads on only those partitions whose last item still falls inside the wanted head, so a deep
 * offset costs about twice what it skips instead of that times the number of partitions.
 */
export const readPage = async (layout: ListLayout, page: PageRequest): Promise<Page<Record<string, unknown>>> => {
  const { lower, upper } = sortRange(layout, page);
  if (page.after) checkPosition(layout, page.after, lower, upper);
  // A from_date after the to_date bounds no item; DynamoDB refuses such a BETWEEN (a ValidationException).
  if (page.from > page.to) return { items: [] };
  const end = page.offset + page.limit;
  const wanted = end + 1;
  const compare = compareBy(layout, page.ascending);
  const readers: PartitionReader[] = layout.partitions.map(() => ({ items: [], resumeAt: undefined, started: false }));
  const chunk = layout.partitions.length === 1 || page.offset === 0 ? wanted : Math.max(page.limit + 1, Math.ceil((2 * wanted) / layout.partitions.length));
  let pending = readers.map((_, i) => i);
  let merged: Record<string, unknown>[] = [];
  while (pending.length > 0) {
    await Promise.all(pending.map((i) => readMore(layout, layout.partitions[i] as string, page, readers[i] as PartitionReader, chunk)));
    merged = readers.length === 1 ? (readers[0] as PartitionReader).items : readers.flatMap((r) => r.items).sort(compare);
    const cutoff = merged.length >= wanted ? merged[wanted - 1] : undefined;
    // A partition can still add to the head only if it has more and its last item read lies before the head ends.
    pending = readers.flatMap((r, i) => {
      const last = r.items[r.items.length - 1];
      return r.resumeAt && (cutoff === undefined || last === undefined || compare(last, cutoff) < 0) ? [i] : [];
    });
  }
  const items = merged.slice(page.offset, end);
  const last = items[items.length - 1];
  const next =
    merged.length > end && last ? Object.fromEntries(layout.positionAttributes.map((a) => [a, String(last[a])])) : undefined;
  return { items, next };
};
