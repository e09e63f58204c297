// Figure 5: cold init. Each deployment bundle is imported in a fresh `node` process (bench/import-timer.mjs), ROUNDS
// times, interleaved with two baseline bundles that only create a DynamoDB document client, both built with the
// deployment's esbuild options: the client as the AWS SDK ships it (the bar's baseline), and the same client with the
// functions' stand-ins (reported: what the functions add to the client as they bundle it). Reported: the import's
// wall time and CPU time, and the time from process start to the handler.
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
/** The bar's baseline: "a bundle holding only the DynamoDB document client", its packages as they ship. */
const BASELINE_FILE = join(OUT_DIR, 'baseline-ddb-client', 'index.mjs');
/** The same client with FUNCTION_BUNDLING's stand-ins (credential chain, node:http, ...): no longer the whole client. */
const REDUCED_FILE = join(OUT_DIR, 'baseline-ddb-client-stand-ins', 'index.mjs');

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

interface Triple {
  handler: Sample;
  baseline: Sample;
  reduced: Sample;
}

const timeImport = async (file: string): Promise<Sample> =>
  JSON.parse(await run(process.execPath, [join(ROOT, 'bench', 'import-timer.mjs'), file], importEnv()));

export const coldInitFigure = async (bundles: DeployedBundle[]): Promise<FigureResult> => {
  await buildLikeDeployment(BASELINE_ENTRY, BASELINE_FILE, { standIns: false });
  await buildLikeDeployment(BASELINE_ENTRY, REDUCED_FILE);
  // Check that the mirrored options really are the deployment's: rebuilt the same way, a handler comes out byte-identical.
  const probe = bundles.find((b) => b.operation === 'createCustomer') ?? (bundles[0] as DeployedBundle);
  const probeFile = join(OUT_DIR, 'mirror-check', 'index.mjs');
  await buildLikeDeployment(join(ROOT, handlerEntry(operationByName(probe.operation))), probeFile);
  const mirrored = statSync(probeFile).size === statSync(probe.file).size;

  // Paired design: every import of a handler is measured right next to an import of each baseline (the order
  // rotates), and the bar applies to the median of these triples' ratios, so the machine's changing load cancels out.
  const order = ['handler', 'baseline', 'reduced'] as const;
  const triples = new Map<string, Triple[]>(bundles.map((b) => [b.operation, []]));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [i, bundle] of bundles.entries()) {
      const files = { handler: bundle.file, baseline: BASELINE_FILE, reduced: REDUCED_FILE };
      const measured: Partial<Triple> = {};
      for (let k = 0; k < order.length; k++) {
        const which = order[(round + i + k) % order.length] as (typeof order)[number];
        measured[which] = await timeImport(files[which]);
      }
      if (round > 0) triples.get(bundle.operation)?.push(measured as Triple); // round 0 only warms the file cache
    }
  }
  const all = [...triples.values()].flat();
  const of = (samples: Sample[], key: keyof Sample) => summarize(samples.map((s) => s[key]));
  const timing = (samples: Sample[]) => [formatSummary(of(samples, 'importCpuMs')), formatSummary(of(samples, 'importMs')), formatSummary(of(samples, 'readyMs'))];
  const rows: string[][] = [
    ['baseline: document client, packages as shipped', ...timing(all.map((t) => t.baseline)), '', '', '', ''],
    ['document client with the stand-ins', ...timing(all.map((t) => t.reduced)), formatSummary(summarize(all.map((t) => t.reduced.importCpuMs / t.baseline.importCpuMs)), 2), '', '', ''],
  ];
  const checks = [];
  for (const bundle of bundles) {
    const measured = triples.get(bundle.operation) ?? [];
    const cpuRatio = summarize(measured.map((t) => t.handler.importCpuMs / t.baseline.importCpuMs));
    const wallRatio = summarize(measured.map((t) => t.handler.importMs / t.baseline.importMs));
    const reducedRatio = summarize(measured.map((t) => t.handler.importCpuMs / t.reduced.importCpuMs));
    const pass = cpuRatio.median <= MAX_COLD_INIT_RATIO;
    rows.push([
      bundle.operation,
      ...timing(measured.map((t) => t.handler)),
      formatSummary(cpuRatio, 2),
      formatSummary(wallRatio, 2),
      formatSummary(reducedRatio, 2),
      verdict(pass),
    ]);
    checks.push({
      name: `${bundle.operation} import ≤ ${MAX_COLD_INIT_RATIO} × baseline`,
      pass,
      measured: `${cpuRatio.median.toFixed(2)}× (wall ${wallRatio.median.toFixed(2)}×; ${reducedRatio.median.toFixed(2)}× the client with the stand-ins)`,
    });
  }
  checks.push({
    name: 'baselines built with the deployment esbuild options (rebuilt handler byte-identical to the cdk asset)',
    pass: mirrored,
    measured: mirrored ? 'identical size' : `${statSync(probeFile).size} B vs ${statSync(probe.file).size} B`,
  });
  const size = (file: string) => `${(statSync(file).size / 1000).toFixed(1)} KB`;
  return {
    title: `5. Cold init: importing each bundle in a fresh Node process (bar: ≤ ${MAX_COLD_INIT_RATIO} × baseline)`,
    method:
      `${ROUNDS} rounds (after one warm-up round). In each, every bundle is imported once next to one import of each baseline (the order rotates), ` +
      'each in a new `node` process with NODE_OPTIONS=--enable-source-maps as deployed. "import CPU" is the CPU time the process spends in the ' +
      'dynamic import() (all threads), "import wall" the elapsed time of the same import(), "ready" the time from process start to the handler ' +
      'being available (Node start-up included). Ratios are taken triple by triple (median, min–max); the bar applies to the median CPU-time ratio ' +
      'to the baseline, because on a shared machine wall time also counts waiting for a CPU (the wall ratio is shown next to it). The last ratio ' +
      "compares with the same client built with the functions' stand-ins (reported, no bar: what the functions add to the client as they bundle it). Times in ms.",
    columns: ['bundle', 'import CPU ms', 'import wall ms', 'ready ms', 'ratio (CPU)', 'ratio (wall)', 'ratio (CPU) to the client with the stand-ins', 'bar'],
    rows,
    checks,
    notes: [
      `Baseline: bench/baseline-ddb-client.ts (${size(BASELINE_FILE)}), built with FUNCTION_BUNDLING from lib/api-function.ts without its --alias stand-ins; ` +
        `with them (${size(REDUCED_FILE)}) it is the second row. Mirror check on ${probe.operation}: ${mirrored ? 'byte-identical size to the cdk asset' : 'SIZE DIFFERS'}.`,
    ],
  };
};
