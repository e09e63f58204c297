// Deployment settings from CDK context (-c key=value or cdk.json), validated once.
import type { Node } from 'constructs';

export interface DeployConfig {
  /** External OIDC issuer; when absent the stack creates a Cognito user pool and trusts it. */
  jwtIssuer?: string;
  jwtAudience?: string;
  jwksUrl?: string;
  superAdminUserIds: string;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  corsAllowOrigins: string[];
  logRetentionDays: number;
}

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

export const readDeployConfig = (node: Node): DeployConfig => {
  const jwtIssuer = text(node, 'jwtIssuer');
  const jwtAudience = text(node, 'jwtAudience');
  if (Boolean(jwtIssuer) !== Boolean(jwtAudience)) {
    throw new Error('Set both -c jwtIssuer=… and -c jwtAudience=… to use an external OIDC issuer, or neither to use the Cognito user pool.');
  }
  if (jwtIssuer && !/^https:\/\//.test(jwtIssuer)) throw new Error(`jwtIssuer must be an https URL, got "${jwtIssuer}"`);
  return {
    jwtIssuer,
    jwtAudience,
    jwksUrl: text(node, 'jwksUrl'),
    superAdminUserIds: text(node, 'superAdminUserIds') ?? '',
    throttleRateLimit: positiveInt(node, 'throttleRateLimit', 50),
    throttleBurstLimit: positiveInt(node, 'throttleBurstLimit', 100),
    corsAllowOrigins: (text(node, 'corsAllowOrigins') ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    logRetentionDays: positiveInt(node, 'logRetentionDays', 30),
  };
};
