import { bankKey } from './keys';
import { entitlementItems } from './entitlements-repository';
import type { BankRecord, EntitlementRecord } from './records';
import { tableName } from './table-client';
import { ConditionsFailed, transactWrite, type AlsoWrite } from './transactions';

export class BankAlreadyExists extends Error {}

/** Creates the bank and its creator's entitlements in one transaction; the bank id must be new. */
export const insertBank = async (bank: BankRecord, grants: EntitlementRecord[], also?: AlsoWrite): Promise<void> => {
  try {
    await transactWrite(
      [
        { Put: { TableName: tableName(), Item: { ...bankKey(bank.bankId), entity: 'Bank', ...bank }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ...grants.flatMap(entitlementItems),
      ],
      also,
    );
  } catch (error) {
    if (error instanceof ConditionsFailed && error.indexes.includes(0)) throw new BankAlreadyExists();
    throw error;
  }
};
