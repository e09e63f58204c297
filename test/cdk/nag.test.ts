// cdk-nag AwsSolutions checks on both configurations of the app, and the rule that every acknowledgement carries
// its reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../lib/app';

const CONFIGURATIONS: [string, Record<string, string>][] = [
  ['Cognito user pool (default)', {}],
  [
    'external OIDC issuer',
    { jwtIssuer: 'https://login.example.com/realms/bank', jwtAudience: 'obp-person-api', jwksUrl: 'https://login.example.com/realms/bank/certs' },
  ],
  ['every option set', { superAdminUserIds: 'ops-admin', throttleRateLimit: '200', throttleBurstLimit: '400', corsAllowOrigins: 'https://app.example.com', logRetentionDays: '365' }],
];

const appWith = (context: Record<string, string>): App => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  buildApp(app);
  return app;
};

/** Every acknowledgement recorded on the construct tree: rule id, reason and where. */
const acknowledgements = (app: App): { id: string; reason: string; path: string }[] =>
  app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason, path: construct.node.path }))),
  );

describe.each(CONFIGURATIONS)('cdk-nag AwsSolutions: %s', (_label, context) => {
  it('reports no violation', () => {
    const app = appWith(context);
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const summary = report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`);
    expect(summary).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every acknowledgement uses a plain rule id and gives a real reason', () => {
    const app = appWith(context);
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const { id, reason, path } of acks) {
      // cdk-nag's validateScope() ignores the CLI's prefixed form (AwsSolutions::AwsSolutions-L1).
      // (acknowledge() records a plain id as `Annotation::<id>`.)
      // A rule with several findings per resource is acknowledged per finding: AwsSolutions-IAM4[Policy::<arn>].
      expect({ path, id }).toEqual({ path, id: expect.stringMatching(/^(Annotation::)?AwsSolutions-[A-Z]+\d+(\[[^\]]+\])?$/) });
      expect({ path, id, reasonLength: reason.trim().length > 40 }).toEqual({ path, id, reasonLength: true });
      expect(reason).not.toMatch(/\b(todo|tbd|fixme|n\/a)\b/i);
    }
  });
});

describe('acknowledgements in the source', () => {
  const sources = ['lib', 'bin'].flatMap((dir) =>
    readdirSync(join(__dirname, '..', '..', dir))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => ({ file: `${dir}/${file}`, source: readFileSync(join(__dirname, '..', '..', dir, file), 'utf8') })),
  );

  it('acknowledge findings instead of disabling rules', () => {
    expect(sources.some(({ source }) => source.includes('.acknowledge('))).toBe(true);
    for (const { file, source } of sources) {
      expect({ file, suppressions: /NagSuppressions|ruleIds\s*:|Aspects\.of\(/.test(source) }).toEqual({ file, suppressions: false });
    }
  });

  it('pair each acknowledged id with a reason of more than 40 characters', () => {
    let pairs = 0;
    for (const { file, source } of sources) {
      const ids = [...source.matchAll(/\bid:\s*['"`]([^'"`]*AwsSolutions[^'"`]*)['"`]/g)].map((m) => m[1]);
      const acknowledged = [
        ...source.matchAll(/\bid:\s*'([^']+)',\s*reason:\s*(?:'((?:[^'\\]|\\.)*)'|`([^`]*)`|"((?:[^"\\]|\\.)*)")/g),
      ].map((m) => ({ id: m[1] as string, reason: m[2] ?? m[3] ?? m[4] ?? '' }));
      expect({ file, ids }).toEqual({ file, ids: acknowledged.map((a) => a.id) }); // every id has a literal reason next to it
      for (const { id, reason } of acknowledged) {
        expect({ file, id }).toEqual({ file, id: expect.stringMatching(/^AwsSolutions-[A-Z]+\d+(\[[^\]]+\])?$/) });
        expect({ file, id, long: reason.trim().length > 40 }).toEqual({ file, id, long: true });
      }
      pairs += acknowledged.length;
    }
    expect(pairs).toBeGreaterThan(0);
  });
});
