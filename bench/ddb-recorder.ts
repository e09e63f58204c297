// Instruments the API's DynamoDB document client: every HTTP round trip (each attempt, below the SDK's retry
// middleware) is recorded with its command, start/end times and what DynamoDB says it consumed, so the critical
// path and the capacity can be counted, not guessed. ReturnConsumedCapacity is added here, in the benchmark only:
// the product never asks for it.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsWriteUnits, writeTargets, type Before } from './write-units';

/** Capacity units one call consumed, as DynamoDB reported them: on the base table and on each index. */
export interface Capacity {
  table: number;
  indexes: Record<string, number>;
}

export interface RecordedCall {
  command: string;
  /** The index a Query read (absent: the base table). */
  index?: string;
  start: number;
  end: number;
  /** ConsistentRead as sent (reads only). */
  consistent?: boolean;
  /** BatchGetItem: keys asked for and items returned; GetItem: 1 and 0 or 1. */
  keys?: number;
  found?: number;
  /** Query: items evaluated (before any filter) and returned. */
  scanned?: number;
  count?: number;
  /** TransactWriteItems: how many items it wrote. */
  items?: number;
  /** ConsumedCapacity of the response (absent when the attempt failed). */
  capacity?: Capacity;
  /** Writes: the units AWS's rules give for this write (bench/write-units.ts), when the recorder can look items up. */
  awsWrite?: { table: number; index: number };
  /** Time the benchmark spent looking up the write's items before sending it (not the product's time). */
  lookupMs?: number;
}

/** Reads the items at these keys as they are now, outside the recorded client (for the write estimate). */
export type Lookup = (keys: Record<string, unknown>[]) => Promise<Before>;

export interface Recorder {
  /** The calls recorded since the last take(), in start order. */
  take: () => RecordedCall[];
}

type Input = Record<string, any>;

interface ConsumedCapacityShape {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const capacityOf = (consumed: ConsumedCapacityShape | ConsumedCapacityShape[] | undefined): Capacity | undefined => {
  if (consumed === undefined) return undefined;
  const all = Array.isArray(consumed) ? consumed : [consumed];
  const result: Capacity = { table: 0, indexes: {} };
  for (const c of all) {
    result.table += c.Table?.CapacityUnits ?? 0;
    for (const [name, units] of Object.entries(c.GlobalSecondaryIndexes ?? {})) result.indexes[name] = (result.indexes[name] ?? 0) + (units.CapacityUnits ?? 0);
  }
  return result;
};

/** What the request asked for, read from the command's input before it is sent. */
const describeInput = (command: string, input: Input): Partial<RecordedCall> => {
  switch (command) {
    case 'BatchGetItem': {
      const requests = Object.values(input.RequestItems ?? {}) as Input[];
      return { keys: requests.reduce((n, r) => n + (r.Keys?.length ?? 0), 0), consistent: requests.every((r) => r.ConsistentRead === true) };
    }
    case 'GetItem':
      return { keys: 1, consistent: input.ConsistentRead === true };
    case 'Query':
      return { index: input.IndexName, consistent: input.ConsistentRead === true };
    case 'TransactWriteItems':
      return { items: input.TransactItems?.length ?? 0 };
    default:
      return {};
  }
};

const describeOutput = (command: string, output: Input | undefined): Partial<RecordedCall> => {
  if (!output) return {};
  const capacity = capacityOf(output.ConsumedCapacity);
  switch (command) {
    case 'BatchGetItem':
      return { capacity, found: (Object.values(output.Responses ?? {}) as unknown[][]).reduce((n, items) => n + items.length, 0) };
    case 'GetItem':
      return { capacity, found: output.Item ? 1 : 0 };
    case 'Query':
      return { capacity, scanned: output.ScannedCount ?? 0, count: output.Count ?? 0 };
    default:
      return { capacity };
  }
};

const INPUT = Symbol('benchInput');
const ESTIMATE = Symbol('benchWriteEstimate');
const attached = new WeakMap<DynamoDBDocumentClient, Recorder>();

/**
 * The client's recorder (attached once; every figure that records shares it). With `lookup`, each write's target
 * items are read first (by another client, timed apart) so that its units can be computed by AWS's rules.
 */
export const attachRecorder = (client: DynamoDBDocumentClient, lookup?: Lookup): Recorder => {
  const existing = attached.get(client);
  if (existing) return existing;
  let calls: RecordedCall[] = [];
  // Before anything else: ask for the consumed capacity and note what the request asks for. The context object is
  // the one the per-attempt middleware below sees.
  client.middlewareStack.add(
    ((next: (args: { input: Input }) => Promise<unknown>, context: { commandName?: string } & Record<symbol, unknown>) => async (args: { input: Input }) => {
      const input = { ...args.input, ReturnConsumedCapacity: 'INDEXES' };
      context[INPUT] = input;
      const command = (context.commandName ?? '').replace(/Command$/, '');
      const targets = lookup ? writeTargets(command, input) : [];
      if (lookup && targets.length > 0) {
        const started = performance.now();
        const before = await lookup(targets);
        context[ESTIMATE] = { awsWrite: awsWriteUnits(command, input, before), lookupMs: performance.now() - started };
      }
      return next({ ...args, input });
    }) as never,
    { step: 'initialize', name: 'benchConsumedCapacity', priority: 'high' },
  );
  // One record per HTTP attempt: in the deserialize step (below the SDK's retries), outside the deserializer, so
  // the parsed response (with its ConsumedCapacity) is seen.
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<{ output?: Input }>, context: { commandName?: string } & Record<symbol, unknown>) => async (args: unknown) => {
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const start = performance.now();
      let output: Input | undefined;
      try {
        const result = await next(args);
        output = result.output;
        return result;
      } finally {
        const estimate = context[ESTIMATE] as Pick<RecordedCall, 'awsWrite' | 'lookupMs'> | undefined;
        // The lookup happened once per command: its time goes with the first attempt only.
        context[ESTIMATE] = estimate && { awsWrite: estimate.awsWrite, lookupMs: 0 };
        calls.push({ command, start, end: performance.now(), ...describeInput(command, (context[INPUT] as Input) ?? {}), ...describeOutput(command, output), ...estimate });
      }
    }) as never,
    { step: 'deserialize', name: 'benchRoundTripRecorder', priority: 'high' },
  );
  const recorder: Recorder = {
    take: () => {
      const taken = calls.sort((a, b) => a.start - b.start);
      calls = [];
      return taken;
    },
  };
  attached.set(client, recorder);
  return recorder;
};

/**
 * Round trips on the critical path: the longest chain of calls in which each starts only after the previous one
 * ended. Calls that overlap in time (sent in parallel) count once.
 */
export const sequentialDepth = (calls: RecordedCall[]): number => {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if ((sorted[j] as RecordedCall).end <= call.start) before = Math.max(before, depth[j] as number);
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
};

const callName = (c: RecordedCall): string => {
  if (c.command === 'BatchGetItem') return `BatchGetItem(${c.keys})`;
  if (c.command === 'Query' && c.index) return `Query(${c.index})`;
  if (c.command === 'TransactWriteItems') return `TransactWriteItems(${c.items})`;
  return c.command;
};

/** `BatchGetItem(3) → Query ×2 (parallel)`: the calls grouped into sequential steps (BatchGetItem with its key count). */
export const describeSteps = (calls: RecordedCall[]): string => {
  if (calls.length === 0) return '(none)';
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const steps: RecordedCall[][] = [];
  for (const call of sorted) {
    const last = steps[steps.length - 1];
    if (last && last.some((c) => c.end > call.start)) last.push(call);
    else steps.push([call]);
  }
  return steps
    .map((step) => {
      const names = [...new Set(step.map(callName))];
      return step.length === 1 ? names[0] : `${names.join('+')} ×${step.length} (parallel)`;
    })
    .join(' → ');
};
