import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { bankKey, entitlementKey } from './keys';
import type { BankRecord, EntitlementRecord } from './records';
import { documentClient, tableName } from './table-client';
import { failedConditions } from './transactions';

export class BankAlreadyExists extends Error {}

/** Creates the bank and its creator's entitlements in one transaction; the bank id must be new. */
export const insertBank = async (bank: BankRecord, grants: EntitlementRecord[]): Promise<void> => {
  const TableName = tableName();
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: { ...bankKey(bank.bankId), entity: 'Bank', ...bank },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...grants.map((g) => ({
            Put: { TableName, Item: { ...entitlementKey(g.userId, g.bankId, g.roleName), entity: 'Entitlement', ...g } },
          })),
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) throw new BankAlreadyExists();
    throw error;
  }
};
