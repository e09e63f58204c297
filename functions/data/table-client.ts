// One DynamoDB document client per process, created on first use (not at import, to keep cold init small).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../common/config';
import { tracer } from '../common/observability';

let client: DynamoDBDocumentClient | undefined;

/**
 * Requests in flight per process. A Lambda runs one request at a time, but the local server (and in-process tests)
 * run many at once: beyond the HTTP agent's 50 sockets they would queue inside the agent, where the SDK's
 * connectionTimeout counts the wait as connecting and fails them (861 of 1,000 concurrent message posts did).
 * Waiting here, before the request reaches the HTTP handler, starts no timer.
 */
const MAX_IN_FLIGHT = 50;

const limitInFlight = (target: DynamoDBDocumentClient): void => {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  target.middlewareStack.add(
    (next) => async (args) => {
      // A released slot passes straight to the next waiter, so inFlight never exceeds the cap.
      if (inFlight < MAX_IN_FLIGHT) inFlight++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await next(args);
      } finally {
        const nextWaiter = waiting.shift();
        if (nextWaiter) nextWaiter();
        else inFlight--;
      }
    },
    { step: 'initialize', name: 'limitInFlight', priority: 'high' },
  );
};

export const documentClient = (): DynamoDBDocumentClient => {
  if (!client) {
    const { dynamoDbEndpoint } = config();
    const base = new DynamoDBClient({
      ...(dynamoDbEndpoint ? { endpoint: dynamoDbEndpoint } : {}),
      // Deliberate retry policy: 3 attempts with the SDK's standard backoff, and per-attempt timeouts well inside
      // the function's timeout, so a hung connection becomes a clean 500 instead of a Lambda timeout.
      // throwOnRequestTimeout: without it this SDK only logs a warning when requestTimeout passes and keeps waiting.
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
    });
    // Traced in Lambda: operation, table, consumed capacity, retries; never keys or items (the X-Ray SDK's allow-list).
    const traced = tracer ? tracer.captureAWSv3Client(base) : base;
    client = DynamoDBDocumentClient.from(traced, { marshallOptions: { removeUndefinedValues: true } });
    limitInFlight(client);
  }
  return client;
};

export const tableName = (): string => config().tableName;

/** Drop the client (tests that point the process at another endpoint). */
export const resetDocumentClient = (): void => {
  client = undefined;
};
