// `npm start`: DynamoDB Local (or DYNAMODB_ENDPOINT), the table, the dev token issuer and the API on
// http://127.0.0.1:$PORT. Ctrl-C stops everything it started.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { assertPortFree, LOCAL_CREDENTIALS, startDynamoDbLocal, type RunningDynamoDb } from './dynamodb-local';
import { createDevTokenIssuer, LOCAL_AUDIENCE, LOCAL_ISSUER } from './dev-tokens';
import { docsRoutes } from './docs';
import { createLocalServer, preloadHandlers } from './server';
import { ensureTable } from './table';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const inMemory = env.IN_MEMORY === '1' || env.IN_MEMORY === 'true';
const dataDir = join(__dirname, '..', '.data');

let dynamo: RunningDynamoDb | undefined;
let stopping = false;

const shutdown = async (code: number): Promise<never> => {
  if (!stopping) {
    stopping = true;
    await dynamo?.stop();
  }
  process.exit(code);
};

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping${dynamo ? ' DynamoDB Local and' : ''} the API.`);
    void shutdown(0);
  });
}

const main = async (): Promise<void> => {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  await assertPortFree(port, 'the API, set by PORT');

  // Defaults for local use; anything already set in the environment wins.
  env.AWS_REGION ??= 'us-east-1';
  env.AWS_ACCESS_KEY_ID ??= LOCAL_CREDENTIALS.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY ??= LOCAL_CREDENTIALS.secretAccessKey;
  env.TABLE_NAME ??= 'obp-person-api';
  env.SUPER_ADMIN_USER_IDS ??= 'admin';
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  if (!env.DYNAMODB_ENDPOINT) {
    console.log(`Starting DynamoDB Local (${inMemory ? 'in memory' : 'data in .data/'})…`);
    dynamo = await startDynamoDbLocal({ dataDir: inMemory ? undefined : join(dataDir, 'dynamodb') });
    env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  }
  const client = new DynamoDBClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION });
  await ensureTable(client, env.TABLE_NAME);
  client.destroy();

  const tokens = await createDevTokenIssuer({ keyFile: inMemory ? undefined : join(dataDir, 'dev-signing-key.json') });
  env.JWT_ISSUER = LOCAL_ISSUER;
  env.JWT_AUDIENCE = LOCAL_AUDIENCE;
  env.JWT_JWKS = JSON.stringify(tokens.jwks);
  delete env.JWT_JWKS_URL;

  await preloadHandlers();
  const quiet = env.LOG_REQUESTS === '0';
  const responseLog = env.RESPONSE_LOG;
  const server = createLocalServer({
    tokens,
    extraRoutes: docsRoutes(),
    onResponse: responseLog ? ({ route, status, text }) => appendFileSync(responseLog, `${JSON.stringify({ route, status, text })}\n`) : undefined,
    onRequest: quiet ? undefined : ({ method, path, status, ms }) => console.log(`${method} ${path} → ${status} (${ms.toFixed(1)} ms)`),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${port}`;
  console.log(`obp-person-api is listening on ${url}`);
  console.log(`  DynamoDB:     ${env.DYNAMODB_ENDPOINT} (table ${env.TABLE_NAME})`);
  console.log(`  super admins: ${env.SUPER_ADMIN_USER_IDS}`);
  console.log(`  try:          curl ${url}/obp/v5.0.0/root`);
  console.log(`  API docs:     ${url}/docs (OpenAPI document: ${url}/openapi.json)`);
  console.log(`  a token:      npm run token -- admin`);
};

main().catch(async (error: Error) => {
  console.error(`Cannot start obp-person-api: ${error.message}`);
  await shutdown(1);
});
