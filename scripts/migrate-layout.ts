// `npm run migrate -- --table <name> [--endpoint <url>] [--phase expand|complete] [--dry-run]`: rewrites the items a
// table holds in the previous layout (number guards in the bank's partition, one customers index partition per bank,
// links without user-side and by-id items, entitlements without by-id items and bank index entries) into the current
// one. docs/migration.md gives the procedure (when to run which phase, in which order with the deploy).
// Exit status: 0 done, 2 done but with conflicts to resolve by hand (listed), 3 interrupted, 1 error.
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { migrateTable, type MigrationReport } from './migration/run';
import type { Phase } from './migration/tasks';

const USAGE = `Usage: npm run migrate -- --table <name> [--endpoint <url>] [--region <region>] [--phase expand|complete]
                          [--dry-run] [--segments <n>] [--concurrency <n>] [--checkpoint <file>] [--restart]`;

interface Args {
  table: string;
  endpoint?: string;
  region?: string;
  phase: Phase;
  dryRun: boolean;
  segments: number;
  concurrency: number;
  checkpoint: string;
  restart: boolean;
}

const positive = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a whole number above 0\n${USAGE}`);
  return n;
};

export const parseArgs = (argv: string[]): Args => {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}\n${USAGE}`);
    const name = arg.slice(2);
    if (name === 'dry-run' || name === 'restart') flags.add(name);
    else if (['table', 'endpoint', 'region', 'phase', 'segments', 'concurrency', 'checkpoint'].includes(name)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value\n${USAGE}`);
      values[name] = value;
    } else throw new Error(`Unknown option ${arg}\n${USAGE}`);
  }
  if (!values.table) throw new Error(`--table is required\n${USAGE}`);
  const phase = (values.phase ?? 'complete') as Phase;
  if (phase !== 'expand' && phase !== 'complete') throw new Error(`--phase is expand or complete\n${USAGE}`);
  return {
    table: values.table,
    endpoint: values.endpoint,
    region: values.region,
    phase,
    dryRun: flags.has('dry-run'),
    segments: values.segments ? positive('segments', values.segments) : 4,
    concurrency: values.concurrency ? positive('concurrency', values.concurrency) : 8,
    // Kept in the repository's .data/ (ignored by git) unless given: a run started again from here resumes.
    checkpoint: values.checkpoint ?? join(__dirname, '..', '.data', `migrate-layout.${values.table}.${phase}.json`),
    restart: flags.has('restart'),
  };
};

export const summary = (report: MigrationReport): string => {
  const lines = [
    `${report.dryRun ? 'DRY RUN (nothing written): ' : ''}phase ${report.phase} of table ${report.table}: ${report.scanned} items scanned in ${report.pages} pages, ${report.transactions} transactions${report.interrupted ? ', INTERRUPTED' : ''}`,
    ...Object.entries(report.kinds).map(
      ([kind, c]) =>
        `  ${kind.padEnd(12)} found ${c.found}, ${report.dryRun ? 'to migrate' : 'migrated'} ${c.migrated}, already ${c.already}, changed meanwhile ${c.stale}, gone ${c.gone}, conflicts ${c.conflicts}`,
    ),
  ];
  if (report.phase === 'complete' && !report.dryRun) lines.push(`  guards moved without a copy from the expand phase: ${report.guardsMovedWithoutCopy}`);
  for (const c of report.conflicts) lines.push(`  CONFLICT ${c.kind}: ${c.item}: ${c.reason}${c.holder ? ` (now ${JSON.stringify(c.holder)})` : ''}`);
  return lines.join('\n');
};

const main = async (): Promise<void> => {
  const args = parseArgs(process.argv.slice(2));
  const base = new DynamoDBClient({
    // DynamoDB Local takes any letters-and-digits key; an endpoint with real credentials in the environment uses them.
    ...(args.endpoint ? { endpoint: args.endpoint, credentials: process.env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    region: args.region ?? process.env.AWS_REGION ?? (args.endpoint ? 'us-east-1' : undefined),
    // A long scan meets throttling now and then: retry it patiently rather than stop.
    maxAttempts: 10,
  });
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  if (!args.dryRun) mkdirSync(join(args.checkpoint, '..'), { recursive: true });
  if (args.restart) rmSync(args.checkpoint, { force: true });
  const report = await migrateTable({
    client,
    table: args.table,
    phase: args.phase,
    dryRun: args.dryRun,
    segments: args.segments,
    concurrency: args.concurrency,
    checkpointFile: args.checkpoint,
    log: (line) => console.error(line),
  });
  console.log(summary(report));
  base.destroy();
  process.exitCode = report.interrupted ? 3 : report.conflicts.length > 0 ? 2 : 0;
};

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
