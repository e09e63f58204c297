// Figure 1: DynamoDB round trips on the critical path of every operation, counted by an instrumented document
// client while the real handlers run in-process against DynamoDB Local: warm (the function has seen the bank
// before, as nearly every request of a live function has), cold (the first request for that bank in an instance),
// and with an Idempotency-Key (the first attempt, then its replay). The same runs give figure 2 (capacity).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DevTokenIssuer } from '../local/dev-tokens';
import { forgetKnownBanks, loadRequestContext } from '../functions/data/request-context-repository';
import { documentClient, tableName } from '../functions/data/table-client';
import { OPERATIONS, operationByName, takesIdempotencyKey } from '../functions/common/operations';
import { unitsOf, type RequestUnits } from './capacity';
import { attachRecorder, describeSteps, sequentialDepth, type Lookup, type RecordedCall } from './ddb-recorder';
import { invoke, prepareCall } from './invoke';
import { verdict, type BarCheck, type FigureResult } from './report';
import { formatSummary, summarize } from './stats';
import { buildWorkload, uid, type BenchRequest, type Workload } from './workload';
import { keyId } from './write-units';

export const REPETITIONS = 5;

interface Bar {
  /** `exact`: must equal; `atMost`: must not exceed; `report`: shown, no bar. */
  kind: 'exact' | 'atMost' | 'report';
  depth: number;
  /** For `exact`: the calls, in order, that must make up the critical path. */
  calls?: string[];
}

interface Expectation {
  bar: Bar;
  /** The fewest sequential round trips the access pattern allows (warm / cold when they differ). */
  minimum: string;
  why: string;
}

const atMost = (depth: number, minimum: string, why: string): Expectation => ({ bar: { kind: 'atMost', depth }, minimum, why });
const UPDATE = atMost(2, '2', "context read (the caller's role items, the path's customer); one UpdateItem of the changed fields only (with a key: a 2-item transaction with the record)");
const LIST = (why: string): Expectation => atMost(2, '2', `role check (context read); ${why}`);

/**
 * The minimum of each operation and why. Every operation that has a bank in its path or needs a role makes one
 * context read first (the caller's candidate role items, the path's customer and whatever the path names by id, in
 * one BatchGetItem; the bank only the first time a function instance sees it), because 404/403 come before anything
 * else. After it, each step that needs the previous step's answer (or that is a Query, which BatchGetItem cannot
 * carry) is one more round trip; independent calls go out in parallel and count once.
 */
export const EXPECTED: Record<string, Expectation> = {
  root: { bar: { kind: 'exact', depth: 0 }, minimum: '0', why: 'no table access' },
  createBank: atMost(2, '2', "the caller's CanCreateBank item; the bank and the creator's two grants (2 items each) in one transaction"),
  getBank: atMost(1, '0 / 1', 'nothing once the function has seen the bank (banks are immutable); the bank item the first time'),
  addEntitlement: atMost(2, '2', "the caller's granting role items at the body's bank; the entitlement's two items in one transaction"),
  getEntitlements: LIST("one Query of the user's entitlements"),
  getCurrentUser: atMost(1, '1', "one Query of the caller's entitlements (no bank, no role)"),
  createCustomer: {
    bar: { kind: 'exact', depth: 2, calls: ['BatchGetItem', 'TransactWriteItems'] },
    minimum: '2',
    why: 'context read; customer + number guard in one transaction (+ the idempotency record with a key)',
  },
  addCustomerMessage: atMost(2, '2', 'context read (role, the customer with its link count); the message Put'),
  createCustomerMessage: atMost(2, '2', 'context read (role, customer); the message Put'),
  getCustomerMessages: LIST('one Query of its messages'),
  getMyMessages: atMost(
    3,
    '2 / 3',
    "the caller's links at the bank (Query); each linked customer's messages (Queries in parallel); no role to check, so the first time also the bank before them",
  ),
  getCustomerById: atMost(1, '1', "role and the path's customer in the one context read"),
  getCustomerByNumber: atMost(2, '2', 'context read, with the guard of the number peeked from the body; GetItem of the customer it names'),
  createUserCustomerLink: {
    bar: { kind: 'report', depth: 3 },
    minimum: '3',
    why: "context read; the body's customer (GetItem); 3 link items + link count in one transaction. 2 would need the body's customer_id peeked into the first read, as getCustomerByNumber does",
  },
  updateCustomerNumber: atMost(2, '2', 'context read; one transaction: new guard (if free), old guard (if still ours), customer (if its number is unchanged)'),
  updateCustomerEmail: UPDATE,
  updateCustomerMobileNumber: UPDATE,
  updateCustomerIdentity: UPDATE,
  updateCustomerCreditLimit: UPDATE,
  updateCustomerCreditRatingAndSource: UPDATE,
  updateCustomerBranch: UPDATE,
  updateCustomerData: UPDATE,
  getCustomersAtOneBank: LIST('the 16 index shards (GSI1 Queries in parallel), merged'),
  getCustomersMinimalAtOneBank: LIST('the 16 index shards (GSI1 Queries in parallel), merged'),
  deleteEntitlement: atMost(
    3,
    '2 / 3',
    "the entitlement by id and the caller's system roles; the caller's roles at the entitlement's bank (known only now); both items deleted in one transaction. 2 for a super admin or a holder of CanDeleteEntitlementAtAnyBank",
  ),
  getEntitlementsForBank: LIST("one Query of the bank's grants (GSI1)"),
  deleteUserCustomerLink: atMost(3, '2', "context read (role, the link by id); the link's 3 items and the link count in one transaction"),
  getUserCustomerLinksByUserId: LIST("one Query of the user's links at the bank"),
  getUserCustomerLinksByCustomerId: LIST("one Query of the customer's links"),
};

export type Variant = 'warm' | 'cold' | 'keyFirst' | 'replay';

export interface Sample {
  depth: number;
  calls: RecordedCall[];
  steps: string;
  units: RequestUnits;
  /** Handler wall time, in-process, against DynamoDB Local (the benchmark's own item lookups taken off). */
  ms: number;
  bytes: number;
  /** Lists: the items the answer held, and whether it linked a next page. */
  listItems?: number;
  hasNext?: boolean;
}

export interface OperationSamples {
  operation: string;
  scenario: string;
  samples: Record<Variant, Sample[]>;
}

export interface Measurements {
  workload: Workload;
  operations: OperationSamples[];
}

const listLength = (body: unknown): number | undefined => {
  if (body === null || typeof body !== 'object') return undefined;
  const list = Object.values(body as Record<string, unknown>).find(Array.isArray);
  return list ? list.length : undefined;
};

/** The items at `keys` now, read by a client of its own (not the recorded one), for the write estimate. */
const lookupWith = (client: DynamoDBDocumentClient): Lookup => async (keys) => {
  const unique = [...new Map(keys.map((k) => [keyId(k), { PK: k.PK, SK: k.SK }])).values()];
  const out = await client.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: unique, ConsistentRead: true } } }));
  if (Object.keys(out.UnprocessedKeys ?? {}).length > 0) throw new Error('lookup: unprocessed keys');
  const found = new Map((out.Responses?.[tableName()] ?? []).map((item) => [keyId(item), item]));
  return new Map(unique.map((k) => [keyId(k), found.get(keyId(k))]));
};

/** Runs every operation of the operations list through its real handler: warm, cold, and with an Idempotency-Key. */
export const measureOperations = async (tokens: DevTokenIssuer): Promise<Measurements> => {
  const workload = await buildWorkload();
  const byOperation = new Map(workload.cases.map((c) => [c.operation, c]));
  const missing = OPERATIONS.filter((o) => !byOperation.has(o.name) || !EXPECTED[o.name]).map((o) => o.name);
  if (missing.length > 0) throw new Error(`The benchmark has no scenario or expectation for: ${missing.join(', ')}`);
  const extra = workload.cases.filter((c) => !OPERATIONS.some((o) => o.name === c.operation)).map((c) => c.operation);
  if (extra.length > 0) throw new Error(`Scenarios for operations not in the operations list: ${extra.join(', ')}`);

  const lookupClient = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT }));
  const recorder = attachRecorder(documentClient(), lookupWith(lookupClient));
  const tokenCache = new Map<string, Promise<string>>();
  const token = (userId: string) => {
    let t = tokenCache.get(userId);
    if (!t) tokenCache.set(userId, (t = tokens.issue({ user_id: userId })));
    return t;
  };

  const run = async (operation: string, request: BenchRequest, options: { cold?: boolean; key?: string } = {}) => {
    const prepared = await prepareCall(request.method, request.path, {
      token: request.as ? await token(request.as) : undefined,
      body: request.body,
      headers: options.key ? { 'idempotency-key': options.key } : undefined,
    });
    if (prepared.operation.name !== operation) throw new Error(`${request.method} ${request.path} routes to ${prepared.operation.name}, not ${operation}`);
    // Warm: the bank is known to the function, as after any earlier request for it; cold: it is not.
    if (options.cold) forgetKnownBanks();
    else await loadRequestContext({ bankId: workload.bankId, roles: [] });
    recorder.take();
    const started = performance.now();
    const result = await invoke(prepared);
    const elapsed = performance.now() - started;
    const calls = recorder.take();
    if (result.status !== prepared.operation.response.status) {
      throw new Error(`${operation}: ${request.method} ${request.path} answered ${result.status}: ${JSON.stringify(result.body)}`);
    }
    const items = listLength(result.body);
    const units = unitsOf(calls);
    const sample: Sample = {
      depth: sequentialDepth(calls),
      calls,
      steps: describeSteps(calls),
      units,
      ms: elapsed - units.lookupMs,
      bytes: result.bytes,
      ...(prepared.operation.list ? { listItems: items, hasNext: result.headers.link !== undefined } : {}),
    };
    return { sample, result };
  };

  const operations: OperationSamples[] = [];
  for (const op of OPERATIONS) {
    const c = byOperation.get(op.name)!;
    const samples: Record<Variant, Sample[]> = { warm: [], cold: [], keyFirst: [], replay: [] };
    // One request first, not measured: a warm function has served requests before (its first one also initialises
    // the handler's chain), and the timings should not carry that.
    await run(op.name, await c.next(4 * REPETITIONS));
    for (let rep = 0; rep < REPETITIONS; rep++) {
      samples.warm.push((await run(op.name, await c.next(rep))).sample);
      samples.cold.push((await run(op.name, await c.next(rep + REPETITIONS), { cold: true })).sample);
      if (takesIdempotencyKey(op)) {
        const request = await c.next(rep + 2 * REPETITIONS);
        const key = uid('key-');
        const first = await run(op.name, request, { key });
        const replay = await run(op.name, request, { key });
        if (replay.result.headers['idempotent-replayed'] !== 'true' || JSON.stringify(replay.result.body) !== JSON.stringify(first.result.body)) {
          throw new Error(`${op.name}: the retry with the same Idempotency-Key was not a replay of the first answer`);
        }
        samples.keyFirst.push(first.sample);
        samples.replay.push(replay.sample);
      }
    }
    operations.push({ operation: op.name, scenario: c.scenario, samples });
  }
  lookupClient.destroy();
  return { workload, operations };
};

const maxDepth = (samples: Sample[]): number => Math.max(...samples.map((s) => s.depth));
const paths = (samples: Sample[]): string => [...new Set(samples.map((s) => s.steps))].join(' / ');
const depthAndPath = (samples: Sample[]): string => (samples.length === 0 ? '—' : `${formatSummary(summarize(samples.map((s) => s.depth)), 0)}: ${paths(samples)}`);

const meets = (bar: Bar, samples: Sample[]): boolean | undefined => {
  if (bar.kind === 'report') return undefined;
  if (bar.kind === 'atMost') return maxDepth(samples) <= bar.depth;
  return samples.every((s) => s.depth === bar.depth && (!bar.calls || s.calls.map((c) => c.command).join() === bar.calls.join()));
};

const barText = (bar: Bar): string =>
  bar.kind === 'report' ? '(none)' : bar.kind === 'atMost' ? `≤ ${bar.depth}` : bar.calls ? `= ${bar.depth} (${bar.calls.join(', ')})` : `= ${bar.depth}`;

export const roundTripFigure = ({ workload, operations }: Measurements): FigureResult => {
  const rows: string[][] = [];
  const checks: BarCheck[] = [];
  let listsAtMostLimit = true;
  let listsFull = true;
  for (const { operation, samples } of operations) {
    const expected = EXPECTED[operation]!;
    const keyed = takesIdempotencyKey(operationByName(operation));
    const results: boolean[] = [];
    const check = (name: string, pass: boolean | undefined, measured: string) => {
      if (pass === undefined) return;
      results.push(pass);
      checks.push({ name: `${operation} ${name}`, pass, measured });
    };
    check(`round trips ${barText(expected.bar)} (warm)`, meets(expected.bar, samples.warm), `${maxDepth(samples.warm)}`);
    check(`round trips ${barText(expected.bar)} (cold)`, meets(expected.bar, samples.cold), `${maxDepth(samples.cold)}`);
    if (keyed) {
      // "Costs nothing on the first attempt": exactly as many sequential round trips as without the key.
      const same = samples.keyFirst.every((s) => s.depth === maxDepth(samples.warm)) && (meets(expected.bar, samples.keyFirst) ?? true);
      check('with Idempotency-Key, first attempt: same round trips as without', same, `${maxDepth(samples.keyFirst)} vs ${maxDepth(samples.warm)}`);
      check('with Idempotency-Key, replay ≤ 2', maxDepth(samples.replay) <= 2, `${maxDepth(samples.replay)}`);
    }
    for (const s of [...samples.warm, ...samples.cold]) {
      if (s.listItems === undefined) continue;
      if (s.listItems > 50) listsAtMostLimit = false;
      if (s.listItems !== 50 || !s.hasNext) listsFull = false;
    }
    rows.push([
      operation,
      formatSummary(summarize(samples.warm.map((s) => s.depth)), 0),
      formatSummary(summarize(samples.warm.map((s) => s.calls.length)), 0),
      paths(samples.warm),
      depthAndPath(samples.cold),
      keyed ? depthAndPath(samples.keyFirst) : 'no key (not a POST/PUT that writes)',
      keyed ? depthAndPath(samples.replay) : '—',
      expected.minimum,
      barText(expected.bar),
      expected.why,
      results.length === 0 ? '—' : verdict(results.every(Boolean)),
    ]);
  }
  const operationNames = new Set(operations.map((o) => o.operation));
  const everyOperation = OPERATIONS.every((o) => operationNames.has(o.name));
  checks.push({ name: 'every operation of the operations list is in the round-trip table', pass: everyOperation, measured: `${operationNames.size} of ${OPERATIONS.length}` });
  checks.push({ name: 'every list answer holds at most limit (50) items', pass: listsAtMostLimit, measured: listsAtMostLimit ? 'yes' : 'NO' });
  checks.push({ name: 'every list answer of the workload is a full page with a next link', pass: listsFull, measured: listsFull ? 'yes' : 'NO' });
  return {
    title: '1. DynamoDB round trips on the critical path',
    method:
      `Every operation of the operations list (${OPERATIONS.length}) run ${REPETITIONS} times in each variant through its real handler (in-process) against DynamoDB Local, with a middleware on the document client ` +
      'that records each HTTP round trip (per attempt, below the SDK retries). "sequential" counts the longest chain of calls that do not overlap in time; "calls" counts them all; ' +
      '`BatchGetItem(n)` reads n keys, `TransactWriteItems(n)` writes n items. **Warm** (the bars\' main case): the function instance has seen the bank before, so the context read holds only the ' +
      "caller's candidate role items and what the path names (banks are immutable and remembered per instance). **Cold**: the first request for that bank in an instance (the bank item joins the same read). " +
      '**With key**: the same request with a new `Idempotency-Key`, then the identical retry (a replay: same status and body, `Idempotent-Replayed: true`). ' +
      `${workload.description.join(' ')}`,
    columns: ['operation', 'warm: sequential', 'warm: calls', 'warm: critical path', 'cold: sequential: path', 'with key, first attempt', 'with key, replay', 'minimum', 'bar', 'why this is the minimum', 'result'],
    rows,
    checks,
  };
};
