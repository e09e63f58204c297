// Deployment settings from CDK context (-c key=value or cdk.json), validated once.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

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
  };
};
