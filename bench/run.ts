// `npm run bench`: measures the performance bars (docs/design.md, "Bars") and writes bench/RESULTS.md, the results
// section of bench/README.md and the cost table of docs/capacity.md. Exits non-zero when a bar does not hold.
// `npm run bench -- --only=round-trips,paging` runs some figures and only prints them. See bench/README.md.
import './env';
import { spawnSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { resetConfig } from '../functions/common/config';
import { resetDocumentClient } from '../functions/data/table-client';
import { startDynamoDbLocal, type RunningDynamoDb } from '../local/dynamodb-local';
import { ensureTable } from '../local/table';
import { bundleSizeFigure } from './bundle-size';
import { deployedBundles, OUT_DIR, synthesize } from './bundling';
import { coldInitFigure } from './cold-init';
import { BENCH_TABLE, benchTokens, KEY_FILE } from './env';
import { killWorkers, ROOT } from './processes';
import { figureMarkdown, markdownTable, type FigureResult } from './report';
import { capacityFigure, costFigure } from './consumed-capacity';
import { pagingFigure } from './paging';
import { measureOperations, roundTripFigure } from './round-trips';
import { throughputFigure } from './throughput';
import { warmOverheadFigure } from './warm-overhead';

const RESULTS_FILE = join(ROOT, 'bench', 'RESULTS.md');
const README_FILE = join(ROOT, 'bench', 'README.md');
const CAPACITY_FILE = join(ROOT, 'docs', 'capacity.md');

/** The parts `--only=` can name, and the figures each gives. */
const PARTS = ['round-trips', 'paging', 'bundle-size', 'cold-init', 'warm-overhead', 'throughput'] as const;
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : undefined;
for (const name of only ?? []) if (!(PARTS as readonly string[]).includes(name)) throw new Error(`--only: unknown part ${name} (parts: ${PARTS.join(', ')})`);
const want = (part: (typeof PARTS)[number]): boolean => !only || only.includes(part);

/** Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->` in `file`. */
const replaceSection = (file: string, name: string, text: string): void => {
  const [start, end] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const content = readFileSync(file, 'utf8');
  const from = content.indexOf(start);
  const to = content.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} has no ${start} … ${end} section`);
  writeFileSync(file, `${content.slice(0, from + start.length)}\n\n${text}\n${content.slice(to)}`);
};

const started = performance.now();
let dynamo: RunningDynamoDb | undefined;

const progress = (text: string): void => {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);
};

const cleanUp = async (): Promise<void> => {
  killWorkers();
  await dynamo?.stop();
  dynamo = undefined;
};

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.kill(process.pid, signal));
  });
}

const javaVersion = (): string => {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (out.stderr || out.stdout || '').split('\n')[0]?.trim() ?? 'unknown';
};

const machine = (): string => {
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}, Node ${process.version}, ${javaVersion()}`;
};

const main = async (): Promise<number> => {
  mkdirSync(OUT_DIR, { recursive: true });
  rmSync(KEY_FILE, { force: true });
  const tokens = await benchTokens();
  const figures = new Map<number, FigureResult>();

  if (want('bundle-size') || want('cold-init')) {
    progress('cdk synth (real deployment bundles) …');
    await synthesize();
    const bundles = deployedBundles();
    if (want('bundle-size')) figures.set(4, bundleSizeFigure(bundles).figure);
    if (want('cold-init')) {
      progress(`cold init: importing ${bundles.length + 1} bundles in fresh Node processes …`);
      figures.set(5, await coldInitFigure(bundles));
    }
  }

  if (want('warm-overhead')) {
    progress('warm middleware overhead (fake DynamoDB) …');
    figures.set(6, await warmOverheadFigure());
  }

  if (want('round-trips') || want('throughput') || want('paging')) {
    progress('starting DynamoDB Local …');
    dynamo = await startDynamoDbLocal();
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    resetConfig();
    resetDocumentClient();
    const admin = new DynamoDBClient({ endpoint: dynamo.endpoint });
    await ensureTable(admin, BENCH_TABLE);
    admin.destroy();
  }

  if (want('round-trips')) {
    progress('DynamoDB round trips and consumed capacity of every operation (warm, cold, with Idempotency-Key) …');
    const measured = await measureOperations(tokens);
    figures.set(1, roundTripFigure(measured));
    figures.set(2, capacityFigure(measured));
    figures.set(8, costFigure(measured));
  }

  if (want('throughput')) {
    progress('end-to-end throughput through the local server …');
    figures.set(7, await throughputFigure(tokens, (dynamo as RunningDynamoDb).process.pid));
  }

  if (want('paging')) {
    progress('paging: 10,000 vs 100 messages …');
    figures.set(3, await pagingFigure(tokens));
  }
  await cleanUp();

  const ordered = [...figures.entries()].sort(([a], [b]) => a - b).map(([, f]) => f);
  const checks = ordered.flatMap((f) => f.checks);
  const failed = checks.filter((c) => !c.pass);
  const seconds = (performance.now() - started) / 1000;
  const body = [
    `Measured ${new Date().toISOString()} on ${machine()}. Whole run: ${seconds.toFixed(0)} s.`,
    '',
    failed.length === 0
      ? `**All ${checks.length} bar checks hold.**`
      : `**${failed.length} of ${checks.length} bar checks FAIL:** ${failed.map((c) => `${c.name} (${c.measured})`).join('; ')}`,
    '',
    'Timings are medians with min–max in parentheses; ratios are taken between figures measured in the same run.',
    '',
    ...ordered.flatMap((f) => [figureMarkdown(f), '']),
  ].join('\n');

  if (only) {
    progress(`--only=${only.join(',')}: nothing written (a partial run does not replace the results)`);
  } else {
    writeFileSync(RESULTS_FILE, `# Benchmark results\n\nGenerated by \`npm run bench\` (bench/run.ts); do not edit.\n\n${body}`);
    replaceSection(README_FILE, 'bench-results', body.replace(/^### /gm, '#### '));
    const cost = figures.get(8) as FigureResult;
    replaceSection(CAPACITY_FILE, 'bench-cost', `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (figure 8 of bench/RESULTS.md).\n\n${figureMarkdown(cost).replace(/^### .*\n\n/, '')}`);
  }

  process.stdout.write(`\n${body}\n`);
  process.stdout.write(`\n${markdownTable(['bar check', 'measured', 'result'], checks.map((c) => [c.name, c.measured, c.pass ? 'pass' : 'FAIL']))}\n`);
  progress(`done: results in bench/RESULTS.md; ${failed.length === 0 ? 'every bar holds' : `${failed.length} bar(s) FAIL`}`);
  return failed.length === 0 ? 0 : 1;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: Error) => {
    await cleanUp();
    progress(`failed: ${error.stack ?? error.message}`);
    process.exitCode = 2;
  },
);
