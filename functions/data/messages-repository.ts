// Messages, under their customer by creation time: one store for both message posts, paged by keyset.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, MESSAGE_SK_PREFIX, messageKey } from './keys';
import { readPage, type ListLayout, type Page, type PageRequest } from './paging';
import type { MessageRecord } from './records';
import { documentClient, tableName } from './table-client';
import { transactWrite, type AlsoWrite } from './transactions';

export const insertMessage = async (m: MessageRecord, also?: AlsoWrite): Promise<void> => {
  const put = {
    TableName: tableName(),
    Item: { ...messageKey(m.customerId, m.createdAt, m.messageId), entity: 'Message', ...m },
    // The id is a fresh UUID; the condition only guards against ever overwriting a stored message.
    ConditionExpression: 'attribute_not_exists(PK)',
  };
  if (also) return transactWrite([{ Put: put }], also);
  try {
    await documentClient().send(new PutCommand(put));
  } catch (error) {
    // Only this request knows the fresh id, so a failed condition means an earlier attempt of this very Put was
    // committed and its answer lost (the SDK then retries): the message is stored, once.
    if (error instanceof ConditionalCheckFailedException) return;
    throw error;
  }
};

const messagesOf = (customerIds: string[]): ListLayout => ({
  partitionAttribute: 'PK',
  sortAttribute: 'SK',
  partitions: customerIds.map((id) => customerKey(id).PK),
  sortPrefix: MESSAGE_SK_PREFIX,
  time: { kind: 'sortKey' },
  positionAttributes: ['SK'],
  consistent: true,
});

/** A page of the messages of these customers, merged by creation time. */
export const listMessages = async (customerIds: string[], page: PageRequest): Promise<Page<MessageRecord>> => {
  if (customerIds.length === 0) return { items: [] };
  const result = await readPage(messagesOf(customerIds), page);
  return { items: result.items as unknown as MessageRecord[], next: result.next };
};
