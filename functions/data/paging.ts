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

const checkPosition = (layout: ListLayout, position: Position, lower: string, upper: string): void => {
  const names = Object.keys(position).sort();
  const expected = [...layout.positionAttributes].sort();
  const wellFormed =
    names.length === expected.length &&
    names.every((n, i) => n === expected[i] && typeof position[n] === 'string' && (position[n] as string).length <= 2048);
  const sortValue = position[layout.sortAttribute];
  if (!wellFormed || sortValue === undefined || sortValue < lower || sortValue > upper) throw new PositionOutsideList();
};

/** Up to `wanted` items of one partition, in order, after `after`. */
const readPartition = async (layout: ListLayout, partition: string, page: PageRequest, wanted: number): Promise<Record<string, unknown>[]> => {
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
  const input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'> = {
    TableName: tableName(),
    ...(layout.index ? { IndexName: layout.index } : {}),
    KeyConditionExpression: '#p = :p AND #s BETWEEN :lower AND :upper',
    ExpressionAttributeNames: { '#p': layout.partitionAttribute, '#s': layout.sortAttribute, ...timeFilter?.names },
    ExpressionAttributeValues: { ':p': partition, ':lower': lower, ':upper': upper, ...timeFilter?.values },
    ...(timeFilter ? { FilterExpression: timeFilter.FilterExpression } : {}),
    ScanIndexForward: page.ascending,
    ConsistentRead: layout.consistent,
  };
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined = page.after ? { ...page.after, [layout.partitionAttribute]: partition } : undefined;
  do {
    const out = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start, Limit: wanted - items.length }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && items.length < wanted);
  return items;
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
 * One page of a list: every partition read in parallel for its first offset + limit + 1 items after the position,
 * merged in order. The merged head is exact, because each partition's share of it is among its own first items.
 */
export const readPage = async (layout: ListLayout, page: PageRequest): Promise<Page<Record<string, unknown>>> => {
  const { lower, upper } = sortRange(layout, page);
  if (page.after) checkPosition(layout, page.after, lower, upper);
  const end = page.offset + page.limit;
  const parts = await Promise.all(layout.partitions.map((p) => readPartition(layout, p, page, end + 1)));
  const merged = layout.partitions.length === 1 ? (parts[0] ?? []) : parts.flat().sort(compareBy(layout, page.ascending));
  const items = merged.slice(page.offset, end);
  const last = items[items.length - 1];
  const next =
    merged.length > end && last ? Object.fromEntries(layout.positionAttributes.map((a) => [a, String(last[a])])) : undefined;
  return { items, next };
};
