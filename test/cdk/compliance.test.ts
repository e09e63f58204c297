// The policy checks of every synth (lib/compliance.ts) on each configuration of the app: the four cdk-nag packs
// report nothing, cfn-guard's Control Tower rules pass a real synth, every acknowledgement names a real finding of
// its own resource (none is stale or blanket), and every acknowledgement in the source pairs a literal rule id with
// a literal reason.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { buildApp } from '../../lib/app';
import { nagPacks, registerCompliancePlugins } from '../../lib/compliance';
import { VPC_CONTEXT } from '../support/template';

const CONFIGURATIONS: [string, Record<string, string>][] = [
  ['Cognito user pool (default)', {}],
  [
    'external OIDC issuer',
    { jwtIssuer: 'https://login.example.com/realms/bank', jwtAudience: 'obp-person-api', jwksUrl: 'https://login.example.com/realms/bank/certs' },
  ],
  [
    'every option set',
    {
      superAdminUserIds: 'ops-admin',
      throttleRateLimit: '200',
      throttleBurstLimit: '400',
      writeThrottleRateLimit: '20',
      writeThrottleBurstLimit: '40',
      corsAllowOrigins: 'https://app.example.com',
      logRetentionDays: '731',
      reservedConcurrency: '5',
    },
  ],
  ['a retention shorter than a year (-c logRetentionDays=90)', { logRetentionDays: '90' }],
  ['VPC mode', VPC_CONTEXT],
  ['VPC mode with the bank’s own endpoints', { ...VPC_CONTEXT, createVpcEndpoints: 'false', subnetRouteTableIds: 'rtb-0a1b2c3d4e5f60718' }],
];

/** The rule-id forms an acknowledgement may use: each pack's own prefix, and cfn-guard's namespace in the CDK. */
const RULE_ID =
  /^(AwsSolutions-[A-Z]+\d+(\[[^\]]+\])?|NIST\.800\.53\.R5-[A-Za-z0-9]+|PCI\.DSS\.321-[A-Za-z0-9]+|HIPAA\.Security-[A-Za-z0-9]+|cdk-validator-cfnguard::[a-z0-9_]+)$/;

const appWith = (context: Record<string, string>, outdir?: string): App => {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  buildApp(app);
  return app;
};

interface Ack {
  id: string;
  reason: string;
  path: string;
}

/** Every acknowledgement recorded on the construct tree: rule id (as written), reason and where. */
const acknowledgements = (app: App): Ack[] =>
  app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          // acknowledge() records a plain id as `Annotation::<id>` and keeps a namespaced one as it is.
          id: id.replace(/^Annotation::/, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );

interface Finding {
  rule: string;
  path: string;
}

/** cdk-nag's findings on the app built without a single acknowledgement. */
const unacknowledgedNagFindings = (context: Record<string, string>): Finding[] => {
  const spy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
  try {
    const app = appWith(context);
    return nagPacks(app).flatMap((pack) =>
      pack.validateScope(app).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath as string }))),
    );
  } finally {
    spy.mockRestore();
  }
};

interface PluginReport {
  pluginName: string;
  conclusion: string;
  violations: unknown[];
  suppressedViolations?: { ruleName: string; acknowledgedId: string; violatingConstructs: { constructPath: string }[] }[];
}

/** A real synth with every plugin registered, as bin/app.ts does; throws if any plugin reports a violation. */
const synthesizeWithPlugins = (context: Record<string, string>): PluginReport[] => {
  const outdir = mkdtempSync(join(tmpdir(), 'obp-synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
    registerCompliancePlugins(app);
    buildApp(app);
    app.synth();
    return (JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] }).pluginReports;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

const covers = (ack: Ack, finding: Finding): boolean =>
  ack.id === finding.rule && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`));

describe.each(CONFIGURATIONS)('compliance checks: %s', (_label, context) => {
  let app: App;
  let reports: PluginReport[];
  beforeAll(() => {
    app = appWith(context);
    reports = synthesizeWithPlugins(context);
  });

  it.each(['AwsSolutions', 'NIST.800.53.R5', 'PCI.DSS.321', 'HIPAA.Security'])('cdk-nag %s reports no violation', (packName) => {
    const pack = nagPacks(app).find((p) => p.readPackName === packName);
    expect(pack).toBeDefined();
    const report = pack!.validateScope(app);
    const summary = report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(summary).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('a real synth with every plugin passes, cfn-guard (Control Tower rules) included', () => {
    const guard = reports.find((r) => r.pluginName === 'cdk-validator-cfnguard');
    expect(guard).toMatchObject({ conclusion: 'success', violations: [] });
    expect(guard?.suppressedViolations?.length).toBeGreaterThan(0);
    for (const r of reports) expect({ plugin: r.pluginName, violations: r.violations }).toEqual({ plugin: r.pluginName, violations: [] });
  });

  it('every acknowledgement uses a rule id of a registered check and gives a real reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const { id, reason, path } of acks) {
      // cdk-nag's validateScope() ignores the CLI's prefixed form (NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ).
      expect({ path, id }).toEqual({ path, id: expect.stringMatching(RULE_ID) });
      expect({ path, id, reasonLength: reason.trim().length > 40 }).toEqual({ path, id, reasonLength: true });
      expect(reason).not.toMatch(/\b(todo|tbd|fixme|n\/a)\b/i);
    }
  });

  it('every acknowledgement answers a finding on its own resource (none is stale or blanket)', () => {
    const acks = acknowledgements(app);
    const nag = unacknowledgedNagFindings(context);
    // cfn-guard's findings as the CDK matched them to acknowledgements in the real synth.
    const guard = (reports.find((r) => r.pluginName === 'cdk-validator-cfnguard')?.suppressedViolations ?? []).flatMap((v) =>
      v.violatingConstructs.map((c) => ({ rule: v.acknowledgedId, path: c.constructPath })),
    );
    for (const ack of acks) {
      expect({ ack, covers: [...nag, ...guard].some((f) => covers(ack, f)) }).toEqual({ ack, covers: true });
      expect(ack.path).toMatch(/^[^/]+\/.+/); // below a stack, never on a stack or the app
    }
    // …and without them the packs would report exactly what is acknowledged.
    expect(nag.filter((f) => !acks.some((a) => covers(a, f)))).toEqual([]);
    expect(nag.length).toBeGreaterThan(0);
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
      expect({ file, suppressions: /NagSuppressions|ruleIds\s*:|disabledRules|Aspects\.of\(/.test(source) }).toEqual({ file, suppressions: false });
    }
  });

  it('pair each acknowledged id with a reason of more than 40 characters', () => {
    let pairs = 0;
    for (const { file, source } of sources) {
      const ids = [
        ...source.matchAll(/\bid:\s*['"`]([^'"`]*(?:AwsSolutions|NIST\.800\.53\.R5|PCI\.DSS\.321|HIPAA\.Security|cdk-validator-cfnguard)[^'"`]*)['"`]/g),
      ].map((m) => m[1]);
      const acknowledged = [
        ...source.matchAll(/\bid:\s*'([^']+)',\s*reason:\s*(?:'((?:[^'\\]|\\.)*)'|`([^`]*)`|"((?:[^"\\]|\\.)*)")/g),
      ].map((m) => ({ id: m[1] as string, reason: m[2] ?? m[3] ?? m[4] ?? '' }));
      expect({ file, ids }).toEqual({ file, ids: acknowledged.map((a) => a.id) }); // every id has a literal reason next to it
      for (const { id, reason } of acknowledged) {
        expect({ file, id }).toEqual({ file, id: expect.stringMatching(RULE_ID) });
        expect({ file, id, long: reason.trim().length > 40 }).toEqual({ file, id, long: true });
      }
      pairs += acknowledged.length;
    }
    expect(pairs).toBeGreaterThan(0);
  });
});
