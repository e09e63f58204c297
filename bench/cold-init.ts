// Figure 3: cold init. Each deployment bundle is imported in a fresh `node` process (bench/import-timer.mjs), ROUNDS
// times, interleaved with a baseline bundle that only creates a DynamoDB document client, built with the same
// esbuild options. Reported: the import's wall time and CPU time, and the time from process start to the handler.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { handlerEntry, operationByName } from '../functions/common/operations';
import { TRACER_ENVIRONMENT } from '../lib/api-function';
import { buildLikeDeployment, OUT_DIR, type DeployedBundle } from './bundling';
import { ROOT, run } from './processes';
import { verdict, type FigureResult } from './report';
import { formatSummary, summarize } from './stats';

export const MAX_COLD_INIT_RATIO = 1.25;
const ROUNDS = 13;

const BASELINE_ENTRY = join(ROOT, 'bench', 'baseline-ddb-client.ts');
const BASELINE_FILE = join(OUT_DIR, 'baseline-ddb-client', 'index.mjs');

/** Same environment for every import: what Lambda sets that matters to module loading, and nothing of ours. */
const importEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  // The runtime markers: the Powertools Tracer and its X-Ray SDK load only where these are set (as on every cold start
  // in Lambda), so without them the import would skip code Lambda runs.
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  LAMBDA_TASK_ROOT: join(OUT_DIR, 'lambda-task-root'),
  NODE_OPTIONS: '--enable-source-maps', // as lib/api-function.ts deploys them
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', // Lambda runs Node 24: no Node 20 deprecation warning there
  TABLE_NAME: 'bench',
  ...TRACER_ENVIRONMENT, // as deployed: the tracer reads its settings when it is created, at import
});

interface Sample {
  importMs: number;
  importCpuMs: number;
  readyMs: number;
}

const timeImport = async (file: string): Promise<Sample> =>
  JSON.parse(await run(process.execPath, [join(ROOT, 'bench', 'import-timer.mjs'), file], importEnv()));

export const coldInitFigure = async (bundles: DeployedBundle[]): Promise<FigureResult> => {
  await buildLikeDeployment(BASELINE_ENTRY, BASELINE_FILE);
  // Check that the mirrored options really are the deployment's: rebuilt the same way, a handler comes out byte-identical.
  const probe = bundles.find((b) => b.operation === 'createCustomer') ?? (bundles[0] as DeployedBundle);
  const probeFile = join(OUT_DIR, 'mirror-check', 'index.mjs');
  await buildLikeDeployment(join(ROOT, handlerEntry(operationByName(probe.operation))), probeFile);
  const mirrored = statSync(probeFile).size === statSync(probe.file).size;

  // Paired design: every import of a handler is measured right next to an import of the baseline (the order
  // alternates), and the bar applies to the median of these pairs' ratios, so the machine's changing load cancels out.
  const baseline: Sample[] = [];
  const pairs = new Map<string, { handler: Sample; baseline: Sample }[]>(bundles.map((b) => [b.operation, []]));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [i, bundle] of bundles.entries()) {
      const handlerFirst = (round + i) % 2 === 1;
      const first = await timeImport(handlerFirst ? bundle.file : BASELINE_FILE);
      const second = await timeImport(handlerFirst ? BASELINE_FILE : bundle.file);
      if (round === 0) continue; // round 0 only warms the file cache
      const pair = handlerFirst ? { handler: first, baseline: second } : { handler: second, baseline: first };
      pairs.get(bundle.operation)?.push(pair);
      baseline.push(pair.baseline);
    }
  }
  const of = (samples: Sample[], key: keyof Sample) => summarize(samples.map((s) => s[key]));
  const rows: string[][] = [
    ['baseline (document client only)', formatSummary(of(baseline, 'importCpuMs')), formatSummary(of(baseline, 'importMs')), formatSummary(of(baseline, 'readyMs')), '', '', ''],
  ];
  const checks = [];
  for (const bundle of bundles) {
    const measured = pairs.get(bundle.operation) ?? [];
    const handlerSamples = measured.map((p) => p.handler);
    const cpuRatio = summarize(measured.map((p) => p.handler.importCpuMs / p.baseline.importCpuMs));
    const wallRatio = summarize(measured.map((p) => p.handler.importMs / p.baseline.importMs));
    const pass = cpuRatio.median <= MAX_COLD_INIT_RATIO;
    rows.push([
      bundle.operation,
      formatSummary(of(handlerSamples, 'importCpuMs')),
      formatSummary(of(handlerSamples, 'importMs')),
      formatSummary(of(handlerSamples, 'readyMs')),
      formatSummary(cpuRatio, 2),
      formatSummary(wallRatio, 2),
      verdict(pass),
    ]);
    checks.push({
      name: `${bundle.operation} import ≤ ${MAX_COLD_INIT_RATIO} × baseline`,
      pass,
      measured: `${cpuRatio.median.toFixed(2)}× (wall ${wallRatio.median.toFixed(2)}×)`,
    });
  }
  checks.push({
    name: 'baseline built with the deployment esbuild options (rebuilt handler byte-identical to the cdk asset)',
    pass: mirrored,
    measured: mirrored ? 'identical size' : `${statSync(probeFile).size} B vs ${statSync(probe.file).size} B`,
  });
  return {
    title: `5. Cold init: importing each bundle in a fresh Node process (bar: ≤ ${MAX_COLD_INIT_RATIO} × baseline)`,
    method:
      `${ROUNDS} rounds (after one warm-up round). In each, every bundle is imported once next to one import of the baseline (the order alternates), ` +
      'each in a new `node` process with NODE_OPTIONS=--enable-source-maps as deployed. "import CPU" is the CPU time the process spends in the ' +
      'dynamic import() (all threads), "import wall" the elapsed time of the same import(), "ready" the time from process start to the handler ' +
      'being available (Node start-up included). Ratios are taken pair by pair (median, min–max); the bar applies to the median CPU-time ratio, ' +
      'because on a shared machine wall time also counts waiting for a CPU (the wall ratio is shown next to it). Times in ms.',
    columns: ['bundle', 'import CPU ms', 'import wall ms', 'ready ms', 'ratio (CPU)', 'ratio (wall)', 'bar'],
    rows,
    checks,
    notes: [
      `Baseline: bench/baseline-ddb-client.ts, built with FUNCTION_BUNDLING from lib/api-function.ts; mirror check on ${probe.operation}: ${mirrored ? 'byte-identical size to the cdk asset' : 'SIZE DIFFERS'}.`,
    ],
  };
};
