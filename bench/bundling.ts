// The deployment bundles: `cdk synth` into bench/out/cdk.out (so the real NodejsFunction/esbuild run builds them),
// and the same esbuild options, taken from lib/api-function.ts, for the benchmark's own baseline bundle.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING } from '../lib/api-function';
import { ROOT, run } from './processes';

export const OUT_DIR = join(ROOT, 'bench', 'out');
export const CLOUD_ASSEMBLY = join(OUT_DIR, 'cdk.out');
const API_STACK = 'ObpPersonApi';

/** Synthesizes the app exactly as `npm run synth` does (cdk-nag included), offline, into bench/out/cdk.out. */
export const synthesize = async (): Promise<void> => {
  rmSync(CLOUD_ASSEMBLY, { recursive: true, force: true });
  await run(join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '-q', '-o', CLOUD_ASSEMBLY], {
    ...process.env,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: '1',
  });
};

export interface DeployedBundle {
  operation: string;
  dir: string;
  file: string;
  metafile: string;
}

/** Each function of the API stack and its asset directory, from the template's asset metadata. */
export const deployedBundles = (): DeployedBundle[] => {
  const template = JSON.parse(readFileSync(join(CLOUD_ASSEMBLY, `${API_STACK}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const bundles: DeployedBundle[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const path = resource.Metadata?.['aws:cdk:path'] ?? '';
    const asset = resource.Metadata?.['aws:asset:path'];
    const match = new RegExp(`^${API_STACK}/([^/]+)/Function/Resource$`).exec(path);
    if (!match || !asset) continue;
    const dir = join(CLOUD_ASSEMBLY, asset);
    bundles.push({ operation: match[1] as string, dir, file: join(dir, 'index.mjs'), metafile: join(dir, 'index.meta.json') });
  }
  if (bundles.length === 0) throw new Error(`No functions found in ${API_STACK}.template.json`);
  return bundles;
};

/** FUNCTION_BUNDLING's `--alias` esbuild arguments (`<package>=<path>`), as esbuild's API takes them. */
const aliases = (): Record<string, string> =>
  Object.fromEntries(
    [FUNCTION_BUNDLING.esbuildArgs['--alias']].flat().map((alias) => {
      const [name, target] = alias.split('=');
      return [name as string, target as string];
    }),
  );

/**
 * The esbuild options NodejsFunction derives from FUNCTION_BUNDLING (aws-lambda-nodejs `buildEsbuildArgs`:
 * --bundle --platform=node plus one flag per bundling property, and its esbuildArgs). `standIns: false` leaves out
 * the stand-ins (its `--alias` arguments): the packages bundled as they ship, with every other option the same.
 */
export const deploymentBuildOptions = (entry: string, outfile: string, { standIns = true } = {}): BuildOptions => {
  const b = FUNCTION_BUNDLING;
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: b.target,
    format: String(b.format) as BuildOptions['format'],
    outfile,
    minify: b.minify,
    sourcemap: b.sourceMap,
    sourcesContent: b.sourcesContent,
    external: [...b.externalModules],
    metafile: b.metafile,
    banner: { js: b.banner },
    mainFields: [...b.mainFields],
    alias: standIns ? aliases() : {},
    logLevel: 'silent',
  };
};

export const buildLikeDeployment = async (entry: string, outfile: string, options: { standIns?: boolean } = {}): Promise<Metafile> => {
  const result = await build(deploymentBuildOptions(entry, outfile, options));
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  return result.metafile;
};
