// Figure 2: the size of every function's deployment bundle (minified, AWS SDK inside) and, from esbuild's
// metafile, proof that no AJV compiler is inside (only AJV's small runtime helpers that standalone code needs).
import { readFileSync, statSync } from 'node:fs';
import type { Metafile } from 'esbuild';
import type { DeployedBundle } from './bundling';
import { verdict, type FigureResult } from './report';

export const MAX_BUNDLE_BYTES = 500 * 1000;

/** AJV code a standalone validator may pull in; anything else from ajv or ajv-formats is the compiler. */
const AJV_RUNTIME = /node_modules\/ajv\/dist\/runtime\/|node_modules\/ajv-formats\/dist\/formats\.js$/;
const AJV_ANY = /node_modules\/(ajv|ajv-formats)\//;

const packageOf = (input: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return m ? (m[1] as string) : '(project code)';
};

export interface BundleFacts {
  operation: string;
  bytes: number;
  ajvRuntimeBytes: number;
  ajvCompilerInputs: string[];
  largestPackages: { name: string; bytes: number }[];
}

export const bundleFacts = (bundle: DeployedBundle): BundleFacts => {
  const meta = JSON.parse(readFileSync(bundle.metafile, 'utf8')) as Metafile;
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith('index.mjs'));
  if (!output) throw new Error(`${bundle.metafile} has no index.mjs output`);
  const inputs = Object.entries(output[1].inputs);
  const ajvInputs = inputs.filter(([name]) => AJV_ANY.test(name));
  const byPackage = new Map<string, number>();
  for (const [name, { bytesInOutput }] of inputs) byPackage.set(packageOf(name), (byPackage.get(packageOf(name)) ?? 0) + bytesInOutput);
  return {
    operation: bundle.operation,
    bytes: statSync(bundle.file).size,
    ajvRuntimeBytes: ajvInputs.filter(([name]) => AJV_RUNTIME.test(name)).reduce((sum, [, i]) => sum + i.bytesInOutput, 0),
    // Every input counts, even one esbuild tree-shook to 0 bytes: the check is about what the bundle draws in.
    ajvCompilerInputs: ajvInputs.filter(([name]) => !AJV_RUNTIME.test(name)).map(([name]) => name),
    largestPackages: [...byPackage.entries()]
      .map(([name, bytes]) => ({ name, bytes }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 4),
  };
};

const kb = (bytes: number): string => (bytes / 1000).toFixed(1);

export const bundleSizeFigure = (bundles: DeployedBundle[]): { figure: FigureResult; facts: BundleFacts[] } => {
  const facts = bundles.map(bundleFacts);
  const rows = facts.map((f) => {
    const pass = f.bytes <= MAX_BUNDLE_BYTES && f.ajvCompilerInputs.length === 0;
    return [
      f.operation,
      kb(f.bytes),
      String(f.ajvRuntimeBytes),
      f.ajvCompilerInputs.length === 0 ? 'none' : f.ajvCompilerInputs.join(', '),
      f.largestPackages.map((p) => `${p.name} ${kb(p.bytes)}`).join(', '),
      verdict(pass),
    ];
  });
  const largest = facts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return {
    facts,
    figure: {
      title: '4. Bundle size per function (bar: ≤ 500 KB, no AJV compiler)',
      method:
        'The bundles `cdk synth` builds for deployment (NodejsFunction: esbuild, ESM, minified, AWS SDK bundled), read from bench/out/cdk.out; ' +
        'contents from each bundle\'s esbuild metafile. 1 KB = 1,000 bytes. Sizes are exact (one build), so no min–max.',
      columns: ['function', 'index.mjs KB', 'AJV runtime bytes', 'AJV compiler inputs', 'largest contributors (KB)', 'bar'],
      rows,
      checks: facts.map((f) => ({
        name: `${f.operation} bundle ≤ 500 KB, no AJV compiler`,
        pass: f.bytes <= MAX_BUNDLE_BYTES && f.ajvCompilerInputs.length === 0,
        measured: `${kb(f.bytes)} KB, ${f.ajvCompilerInputs.length} compiler inputs`,
      })),
      notes: [`Largest bundle: ${largest.operation}, ${kb(largest.bytes)} KB (${kb(MAX_BUNDLE_BYTES - largest.bytes)} KB under the bar).`],
    },
  };
};
