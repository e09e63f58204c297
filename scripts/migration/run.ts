// The migration's scan: a parallel Scan of the whole table (strongly consistent pages), each page's previous-layout
// items turned into tasks (scripts/migration/tasks.ts), the tasks already done skipped after one BatchGetItem of
// what they would write, the others run as conditional transactions. Progress is saved after every page, so an
// interrupted run resumes where it stopped; every write is idempotent, so re-running a page is harmless.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, ScanCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Key } from '../../functions/data/keys';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint';
import { taskFor, type Kind, type Phase, type Task, type TransactItem } from './tasks';

type Item = Record<string, unknown>;

export interface MigrationOptions {
  client: DynamoDBDocumentClient;
  table: string;
  phase: Phase;
  /** Report what would be written, write nothing (no checkpoint either). */
  dryRun?: boolean;
  /** Parallel scan segments (default 4). */
  segments?: number;
  /** Transactions in flight per segment (default 8). */
  concurrency?: number;
  /** Items per scanned page (default: DynamoDB's 1 MB pages). */
  pageSize?: number;
  /** Where progress is kept; without it a run starts from the beginning. */
  checkpointFile?: string;
  /** Stop (as if interrupted) after this many pages in all: for tests of resuming. */
  stopAfterPages?: number;
  /** Called (and awaited) just before each task's transaction is sent: tests race the API against it. */
  beforeWrite?: (task: Task) => void | Promise<void>;
  log?: (line: string) => void;
}

export interface KindCounts {
  /** Previous-layout items found. */
  found: number;
  /** Rewritten by this run (or, in a dry run, that would be). */
  migrated: number;
  /** Already in the new layout (an earlier run did it). */
  already: number;
  /** Changed by the API since the scan read them; left as the API left them. */
  stale: number;
  gone: number;
  conflicts: number;
}

export interface MigrationReport {
  table: string;
  phase: Phase;
  dryRun: boolean;
  scanned: number;
  pages: number;
  /** True when the run stopped before the end (stopAfterPages); run it again to go on. */
  interrupted: boolean;
  kinds: Record<Kind, KindCounts>;
  /** Old guards the complete phase moved without a new copy in place: 0 when expand ran with creates paused. */
  guardsMovedWithoutCopy: number;
  /** Transactions sent (each one conditional, idempotent). */
  transactions: number;
  conflicts: { kind: Kind; item: string; reason: string; holder?: Item }[];
}

const KINDS: Kind[] = ['guard', 'customer', 'link', 'entitlement'];
const emptyCounts = (): KindCounts => ({ found: 0, migrated: 0, already: 0, stale: 0, gone: 0, conflicts: 0 });

const keyId = (key: Key): string => `${key.PK}\u0000${key.SK}`;

/** Strongly consistent BatchGetItem of any number of keys, following unprocessed keys. */
const readAll = async (client: DynamoDBDocumentClient, table: string, keys: Key[]): Promise<Map<string, Item>> => {
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((k) => [keyId(k), { PK: k.PK, SK: k.SK }])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Key[] = unique.slice(i, i + 100);
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await sleep(Math.min(1_000, 25 * 2 ** round));
      const out = await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of out.Responses?.[table] ?? []) found.set(keyId(item as Key), item);
      pending = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
    }
  }
  return found;
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Indexes of the items whose condition failed, or undefined when the transaction failed for another reason. */
const failedConditions = (error: unknown): number[] | 'conflict' | undefined => {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  if (reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
  if (reasons.some((r) => r.Code && r.Code !== 'None' && r.Code !== 'ConditionalCheckFailed')) return undefined;
  return reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
};

const MAX_CONFLICT_RETRIES = 10;

/**
 * Sends one transaction, retrying when a concurrent transaction on the same items got in the way; returns the
 * indexes of the items whose condition failed. A lone update goes as a plain conditional UpdateItem, at half the
 * cost of a one-item transaction.
 */
const transact = async (client: DynamoDBDocumentClient, items: TransactItem[]): Promise<number[] | undefined> => {
  const [only] = items;
  if (items.length === 1 && only?.Update) {
    try {
      await client.send(new UpdateCommand(only.Update as UpdateCommandInput));
      return undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return [0];
      throw error;
    }
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      const failed = failedConditions(error);
      if (failed === 'conflict' && attempt < MAX_CONFLICT_RETRIES) {
        await sleep(Math.random() * 10 * 2 ** Math.min(attempt, 6));
        continue;
      }
      if (failed === undefined || failed === 'conflict') throw error;
      return failed;
    }
  }
};

export const migrateTable = async (options: MigrationOptions): Promise<MigrationReport> => {
  const { client, table, phase, dryRun = false, segments = 4, concurrency = 8, pageSize, checkpointFile, stopAfterPages, beforeWrite } = options;
  const log = options.log ?? (() => {});
  const report: MigrationReport = {
    table,
    phase,
    dryRun,
    scanned: 0,
    pages: 0,
    interrupted: false,
    kinds: Object.fromEntries(KINDS.map((k) => [k, emptyCounts()])) as Record<Kind, KindCounts>,
    guardsMovedWithoutCopy: 0,
    transactions: 0,
    conflicts: [],
  };
  const useCheckpoint = checkpointFile !== undefined && !dryRun;
  const checkpoint: Checkpoint = (useCheckpoint ? loadCheckpoint(checkpointFile, { table, phase, segments }) : undefined) ?? {
    table,
    phase,
    segments: Array.from({ length: segments }, () => ({ done: false })),
  };

  const run = async (task: Task, found: (key: Key) => Item | undefined): Promise<void> => {
    const counts = report.kinds[task.kind];
    counts.found++;
    if (task.done(found)) {
      counts.already++;
      return;
    }
    if (dryRun) {
      counts.migrated++;
      return;
    }
    await beforeWrite?.(task);
    report.transactions++;
    const failed = await transact(client, task.write());
    if (!failed) {
      counts.migrated++;
      if (task.uncopied?.(found)) report.guardsMovedWithoutCopy++;
      return;
    }
    const outcome = task.onConditionsFailed(failed);
    if (outcome.result === 'gone') counts.gone++;
    else if (outcome.result === 'stale') {
      counts.stale++;
      if (outcome.followUp) {
        report.transactions++;
        if (await transact(client, outcome.followUp)) counts.gone++;
      }
    } else {
      counts.conflicts++;
      const holder = outcome.inspect ? (await readAll(client, table, [outcome.inspect])).get(keyId(outcome.inspect)) : undefined;
      report.conflicts.push({ kind: task.kind, item: task.describe, reason: outcome.reason, holder });
      log(`conflict: ${task.describe}: ${outcome.reason}`);
    }
  };

  const processPage = async (items: Item[]): Promise<void> => {
    const tasks = items.map((item) => taskFor(table, phase, item)).filter((t): t is Task => t !== undefined);
    const current = await readAll(client, table, tasks.flatMap((t) => t.lookups));
    const found = (key: Key) => current.get(keyId(key));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
        while (next < tasks.length) await run(tasks[next++] as Task, found);
      }),
    );
  };

  const scanPage = (segment: number, start: Record<string, unknown> | undefined) =>
    client.send(
      new ScanCommand({
        TableName: table,
        Segment: segment,
        TotalSegments: checkpoint.segments.length,
        ConsistentRead: true,
        ExclusiveStartKey: start,
        ...(pageSize ? { Limit: pageSize } : {}),
      }),
    );

  let pagesLeft = stopAfterPages ?? Number.POSITIVE_INFINITY;
  // One segment failing stops the others at their next page (the checkpoint keeps what is done).
  let failure: unknown;
  await Promise.all(
    checkpoint.segments.map(async (segment, index) => {
      while (!segment.done && failure === undefined) {
        if (pagesLeft <= 0) {
          report.interrupted = true;
          return;
        }
        pagesLeft--;
        let out: Awaited<ReturnType<typeof scanPage>>;
        try {
          out = await scanPage(index, segment.startKey);
          await processPage(out.Items ?? []);
        } catch (error) {
          failure ??= error;
          return;
        }
        const items = out.Items ?? [];
        report.scanned += items.length;
        report.pages++;
        segment.startKey = out.LastEvaluatedKey;
        segment.done = out.LastEvaluatedKey === undefined;
        if (useCheckpoint) saveCheckpoint(checkpointFile, checkpoint);
      }
    }),
  );
  if (failure !== undefined) throw failure;
  log(`${dryRun ? 'dry run: ' : ''}${phase}: scanned ${report.scanned} items in ${report.pages} pages${report.interrupted ? ' (interrupted)' : ''}`);
  return report;
};
