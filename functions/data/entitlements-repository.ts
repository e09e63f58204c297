import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { entitlementKey, userEntitlementsPrefix } from './keys';
import { queryAll } from './query-all';
import type { EntitlementRecord } from './records';
import { documentClient, tableName } from './table-client';

export class EntitlementAlreadyExists extends Error {}

/** Stores the entitlement unless the user already holds that role at that bank. */
export const insertEntitlement = async (e: EntitlementRecord): Promise<void> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...entitlementKey(e.userId, e.bankId, e.roleName), entity: 'Entitlement', ...e },
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      // Our own entitlement id in the way means an earlier attempt of this Put was committed and its answer lost
      // (the SDK then retries): this request did create it.
      if (error.Item?.entitlementId?.S === e.entitlementId) return;
      throw new EntitlementAlreadyExists();
    }
    throw error;
  }
};

export const listEntitlementsOfUser = async (userId: string): Promise<EntitlementRecord[]> => {
  const { PK, SKPrefix } = userEntitlementsPrefix(userId);
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': PK, ':prefix': SKPrefix },
    ConsistentRead: true,
  });
  return items as unknown as EntitlementRecord[];
};
