// One construct holds every function default (runtime, arm64, ESM bundle with the SDK inside, source maps, X-Ray
// tracing, an encrypted and retained log group) and grants exactly the table access the operations list declares,
// in one customer managed policy per function.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ISecurityGroup, ISubnet, IVpc } from 'aws-cdk-lib/aws-ec2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { acknowledgeFunctionFindings, acknowledgeLogGroupFindings } from './findings';
import { tableKeyStatement, tableStatements, type TableAccess } from './table-access';

const ROOT = join(__dirname, '..');

/** The newest Node.js runtime aws-cdk-lib offers, and the bundles' target: the Node the functions run on. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const FUNCTION_MEMORY_MB = 512;
export const FUNCTION_TIMEOUT = Duration.seconds(10);

/** How every function is bundled; exported so the benchmarks build their baseline bundle the same way. */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  metafile: true,
  externalModules: [], // bundle the AWS SDK: pinned, tree-shaken, no dependency on the runtime's copy
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  // Stand-ins, for the bundles only (each file says why; test/unit/bundling.test.ts checks what reaches them): semver
  // (29 KB), reached only by the X-Ray SDK's AWS SDK v2 patcher, which these functions never use; the SDK's default
  // credential chain (about 135 KB), of which Lambda only ever uses the environment; node:http, loaded on first
  // use instead of at every cold start (it brings Node's undici); and node:assert, loaded only when an assertion fails.
  esbuildArgs: {
    '--alias': [
      'semver=./lib/bundling/semver-unused.cjs',
      '@aws-sdk/credential-provider-node=./lib/bundling/credentials-from-environment.ts',
      'node:http=./lib/bundling/http-on-first-use.cjs',
      'http=./lib/bundling/http-on-first-use.cjs',
      'assert=./lib/bundling/assert-on-failure.cjs',
    ],
  },
} satisfies BundlingOptions;

/**
 * Powertools Tracer settings: responses and errors carry personal data (customers, messages, OBP error texts), so
 * neither is ever added to a trace; the handler middleware also passes captureResponse: false.
 */
export const TRACER_ENVIRONMENT = {
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
  POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
  // The functions' only HTTP calls are DynamoDB's, traced through the client (captureAWSv3Client), and the JWKS fetch
  // (once per key set and instance). Capturing all of node:http(s) would load node:http at every cold start.
  POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
};

/** The functions' network placement in VPC mode (lib/network.ts). */
export interface FunctionPlacement {
  vpc: IVpc;
  subnets: ISubnet[];
  securityGroup: ISecurityGroup;
}

export interface ApiFunctionProps {
  /** Handler source file, relative to the repository root. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /** Log group name; it must start with the prefix the key policy allows (lib/encryption.ts). */
  logGroupName: string;
  /** The customer managed key of the log group (and of the table). */
  key: IKey;
  /** Table access; omit for a function that does not touch the table. */
  table?: { table: ITable; access: TableAccess };
  reservedConcurrency?: number;
  network?: FunctionPlacement;
}

export class ApiFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly policy: ManagedPolicy;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    // Retained: the audit trail outlives a `cdk destroy` and expires by its retention.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeLogGroupFindings(this.logGroup, props.logRetention);
    // An own role instead of AWSLambdaBasicExecutionRole (logs:* on *); in VPC mode the AWS managed ENI policy.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: props.network ? [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')] : [],
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `${id}: its log group, X-Ray, and the table access the operations list declares`,
      roles: [this.role],
      statements: this.statements(id, props),
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(ROOT, props.entry),
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: FUNCTION_MEMORY_MB,
      timeout: FUNCTION_TIMEOUT,
      // Every permission is in the customer managed policy above: the CDK may not add inline statements.
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      ...(props.network
        ? { vpc: props.network.vpc, vpcSubnets: { subnets: props.network.subnets }, securityGroups: [props.network.securityGroup] }
        : {}),
      environment: {
        ...props.environment,
        ...TRACER_ENVIRONMENT,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: FUNCTION_BUNDLING,
    });
    // The role and its policy must exist before the function is created and invoked.
    this.fn.node.addDependency(this.role, this.policy);
    acknowledgeFunctionFindings({ fn: this.fn, role: this.role, policy: this.policy }, props);
  }

  private statements(id: string, props: ApiFunctionProps): PolicyStatement[] {
    const statements = [
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
      // What Lambda's active tracing sends with the function's role; X-Ray has no resource-level permissions.
      new PolicyStatement({ actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resources: ['*'] }),
    ];
    if (props.table && props.table.access.actions.length > 0) {
      const { table, access } = props.table;
      statements.push(...tableStatements(id, access, table));
      const keyStatement = tableKeyStatement(access, table, props.key);
      if (keyStatement) statements.push(keyStatement);
    }
    return statements;
  }
}
