// The cold-init baseline: a function bundle that does nothing but create a DynamoDB document client at import,
// built with the deployment's esbuild options (bench/cold-init.ts). Every handler's import time is compared to it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
