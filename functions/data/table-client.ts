// One DynamoDB document client per process, created on first use (not at import, to keep cold init small).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../core/config';

let client: DynamoDBDocumentClient | undefined;

export const documentClient = (): DynamoDBDocumentClient => {
  if (!client) {
    const { dynamoDbEndpoint } = config();
    const base = new DynamoDBClient({
      ...(dynamoDbEndpoint ? { endpoint: dynamoDbEndpoint } : {}),
      // Deliberate retry policy: 3 attempts with the SDK's standard backoff, and per-attempt timeouts well inside
      // the function's timeout, so a hung connection becomes a clean 500 instead of a Lambda timeout.
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
    });
    client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  }
  return client;
};

export const tableName = (): string => config().tableName;

/** Drop the client (tests that point the process at another endpoint). */
export const resetDocumentClient = (): void => {
  client = undefined;
};
