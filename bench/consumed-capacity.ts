// Figure 2: DynamoDB's own ConsumedCapacity (ReturnConsumedCapacity INDEXES, added by the benchmark's recorder) per
// operation, from the runs of figure 1, and figure 8: what that and the measured duration cost per million requests.
import { takesIdempotencyKey, operationByName } from '../functions/common/operations';
import { showUnits } from './capacity';
import { costPerMillion, PRICES } from './prices';
import type { FigureResult } from './report';
import type { Measurements, Sample, Variant } from './round-trips';
import { summarize } from './stats';

const median = (samples: Sample[], value: (s: Sample) => number): number => summarize(samples.map(value)).median;

const VARIANTS: { variant: Variant; label: string }[] = [
  { variant: 'warm', label: 'warm' },
  { variant: 'keyFirst', label: 'with key, first attempt' },
  { variant: 'replay', label: 'with key, replay' },
];

export interface OperationCost {
  operation: string;
  variant: string;
  readUnits: number;
  writeUnits: number;
  ms: number;
  cost: ReturnType<typeof costPerMillion>;
}

export const operationCosts = ({ operations }: Measurements): OperationCost[] =>
  operations.flatMap(({ operation, samples }) =>
    VARIANTS.filter((v) => samples[v.variant].length > 0).map(({ variant, label }) => {
      const s = samples[variant];
      const readUnits = median(s, (x) => x.units.awsRead);
      const writeUnits = median(s, (x) => x.units.awsWrite);
      const ms = median(s, (x) => x.ms);
      return { operation, variant: label, readUnits, writeUnits, ms, cost: costPerMillion(readUnits, writeUnits, ms) };
    }),
  );

export const capacityFigure = (m: Measurements): FigureResult => {
  const rows = m.operations.flatMap(({ operation, scenario, samples }) =>
    VARIANTS.filter((v) => samples[v.variant].length > 0).map(({ variant, label }) => {
      const s = samples[variant];
      const u = (f: (x: Sample) => number) => showUnits(median(s, f));
      return [
        operation,
        label,
        variant === 'warm' ? scenario : '',
        u((x) => x.units.readTable),
        u((x) => x.units.readIndex),
        u((x) => x.units.writeTable),
        u((x) => x.units.writeIndex),
        u((x) => x.units.scanned),
        u((x) => x.units.awsRead),
        u((x) => x.units.awsWrite),
        median(s, (x) => x.ms).toFixed(1),
        String(median(s, (x) => x.bytes)),
      ];
    }),
  );
  const all = m.operations.flatMap((o) => Object.values(o.samples).flat());
  const singleWrites = all.flatMap((x) => x.calls).filter((c) => c.awsWrite && c.command !== 'TransactWriteItems').length;
  const mismatches = all.reduce((n, x) => n + x.units.singleWriteMismatches, 0);
  const coldExtra = m.operations
    .filter((o) => o.samples.cold.length > 0 && o.operation === 'getCustomerById')
    .map((o) => median(o.samples.cold, (x) => x.units.awsRead) - median(o.samples.warm, (x) => x.units.awsRead))[0];
  return {
    title: '2. DynamoDB consumed capacity per operation',
    method:
      'The runs of figure 1, with `ReturnConsumedCapacity: INDEXES` added to every call by the benchmark\'s middleware on the document client (the product never asks for it). ' +
      'Medians of the repetitions, summed over the request\'s calls. "read"/"write" split by the call (GetItem, BatchGetItem, Query read; the others write); "GSI1" is the index\'s share. ' +
      'The "read"/"write" columns are what DynamoDB Local reported. RRU and WRU are what AWS bills on demand, by its published rules: DynamoDB Local charges nothing for a BatchGetItem key that ' +
      'finds no item or for a Query that finds nothing, where AWS charges one unit (half when eventually consistent), so RRU adds those; and its figure for a TransactWriteItems is about one ' +
      "item's worth for the whole transaction, so WRU is computed from the items (bench/write-units.ts: 1 unit per started KB of each item and of its index entry, twice in a transaction; the " +
      "items' sizes before the write are read by a separate client, outside the request's timing). See bench/README.md on how faithful DynamoDB Local is. " +
      'Handler ms is the in-process handler time against DynamoDB Local; bytes is the response body.',
    columns: ['operation', 'request', 'scenario', 'read: table', 'read: GSI1', 'write: table', 'write: GSI1', 'items a Query read', 'RRU (AWS rules)', 'WRU', 'handler ms', 'response bytes'],
    rows,
    checks: [
        {
          name: `computed write units equal DynamoDB Local's on every single-item write (${singleWrites} writes)`,
          pass: singleWrites > 0 && mismatches === 0,
          measured: `${mismatches} differ`,
        },
      ],
    notes: [
      `Cold (the first request for a bank in a function instance) adds the bank item to the context read: ${coldExtra === undefined ? 'n/a' : showUnits(coldExtra)} RRU (getCustomerById, cold − warm).`,
      'Writes in a transaction (every create, link, grant, revocation, number change, and with an Idempotency-Key every write) cost 2 WRU per item per KB; their index entries are counted at 2× too, which may overstate them (AWS documents that index changes propagate after the commit).',
    ],
  };
};

const usd = (n: number): string => (n < 0.01 ? n.toFixed(4) : n.toFixed(3));

export const costFigure = (m: Measurements): FigureResult => {
  const costs = operationCosts(m).filter((c) => c.variant !== 'with key, replay');
  const rows = costs.map((c) => [
    c.operation,
    c.variant,
    showUnits(c.readUnits),
    showUnits(c.writeUnits),
    usd(c.cost.dynamoDb),
    `${Math.ceil(c.ms)}`,
    usd(c.cost.lambda),
    usd(c.cost.api),
    usd(c.cost.total),
  ]);
  const keyed = m.operations.filter((o) => takesIdempotencyKey(operationByName(o.operation))).length;
  return {
    title: '8. Cost per million requests (from figures 1 and 2)',
    method:
      `USD per million successful requests, ${PRICES.region}: DynamoDB on-demand at $${PRICES.dynamoDb.perMillionReadUnits} per million RRU and $${PRICES.dynamoDb.perMillionWriteUnits} per million WRU (in effect since ${PRICES.dynamoDb.since}); ` +
      `Lambda arm64 at ${PRICES.lambda.memoryMb} MB (lib/api-function.ts), $${PRICES.lambda.perGbSecondArm64} per GB-s and $${PRICES.lambda.perMillionRequests} per million requests (since ${PRICES.lambda.since}), for the median handler time of figure 2 rounded up to 1 ms; ` +
      `API Gateway HTTP API at $${PRICES.httpApi.perMillionRequests.toFixed(2)} per million (since ${PRICES.httpApi.since}). Prices as published when written, not fetched: check them. ` +
      'The Lambda duration is the in-process time on this machine against DynamoDB Local, not a measurement on Lambda (see docs/capacity.md for what that changes).',
    columns: ['operation', 'request', 'RRU', 'WRU', 'DynamoDB $', 'billed ms', 'Lambda $', 'HTTP API $', 'total $'],
    rows,
    checks: [],
    notes: [`A replay of the ${keyed} operations that take an Idempotency-Key costs the context read only (figure 2, "with key, replay").`],
  };
};
