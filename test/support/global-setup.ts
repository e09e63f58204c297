// Starts one in-memory DynamoDB Local for the integration tests, creates the table, and makes a signing key for
// test tokens. Signal handlers make sure Ctrl-C on jest never leaves java running (jest skips globalTeardown on a signal, and java would outlive it).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { exportJWK, generateKeyPair } from 'jose';
import { LOCAL_CREDENTIALS, startDynamoDbLocal } from '../../local/dynamodb-local';
import { ensureTable } from '../../local/table';

export const TEST_TABLE = 'obp-person-api-test';

export default async function globalSetup(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  (globalThis as { __DYNAMO__?: typeof dynamo }).__DYNAMO__ = dynamo;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      dynamo.process.kill('SIGKILL');
      process.kill(process.pid, signal);
    });
  }
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, TEST_TABLE);
  client.destroy();

  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-key';
  process.env.JWT_JWKS = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  process.env.TEST_PRIVATE_JWK = JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'RS256' });
}
