// The deployment bundle's stand-in for semver (FUNCTION_BUNDLING's --alias): it must replace the real package, and
// only aws-xray-sdk-core's AWS SDK v2 patcher, which these functions never call, may import it. A dependency that
// needs the real semver would make this fail instead of failing in Lambda.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { buildLikeDeployment } from '../../bench/bundling';
import { FUNCTION_BUNDLING } from '../../lib/api-function';

const STAND_IN = 'lib/bundling/semver-unused.cjs';

describe('function bundles', () => {
  let meta: Metafile;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obp-bundle-'));
    meta = await buildLikeDeployment('functions/handlers/createCustomer.ts', join(dir, 'index.mjs'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('alias semver to its stand-in', () => {
    expect(FUNCTION_BUNDLING.esbuildArgs).toEqual({ '--alias': `semver=./${STAND_IN}` });
    expect(Object.keys(meta.inputs)).toContain(STAND_IN);
    expect(Object.keys(meta.inputs).filter((input) => /node_modules\/semver\//.test(input))).toEqual([]);
  });

  it('let only the X-Ray SDK’s AWS SDK v2 patcher import it', () => {
    const importers = Object.entries(meta.inputs)
      .filter(([, input]) => input.imports.some((i) => i.path === STAND_IN))
      .map(([name]) => name.replace(/^.*node_modules\//, ''));
    expect(importers).toEqual(['aws-xray-sdk-core/dist/lib/patchers/aws_p.js']);
  });

  it('fails loudly if that patcher is ever reached', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const standIn = require(`../../${STAND_IN}`) as Record<string, () => unknown>;
    expect(() => standIn.gte?.()).toThrow(/semver is not bundled/);
  });
});
