// The environment the benchmark runs the handlers with: what `npm start` sets (local/start.ts), with the
// benchmark's own table and signing key. Imported first by bench/run.ts and by every worker, because Powertools
// reads its settings when the handler modules are loaded.
import { join } from 'node:path';
import { LOCAL_CREDENTIALS } from '../local/dynamodb-local';
import { createDevTokenIssuer, LOCAL_AUDIENCE, LOCAL_ISSUER, type DevTokenIssuer } from '../local/dev-tokens';

export const BENCH_TABLE = 'obp-person-api-bench';
export const SUPER_ADMIN = 'benchadmin';
export const KEY_FILE = join(__dirname, 'out', 'dev-signing-key.json');

const env = process.env;
env.AWS_REGION ??= 'us-east-1';
env.AWS_ACCESS_KEY_ID ??= LOCAL_CREDENTIALS.accessKeyId;
env.AWS_SECRET_ACCESS_KEY ??= LOCAL_CREDENTIALS.secretAccessKey;
env.AWS_EC2_METADATA_DISABLED = 'true';
env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
env.TABLE_NAME = BENCH_TABLE;
env.SUPER_ADMIN_USER_IDS = SUPER_ADMIN;
env.POWERTOOLS_METRICS_DISABLED ??= 'true';
env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
env.JWT_ISSUER = LOCAL_ISSUER;
env.JWT_AUDIENCE = LOCAL_AUDIENCE;
delete env.JWT_JWKS_URL;

/** The development token issuer (key in bench/out/), whose public keys the handlers trust through JWT_JWKS. */
export const benchTokens = async (): Promise<DevTokenIssuer> => {
  const tokens = await createDevTokenIssuer({ keyFile: KEY_FILE });
  env.JWT_JWKS = JSON.stringify(tokens.jwks);
  return tokens;
};
