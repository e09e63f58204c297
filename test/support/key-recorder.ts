// Records which partitions of the table and of its index every DynamoDB call reads and writes, item by item, by
// instrumenting the product's document client (a middleware on its stack, as bench/ddb-recorder.ts does). The
// counts are what a partition's throughput limit counts: DynamoDB caps each partition (of the table, and separately
// of each index) at about 3,000 read units and 1,000 write units a second, and the items here are all under the
// 1 KB / 4 KB unit sizes, so one item read or written is one unit's worth of that partition's budget.
//
// How a call is counted:
// - GetItem: one read of the key's partition. BatchGetItem: one read per key sent (found or not, DynamoDB charges
//   both), less the keys it returned unprocessed (those are sent again and counted then).
// - Query and Scan: one read per item DynamoDB examined (ScannedCount, so items a filter dropped count too), at
//   least one for a query that found nothing; on the index, of the GSI1PK partition queried.
// - PutItem, UpdateItem, DeleteItem and each item of TransactWriteItems: one write of the item's partition, whether
//   the condition held or not (a failed condition is charged too); ConditionCheck: one read.
// - Index writes: the index projects every attribute, so any write of an item that carries GSI1 keys also writes
//   its index partition (and a write that moves or removes the entry writes the partition it leaves). Whether an
//   item has index keys is taken from what the calls themselves showed (its Put, a read of it, ALL_NEW); a write of
//   an item never seen is listed in `unknownItems` so a test can insist there are none.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Store = 'base' | 'index';
export type AccessKind = 'read' | 'write';

export interface Access {
  store: Store;
  /** PK on the base table, GSI1PK on the index. */
  partition: string;
  /** The item's sort key when one item is addressed (SK, or GSI1SK on the index); a query's sort bound otherwise. */
  sort?: string;
  kind: AccessKind;
  /** Items (units) read or written. */
  count: number;
  /** The command, e.g. BatchGetItem. */
  action: string;
  /** What the caller was doing when it was made (see `during`). */
  label?: string;
}

type Item = Record<string, unknown>;
type Input = Record<string, any>;
type Output = Record<string, any>;

const NAME = 'keyDistributionRecorder';

const itemId = (key: Item): string => `${String(key.PK)}\u0000${String(key.SK)}`;

export interface KeyRecorder {
  /** Every access recorded since the last reset. */
  accesses: () => Access[];
  reset: () => void;
  /** Runs `work` with `label` on every access its calls make (async context, so concurrent work keeps its own). */
  during: <T>(label: string, work: () => Promise<T>) => Promise<T>;
  /** Writes of items whose index keys the recorder could not know (none expected). */
  unknownItems: () => string[];
  detach: () => void;
}

export interface RecorderOptions {
  indexName: string;
  /** The index's partition and sort attributes. */
  indexPartition?: string;
  indexSort?: string;
}

export const attachKeyRecorder = (client: DynamoDBDocumentClient, options: RecorderOptions): KeyRecorder => {
  const { indexName, indexPartition = 'GSI1PK', indexSort = 'GSI1SK' } = options;
  const context = new AsyncLocalStorage<string>();
  let accesses: Access[] = [];
  const unknown: string[] = [];
  /** Index partition of every item the calls have shown (null: the item has no index entry, or is gone). */
  const indexOf = new Map<string, string | null>();

  const learn = (item: Item | undefined, projected = false): void => {
    if (!item || projected || item.PK === undefined) return;
    indexOf.set(itemId(item), typeof item[indexPartition] === 'string' ? (item[indexPartition] as string) : null);
  };

  const add = (access: Omit<Access, 'label'>): void => {
    accesses.push({ ...access, label: context.getStore() });
  };

  /** The partition a query addresses: the value its key condition gives the partition attribute. */
  const queriedPartition = (input: Input, attribute: string): { partition: string; sort?: string } => {
    const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
    const values: Record<string, unknown> = input.ExpressionAttributeValues ?? {};
    const condition = String(input.KeyConditionExpression ?? '');
    for (const clause of condition.split(/\s+AND\s+/i)) {
      const m = /^\(?\s*([#\w]+)\s*=\s*(:\w+)\s*\)?$/.exec(clause.trim());
      if (m && (names[m[1] as string] ?? m[1]) === attribute) {
        const sortValue = Object.entries(values).find(([k]) => k !== m[2] && condition.includes(k));
        return { partition: String(values[m[2] as string]), sort: sortValue ? String(sortValue[1]) : undefined };
      }
    }
    throw new Error(`key recorder: no ${attribute} = :value in ${condition}`);
  };

  /** One write of a base item, and of the index partitions it enters or leaves. */
  const write = (action: string, key: Item, after: Item | undefined | null, learned: Array<() => void>, gone = false): void => {
    add({ store: 'base', partition: String(key.PK), sort: String(key.SK), kind: 'write', count: 1, action });
    const id = itemId(key);
    const before = indexOf.get(id);
    const afterPartition = after === null || gone ? null : after && typeof after[indexPartition] === 'string' ? (after[indexPartition] as string) : after ? null : undefined;
    if (before === undefined && afterPartition === undefined) unknown.push(`${action} ${id}`);
    const partitions = new Set([before, afterPartition].filter((p): p is string => typeof p === 'string'));
    for (const partition of partitions) add({ store: 'index', partition, kind: 'write', count: 1, action });
    learned.push(() => {
      if (afterPartition !== undefined) indexOf.set(id, afterPartition);
    });
  };

  const record = (command: string, input: Input, output: Output | undefined): Array<() => void> => {
    const learned: Array<() => void> = [];
    switch (command) {
      case 'GetItem':
        add({ store: 'base', partition: String(input.Key.PK), sort: String(input.Key.SK), kind: 'read', count: 1, action: command });
        if (output && !input.ProjectionExpression) learned.push(() => (output.Item ? learn(output.Item) : indexOf.set(itemId(input.Key), null)));
        break;
      case 'BatchGetItem':
        for (const [table, request] of Object.entries(input.RequestItems as Record<string, { Keys: Item[]; ProjectionExpression?: string }>)) {
          const unprocessed = new Set(((output?.UnprocessedKeys?.[table]?.Keys ?? []) as Item[]).map(itemId));
          const found = new Map(((output?.Responses?.[table] ?? []) as Item[]).map((i) => [itemId(i), i]));
          for (const key of request.Keys) {
            if (unprocessed.has(itemId(key))) continue;
            add({ store: 'base', partition: String(key.PK), sort: String(key.SK), kind: 'read', count: 1, action: command });
            if (output && !request.ProjectionExpression) learned.push(() => (found.has(itemId(key)) ? learn(found.get(itemId(key))) : indexOf.set(itemId(key), null)));
          }
        }
        break;
      case 'Query': {
        const onIndex = input.IndexName === indexName;
        const { partition, sort } = queriedPartition(input, onIndex ? indexPartition : 'PK');
        const items = (output?.Items ?? []) as Item[];
        const examined = Math.max(1, Number(output?.ScannedCount ?? items.length));
        add({ store: onIndex ? 'index' : 'base', partition, sort, kind: 'read', count: examined, action: command });
        learned.push(() => items.forEach((i) => learn(i, input.ProjectionExpression !== undefined)));
        break;
      }
      case 'Scan': {
        const onIndex = input.IndexName === indexName;
        for (const item of (output?.Items ?? []) as Item[]) {
          add({ store: onIndex ? 'index' : 'base', partition: String(item[onIndex ? indexPartition : 'PK']), sort: String(item[onIndex ? indexSort : 'SK']), kind: 'read', count: 1, action: command });
        }
        learned.push(() => ((output?.Items ?? []) as Item[]).forEach((i) => learn(i, input.ProjectionExpression !== undefined)));
        break;
      }
      case 'PutItem':
        write(command, input.Item, input.Item, learned);
        break;
      case 'UpdateItem':
        write(command, input.Key, input.ReturnValues === 'ALL_NEW' && output ? (output.Attributes ?? undefined) : updatedIndexKeys(input, indexPartition), learned);
        break;
      case 'DeleteItem':
        write(command, input.Key, null, learned, true);
        break;
      case 'TransactWriteItems':
        for (const item of input.TransactItems as Input[]) {
          if (item.Put) write(command, item.Put.Item, item.Put.Item, learned);
          else if (item.Update) write(command, item.Update.Key, updatedIndexKeys(item.Update, indexPartition), learned);
          else if (item.Delete) write(command, item.Delete.Key, null, learned, true);
          else if (item.ConditionCheck) {
            add({ store: 'base', partition: String(item.ConditionCheck.Key.PK), sort: String(item.ConditionCheck.Key.SK), kind: 'read', count: 1, action: command });
          }
        }
        break;
      default:
        throw new Error(`key recorder: ${command} is not counted; teach test/support/key-recorder.ts how`);
    }
    return learned;
  };

  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<{ output?: Output }>, ctx: { commandName?: string }) => async (args: { input: Input }) => {
      const command = String(ctx.commandName ?? 'unknown').replace(/Command$/, '').replace(/^(Get|Put|Update|Delete)$/, '$1Item').replace(/^BatchGet$/, 'BatchGetItem').replace(/^TransactWrite$/, 'TransactWriteItems');
      let result: { output?: Output } | undefined;
      let failed = false;
      try {
        result = await next(args);
        return result;
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // Counted whether or not it succeeded; what an item holds is learned only from calls that succeeded.
        const learned = record(command, args.input, failed ? undefined : result?.output);
        if (!failed) for (const apply of learned) apply();
      }
    }) as never,
    // After the in-flight limiter (initialize, high), before the document client marshalls: plain JS in and out.
    { step: 'initialize', name: NAME, priority: 'low' },
  );

  return {
    accesses: () => accesses,
    reset: () => {
      accesses = [];
      unknown.length = 0;
    },
    during: (label, work) => context.run(label, work),
    unknownItems: () => [...unknown],
    detach: () => client.middlewareStack.remove(NAME),
  };
};

/**
 * What an UpdateItem does to the item's index keys: `undefined` when it does not name the index partition (the item
 * keeps whatever it had), else the new value from its SET, or null when it REMOVEs it.
 */
const updatedIndexKeys = (update: Input, indexPartition: string): Item | null | undefined => {
  const expression = String(update.UpdateExpression ?? '');
  const names: Record<string, string> = update.ExpressionAttributeNames ?? {};
  const values: Record<string, unknown> = update.ExpressionAttributeValues ?? {};
  const alias = Object.entries(names).find(([, n]) => n === indexPartition)?.[0];
  const candidates = [indexPartition, ...(alias ? [alias] : [])];
  for (const name of candidates) {
    const set = new RegExp(`(?:^|[\\s,])${name.replace(/[#]/g, '\\#')}\\s*=\\s*(:\\w+)`).exec(expression);
    if (set && /\bSET\b/i.test(expression)) return { [indexPartition]: values[set[1] as string] };
    if (new RegExp(`\\bREMOVE\\b[^]*${name.replace(/[#]/g, '\\#')}\\b`).test(expression)) return null;
  }
  return undefined;
};

// ---- Shares

export interface Share {
  /** `base PK` or `index GSI1PK`. */
  partition: string;
  count: number;
  share: number;
}

/** Units per partition of the accesses that pass `filter`, largest first, each with its share of their total. */
export const sharesOf = (accesses: Access[], filter: (a: Access) => boolean): { total: number; shares: Share[] } => {
  const counts = new Map<string, number>();
  let total = 0;
  for (const a of accesses) {
    if (!filter(a)) continue;
    const name = `${a.store} ${a.partition}`;
    counts.set(name, (counts.get(name) ?? 0) + a.count);
    total += a.count;
  }
  const shares = [...counts.entries()]
    .map(([partition, count]) => ({ partition, count, share: total === 0 ? 0 : count / total }))
    .sort((x, y) => y.count - x.count || (x.partition < y.partition ? -1 : 1));
  return { total, shares };
};

/** `  12.34%  1,234  base BANK#b` lines for the top `n`. */
export const formatShares = (title: string, result: { total: number; shares: Share[] }, n = 10): string =>
  [
    `${title} (${result.total.toLocaleString('en')} units, ${result.shares.length.toLocaleString('en')} partitions)`,
    ...result.shares.slice(0, n).map((s) => `  ${(s.share * 100).toFixed(2).padStart(6)}%  ${s.count.toLocaleString('en').padStart(8)}  ${s.partition}`),
  ].join('\n');
