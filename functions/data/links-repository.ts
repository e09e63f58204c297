import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, GSI1, linkKey, linksOfUserAtBankPrefix, linksOfUserIndexKey } from './keys';
import { queryAll } from './query-all';
import type { UserCustomerLinkRecord } from './records';
import { documentClient, tableName } from './table-client';
import { failedConditions } from './transactions';

export class LinkAlreadyExists extends Error {}

/** Stores the link (unique per user and customer) and counts it on the customer, atomically. */
export const insertLink = async (link: UserCustomerLinkRecord): Promise<void> => {
  const TableName = tableName();
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: {
                ...linkKey(link.customerId, link.userId),
                ...linksOfUserIndexKey(link.userId, link.bankId, link.customerId),
                entity: 'UserCustomerLink',
                ...link,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Update: {
              TableName,
              Key: customerKey(link.customerId),
              UpdateExpression: 'ADD linkCount :one',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new LinkAlreadyExists();
    throw error;
  }
};

/** Ids of the customers at `bankId` linked to `userId` (through GSI1, so eventually consistent). */
export const listCustomerIdsLinkedToUser = async (userId: string, bankId: string): Promise<string[]> => {
  const { GSI1PK, GSI1SKPrefix } = linksOfUserAtBankPrefix(userId, bankId);
  const items = await queryAll({
    IndexName: GSI1,
    KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
    ExpressionAttributeValues: { ':pk': GSI1PK, ':prefix': GSI1SKPrefix },
  });
  return items.map((i) => (i as unknown as UserCustomerLinkRecord).customerId);
};
