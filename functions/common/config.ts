// Configuration is read once from the environment and validated, so business code never reads process.env.

export interface Config {
  tableName: string;
  /** Only set locally (DynamoDB Local) or for tests; in AWS the SDK's default endpoint is used. */
  dynamoDbEndpoint?: string;
  jwt: {
    issuer: string;
    audience: string;
    algorithms: string[];
    /** Inline JWKS (JSON), used by the local server; otherwise keys are fetched from jwksUrl. */
    jwks?: string;
    jwksUrl?: string;
  };
  superAdminUserIds: ReadonlySet<string>;
}

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new Error(`Missing configuration: environment variable ${name} is not set`);
  return value;
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const issuer = required(env, 'JWT_ISSUER');
  const jwks = env.JWT_JWKS?.trim() || undefined;
  return {
    tableName: required(env, 'TABLE_NAME'),
    dynamoDbEndpoint: env.DYNAMODB_ENDPOINT?.trim() || undefined,
    jwt: {
      issuer,
      audience: required(env, 'JWT_AUDIENCE'),
      algorithms: (env.JWT_ALGORITHMS ?? 'RS256,ES256').split(',').map((a) => a.trim()).filter(Boolean),
      jwks,
      // Cognito and most OIDC issuers publish their keys here; JWT_JWKS_URL overrides it.
      jwksUrl: jwks ? undefined : env.JWT_JWKS_URL?.trim() || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    },
    superAdminUserIds: new Set((env.SUPER_ADMIN_USER_IDS ?? '').split(',').map((id) => id.trim()).filter(Boolean)),
  };
};

let cached: Config | undefined;

/** The process's configuration, read on first use. */
export const config = (): Config => (cached ??= loadConfig());

/** Forget the cached configuration (tests and the local server change the environment). */
export const resetConfig = (): void => {
  cached = undefined;
};

/**
 * Whether this process is a Lambda function in AWS (the runtime sets AWS_LAMBDA_FUNCTION_NAME; the local server and
 * the tests do not). Read apart from the rest of the configuration, so an error response can ask even when the
 * configuration itself is what failed.
 */
export const runsInLambda = (env: NodeJS.ProcessEnv = process.env): boolean => Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
