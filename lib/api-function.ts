// One construct holds every function default (runtime, arm64, ESM bundle with the SDK inside, source maps, an
// encrypted and retained log group) and grants exactly the table access the operations list declares, bound to its
// partitions.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { tableKeyStatement, tableStatements, type TableAccess } from './table-access';

const ROOT = join(__dirname, '..');

/** The newest Node.js runtime aws-cdk-lib offers; bundles target Node 20 so they also load on the local Node. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const FUNCTION_MEMORY_MB = 512;
export const FUNCTION_TIMEOUT = Duration.seconds(10);

/** How every function is bundled; exported so the benchmarks build their baseline bundle the same way. */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  metafile: true,
  externalModules: [], // bundle the AWS SDK: pinned, tree-shaken, no dependency on the runtime's copy
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
} satisfies BundlingOptions;

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
  /** Table access as the operations list declares it; omit for a function that does not touch the table. */
  table?: { table: ITable; access: TableAccess };
}

export class ApiFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    // Retained: the audit trail outlives a `cdk destroy` and expires by its retention.
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: write access to this function's log group only.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(this.role);
    if (props.table && props.table.access.actions.length > 0) {
      for (const statement of tableStatements(id, props.table.access, props.table.table)) this.role.addToPolicy(statement);
      const keyStatement = tableKeyStatement(props.table.access, props.table.table, props.key);
      if (keyStatement) this.role.addToPolicy(keyStatement);
    }
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(ROOT, props.entry),
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: FUNCTION_MEMORY_MB,
      timeout: FUNCTION_TIMEOUT,
      role: this.role,
      logGroup,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: FUNCTION_BUNDLING,
    });
    // The role's policy must exist before the function can be invoked.
    this.fn.node.addDependency(this.role);
  }
}
