// Deployment settings from CDK context (-c key=value or cdk.json), validated once.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

/** One of the bank's subnets the functions get their network interfaces in. */
export interface SubnetConfig {
  subnetId: string;
  availabilityZone: string;
  routeTableId: string;
}

/** Opt-in deployment into an existing VPC (-c vpcId=…), described explicitly so that synth needs no AWS lookup. */
export interface VpcConfig {
  vpcId: string;
  subnets: SubnetConfig[];
  /** Create the DynamoDB gateway endpoint and the KMS interface endpoint (false: the VPC already has them). */
  createEndpoints: boolean;
}

export interface DeployConfig {
  /** External OIDC issuer; when absent the stack creates a Cognito user pool and trusts it. */
  jwtIssuer?: string;
  jwtAudience?: string;
  jwksUrl?: string;
  superAdminUserIds: string;
  /** The stage's default route throttle (API Gateway applies it to each route). */
  throttleRateLimit: number;
  throttleBurstLimit: number;
  /** The throttle of every write route (POST, PUT, DELETE). */
  writeThrottleRateLimit: number;
  writeThrottleBurstLimit: number;
  corsAllowOrigins: string[];
  logRetentionDays: number;
  /** Reserved concurrency of every function; undefined: none (they share the account's unreserved pool). */
  reservedConcurrency?: number;
  vpc?: VpcConfig;
}

/** Defaults of the write-route throttle, never above the stage's own limits. */
export const WRITE_THROTTLE_DEFAULTS = { rateLimit: 10, burstLimit: 20 };

/** The retention a log group gets unless -c logRetentionDays says otherwise: one year, as CT.CLOUDWATCH.PR.2 asks. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;

const text = (node: Node, key: string): string | undefined => {
  const value = node.tryGetContext(key);
  return value === undefined || value === null || String(value).trim() === '' ? undefined : String(value).trim();
};

const positiveInt = (node: Node, key: string, fallback: number): number => {
  const raw = text(node, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`Context ${key} must be a positive whole number, got "${raw}"`);
  return value;
};

const optionalPositiveInt = (node: Node, key: string): number | undefined =>
  text(node, key) === undefined ? undefined : positiveInt(node, key, 0);

const bool = (node: Node, key: string, fallback: boolean): boolean => {
  const raw = text(node, key);
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new Error(`Context ${key} must be true or false, got "${raw}"`);
  return raw === 'true';
};

const list = (node: Node, key: string): string[] => (text(node, key) ?? '').split(',').map((item) => item.trim()).filter(Boolean);

/** The retention periods CloudWatch Logs accepts (anything else passes synth and fails the deploy). */
const RETENTION_DAYS = Object.values(RetentionDays).filter((d): d is number => typeof d === 'number' && d !== RetentionDays.INFINITE);

const retentionDays = (node: Node): number => {
  const days = positiveInt(node, 'logRetentionDays', DEFAULT_LOG_RETENTION_DAYS);
  if (!RETENTION_DAYS.includes(days)) {
    throw new Error(`Context logRetentionDays must be one of ${RETENTION_DAYS.join(', ')} (what CloudWatch Logs accepts), got ${days}`);
  }
  return days;
};

const VPC_KEYS = ['subnetIds', 'subnetAvailabilityZones', 'subnetRouteTableIds', 'createVpcEndpoints'];

const vpcConfig = (node: Node): VpcConfig | undefined => {
  const vpcId = text(node, 'vpcId');
  if (!vpcId) {
    const stray = VPC_KEYS.filter((key) => text(node, key) !== undefined);
    if (stray.length > 0) throw new Error(`Context ${stray.join(', ')} only apply together with -c vpcId=…`);
    return undefined;
  }
  if (!/^vpc-[0-9a-f]{8,17}$/.test(vpcId)) throw new Error(`Context vpcId must be a VPC id (vpc-…), got "${vpcId}"`);
  const subnetIds = list(node, 'subnetIds');
  const zones = list(node, 'subnetAvailabilityZones');
  const routeTables = list(node, 'subnetRouteTableIds');
  const usage =
    'With -c vpcId, also set -c subnetIds=subnet-a,subnet-b (private subnets, one per availability zone is enough), ' +
    '-c subnetAvailabilityZones=<zone of each subnet> and -c subnetRouteTableIds=<route table of each subnet, or one for all>';
  if (subnetIds.length === 0) throw new Error(usage);
  for (const id of subnetIds) if (!/^subnet-[0-9a-f]{8,17}$/.test(id)) throw new Error(`Context subnetIds: "${id}" is not a subnet id (subnet-…)`);
  for (const id of routeTables) if (!/^rtb-[0-9a-f]{8,17}$/.test(id)) throw new Error(`Context subnetRouteTableIds: "${id}" is not a route table id (rtb-…)`);
  if (new Set(subnetIds).size !== subnetIds.length) throw new Error('Context subnetIds lists a subnet twice');
  if (zones.length !== subnetIds.length) throw new Error(`${usage}: got ${subnetIds.length} subnets and ${zones.length} zones`);
  if (routeTables.length !== 1 && routeTables.length !== subnetIds.length) {
    throw new Error(`${usage}: got ${subnetIds.length} subnets and ${routeTables.length} route tables`);
  }
  return {
    vpcId,
    subnets: subnetIds.map((subnetId, i) => ({
      subnetId,
      availabilityZone: zones[i] as string,
      routeTableId: (routeTables.length === 1 ? routeTables[0] : routeTables[i]) as string,
    })),
    createEndpoints: bool(node, 'createVpcEndpoints', true),
  };
};

export const readDeployConfig = (node: Node): DeployConfig => {
  const jwtIssuer = text(node, 'jwtIssuer');
  const jwtAudience = text(node, 'jwtAudience');
  if (Boolean(jwtIssuer) !== Boolean(jwtAudience)) {
    throw new Error('Set both -c jwtIssuer=… and -c jwtAudience=… to use an external OIDC issuer, or neither to use the Cognito user pool.');
  }
  if (jwtIssuer && !/^https:\/\//.test(jwtIssuer)) throw new Error(`jwtIssuer must be an https URL, got "${jwtIssuer}"`);
  const throttleRateLimit = positiveInt(node, 'throttleRateLimit', 50);
  const throttleBurstLimit = positiveInt(node, 'throttleBurstLimit', 100);
  return {
    jwtIssuer,
    jwtAudience,
    jwksUrl: text(node, 'jwksUrl'),
    superAdminUserIds: text(node, 'superAdminUserIds') ?? '',
    throttleRateLimit,
    throttleBurstLimit,
    writeThrottleRateLimit: positiveInt(node, 'writeThrottleRateLimit', Math.min(WRITE_THROTTLE_DEFAULTS.rateLimit, throttleRateLimit)),
    writeThrottleBurstLimit: positiveInt(node, 'writeThrottleBurstLimit', Math.min(WRITE_THROTTLE_DEFAULTS.burstLimit, throttleBurstLimit)),
    corsAllowOrigins: list(node, 'corsAllowOrigins'),
    logRetentionDays: retentionDays(node),
    reservedConcurrency: optionalPositiveInt(node, 'reservedConcurrency'),
    vpc: vpcConfig(node),
  };
};
