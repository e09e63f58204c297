// Idempotency records (functions/domain/idempotency.ts): written only inside the operation's own transaction, read
// in the request's first BatchGetItem, and read again only when a concurrent request with the same key won.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Key } from './keys';
import type { IdempotencyRecord } from './records';
import { documentClient, tableName } from './table-client';
import type { AlsoWrite } from './transactions';

/** The record's Put, for the operation's transaction: only where no live record is (an expired one may linger until TTL). */
export const idempotencyRecordWrite = (key: Key, record: IdempotencyRecord): AlsoWrite => ({
  item: {
    Put: {
      TableName: tableName(),
      Item: { ...key, entity: 'IdempotencyRecord', ...record },
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': Math.floor(Date.parse(record.createdAt) / 1000) },
    },
  },
});

/** A live record, or undefined (none, or expired and not yet removed by TTL). */
export const liveRecord = (item: Record<string, unknown> | undefined, now: Date): IdempotencyRecord | undefined => {
  const record = item as IdempotencyRecord | undefined;
  return record && record.expiresAt * 1000 > now.getTime() ? record : undefined;
};

export const readIdempotencyRecord = async (key: Key, now: Date): Promise<IdempotencyRecord | undefined> => {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return liveRecord(out.Item, now);
};
