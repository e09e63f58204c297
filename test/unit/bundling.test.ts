// The deployment bundles' stand-ins (FUNCTION_BUNDLING's --alias in lib/api-function.ts), on the bundle of a real
// function entry built with the deployment's esbuild options: each must replace its package, be reached only from
// where the stand-in's comment says, and behave there as the package would. test/integration/tracing.test.ts runs
// such a bundle against DynamoDB Local with credentials in the environment, as Lambda provides them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Metafile } from 'esbuild';
import { buildLikeDeployment } from '../../bench/bundling';
import { FUNCTION_BUNDLING, TRACER_ENVIRONMENT } from '../../lib/api-function';
import { defaultProvider } from '../../lib/bundling/credentials-from-environment';
import { handlerEntry, operationByName } from '../../functions/common/operations';

const SEMVER = 'lib/bundling/semver-unused.cjs';
const CREDENTIALS = 'lib/bundling/credentials-from-environment.ts';
const HTTP = 'lib/bundling/http-on-first-use.cjs';
const ASSERT = 'lib/bundling/assert-on-failure.cjs';
const ENTRY = handlerEntry(operationByName('createCustomer'));

const importersOf = (meta: Metafile, path: string): string[] =>
  Object.entries(meta.inputs)
    .filter(([, input]) => input.imports.some((i) => i.path === path))
    .map(([name]) => name.replace(/^.*node_modules\//, ''));

/** Imports the bundle in a fresh Node process with Lambda's runtime markers; prints the builtins it loaded that match. */
const builtinsLoadedByImport = (file: string, pattern: string, env: NodeJS.ProcessEnv = {}): string[] => {
  const script = `const before = new Set(process.moduleLoadList);
    const { handler } = await import(${JSON.stringify(file)});
    if (typeof handler !== 'function') throw new Error('no handler');
    const loaded = process.moduleLoadList.filter((m) => !before.has(m));
    console.log(JSON.stringify(loaded.filter((m) => new RegExp(${JSON.stringify(pattern)}).test(m))));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', TABLE_NAME: 'bundling-test', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', LAMBDA_TASK_ROOT: dirname(file), ...TRACER_ENVIRONMENT, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as string[];
};

describe('function bundles', () => {
  let meta: Metafile;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obp-bundle-'));
    meta = await buildLikeDeployment(ENTRY, join(dir, 'index.mjs'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('alias exactly these packages, each to its stand-in', () => {
    expect(FUNCTION_BUNDLING.esbuildArgs['--alias']).toEqual([
      `semver=./${SEMVER}`,
      `@aws-sdk/credential-provider-node=./${CREDENTIALS}`,
      `node:http=./${HTTP}`,
      `http=./${HTTP}`,
      `assert=./${ASSERT}`,
    ]);
    for (const standIn of [SEMVER, CREDENTIALS, HTTP, ASSERT]) expect(Object.keys(meta.inputs)).toContain(standIn);
  });

  it('hold Powertools once, as ES modules: the tracer shares commons with the logger and metrics', () => {
    const powertools = Object.keys(meta.inputs).filter((input) => input.includes('node_modules/@aws-lambda-powertools/'));
    expect(powertools.some((input) => input.includes('/tracer/lib/esm/'))).toBe(true);
    expect(powertools.filter((input) => input.includes('/lib/cjs/'))).toEqual([]);
  });

  describe('semver', () => {
    it('is not bundled', () => {
      expect(Object.keys(meta.inputs).filter((input) => /node_modules\/semver\//.test(input))).toEqual([]);
    });

    it('only the X-Ray SDK’s AWS SDK v2 patcher imports its stand-in', () => {
      expect(importersOf(meta, SEMVER)).toEqual(['aws-xray-sdk-core/dist/lib/patchers/aws_p.js']);
    });

    it('fails loudly if that patcher is ever reached', () => {
      const standIn = createRequire(__filename)(`../../${SEMVER}`) as Record<string, () => unknown>;
      expect(() => standIn.gte?.()).toThrow(/semver is not bundled/);
    });
  });

  describe('the default credential chain', () => {
    it('is not bundled: no SSO, ini, process, web identity, sign-in, container or instance metadata provider, and no STS/SSO clients', () => {
      const chain = /node_modules\/(@aws-sdk\/credential-provider-(node|sso|ini|process|web-identity|login|http)|@aws-sdk\/nested-clients|@aws-sdk\/token-providers|@smithy\/credential-provider-imds)\//;
      expect(Object.keys(meta.inputs).filter((input) => chain.test(input))).toEqual([]);
    });

    it('only the DynamoDB client’s runtime configuration imports the stand-in', () => {
      expect(importersOf(meta, CREDENTIALS)).toEqual(['@aws-sdk/client-dynamodb/dist-es/runtimeConfig.js']);
    });

    it('the stand-in uses the environment provider the chain itself uses', () => {
      const fromChain = createRequire(require.resolve('@aws-sdk/credential-provider-node')).resolve('@aws-sdk/credential-provider-env');
      expect(createRequire(join(__dirname, '../../lib/bundling/')).resolve('@aws-sdk/credential-provider-env')).toBe(fromChain);
    });

    describe('answers as the chain does where Lambda runs the functions', () => {
      const saved = { ...process.env };
      afterEach(() => {
        process.env = { ...saved };
      });
      const lambdaCredentials = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', AWS_SESSION_TOKEN: 'token-example' };

      it('with the execution role’s credentials in the environment: the same credentials', async () => {
        delete process.env.AWS_PROFILE;
        Object.assign(process.env, lambdaCredentials);
        const { defaultProvider: chain } = createRequire(__filename)('@aws-sdk/credential-provider-node') as typeof import('@aws-sdk/credential-provider-node');
        const fields = ({ accessKeyId, secretAccessKey, sessionToken }: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({ accessKeyId, secretAccessKey, sessionToken });
        const expected = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret-example', sessionToken: 'token-example' };
        expect(fields(await defaultProvider()())).toEqual(expected);
        expect(fields(await chain()())).toEqual(expected);
      });

      it('without them: the SDK’s CredentialsProviderError', async () => {
        for (const name of Object.keys(lambdaCredentials)) delete process.env[name];
        await expect(defaultProvider()()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
      });
    });
  });

  describe('node:http', () => {
    const standIn = () => createRequire(__filename)(`../../${HTTP}`) as Record<string, unknown>;

    it('is imported by nothing in the bundle but through its stand-in', () => {
      expect(importersOf(meta, 'node:http')).toEqual([]);
      expect(importersOf(meta, 'http')).toEqual([]);
      expect(importersOf(meta, HTTP).length).toBeGreaterThan(0);
    });

    it('offers exactly the exports of the running Node’s module', async () => {
      const http = await import('node:http');
      expect(Object.keys(standIn()).sort()).toEqual(Object.keys(http).filter((k) => k !== 'default').sort());
    });

    it('reads and writes through to the real module', async () => {
      const http = await import('node:http');
      const lazy = standIn();
      expect(lazy.STATUS_CODES).toBe(http.STATUS_CODES);
      expect(lazy.request).toBe(http.request);
      const original = http.globalAgent;
      try {
        const agent = new http.Agent();
        lazy.globalAgent = agent;
        expect(http.globalAgent).toBe(agent);
      } finally {
        http.globalAgent = original;
      }
    });

    it('a bundle loaded as in Lambda loads neither node:http nor Node’s undici until something uses them', () => {
      expect(builtinsLoadedByImport(join(dir, 'index.mjs'), '^NativeModule (http|internal/deps/undici/undici)$')).toEqual([]);
    });

    it('lets the tracer capture node:http when HTTP capture is switched on (the X-Ray SDK redefines request and get)', () => {
      expect(builtinsLoadedByImport(join(dir, 'index.mjs'), '^NativeModule http$', { POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'true' })).toEqual(['NativeModule http']);
    });
  });

  describe('node:assert', () => {
    const standIn = () => createRequire(__filename)(`../../${ASSERT}`) as ((value: unknown, message?: string) => void) & Record<string, unknown>;

    it('only cls-hooked (the X-Ray SDK’s context store) imports it, and nothing in the bundle imports node:assert', () => {
      expect(importersOf(meta, ASSERT)).toEqual(['cls-hooked/context.js']);
      expect(importersOf(meta, 'assert')).toEqual([]);
      expect(importersOf(meta, 'node:assert')).toEqual([]);
    });

    it('offers exactly the exports of the running Node’s module', () => {
      const assert = createRequire(__filename)('node:assert') as Record<string, unknown>;
      expect(Object.keys(standIn()).sort()).toEqual(Object.keys(assert).sort());
      expect(standIn().strictEqual).toBe(assert.strictEqual);
      expect(standIn().AssertionError).toBe(assert.AssertionError);
    });

    it('a failing check throws Node’s AssertionError with the message; a passing one returns', () => {
      const { AssertionError } = createRequire(__filename)('node:assert') as typeof import('node:assert');
      const assert = standIn();
      expect(assert(1, 'never')).toBeUndefined();
      expect(() => assert(0, 'context must be provided for entering')).toThrow(AssertionError);
      expect(() => (assert.ok as typeof assert)(false, 'can’t remove top context')).toThrow('can’t remove top context');
    });

    it('a bundle loaded as in Lambda does not load node:assert', () => {
      expect(builtinsLoadedByImport(join(dir, 'index.mjs'), '^NativeModule assert$')).toEqual([]);
    });
  });
});
