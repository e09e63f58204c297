// What the table holds for a bank, read the way only a test may (a Scan for the guards, which have a partition each).
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { customerNumberGuardKey, customersOfBankPartition, CUSTOMER_LIST_SHARDS, GSI1 } from '../../functions/data/keys';
import { documentClient, tableName } from '../../functions/data/table-client';

/** The customer ids a bank's index lists (every shard). */
export const customerIdsListedAtBank = async (bankId: string): Promise<string[]> => {
  const ids: string[] = [];
  for (let shard = 0; shard < CUSTOMER_LIST_SHARDS; shard++) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: GSI1,
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': customersOfBankPartition(bankId, shard) },
          ExclusiveStartKey,
        }),
      );
      ids.push(...(out.Items ?? []).map((i) => (i.customer as { customer_id: string }).customer_id));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return ids;
};

/** The number guards of a bank, as (customer number key part → customer id). */
export const guardsAtBank = async (bankId: string): Promise<{ PK: string; customerId: string }[]> => {
  const prefix = customerNumberGuardKey(bankId, '').PK;
  const guards: { PK: string; customerId: string }[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(PK, :prefix)',
        ExpressionAttributeValues: { ':prefix': prefix },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    guards.push(...(out.Items ?? []).map((i) => ({ PK: i.PK as string, customerId: i.customerId as string })));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return guards;
};

export const storedAtBank = async (bankId: string): Promise<{ customers: number; guards: number }> => ({
  customers: (await customerIdsListedAtBank(bankId)).length,
  guards: (await guardsAtBank(bankId)).length,
});
