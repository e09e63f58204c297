import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, MESSAGE_SK_PREFIX, messageKey } from './keys';
import { queryAll } from './query-all';
import type { MessageRecord } from './records';
import { documentClient, tableName } from './table-client';

export const insertMessage = async (m: MessageRecord): Promise<void> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...messageKey(m.customerId, m.createdAt, m.messageId), entity: 'Message', ...m },
        // The id is a fresh UUID; the condition only guards against ever overwriting a stored message.
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    // Only this request knows the fresh id, so a failed condition means an earlier attempt of this very Put was
    // committed and its answer lost (the SDK then retries): the message is stored, once.
    if (error instanceof ConditionalCheckFailedException) return;
    throw error;
  }
};

/** A customer's messages, newest first. */
export const listMessagesOfCustomer = async (customerId: string): Promise<MessageRecord[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': customerKey(customerId).PK, ':prefix': MESSAGE_SK_PREFIX },
    ScanIndexForward: false,
    ConsistentRead: true,
  });
  return items as unknown as MessageRecord[];
};
