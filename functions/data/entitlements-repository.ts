// Entitlements: the role item under its user (what the request's first read checks), an item by id
// (deleteEntitlement), and for bank roles an index entry listing the bank's entitlements (getEntitlementsForBank).
import { entitlementByIdKey, entitlementKey, entitlementsOfBankIndexKey, entitlementsOfBankPartition, GSI1, userEntitlementsPrefix, type Key } from './keys';
import { readPage, type ListLayout, type Page, type PageRequest } from './paging';
import { queryAll } from './query-all';
import type { EntitlementRecord } from './records';
import { tableName } from './table-client';
import { ConditionsFailed, transactWrite, type AlsoWrite, type TransactItem } from './transactions';

export class EntitlementAlreadyExists extends Error {}
export class EntitlementGone extends Error {}

/** The two items of an entitlement; the first is unique per (user, bank, role). */
export const entitlementItems = (e: EntitlementRecord): TransactItem[] => {
  const TableName = tableName();
  const item = { entity: 'Entitlement', ...e };
  return [
    {
      Put: {
        TableName,
        Item: { ...entitlementKey(e.userId, e.bankId, e.roleName), ...(e.bankId ? entitlementsOfBankIndexKey(e.bankId, e.createdAt, e.entitlementId) : {}), ...item },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    { Put: { TableName, Item: { ...entitlementByIdKey(e.entitlementId), ...item }, ConditionExpression: 'attribute_not_exists(PK)' } },
  ];
};

/** Stores the entitlement unless the user already holds that role at that bank. */
export const insertEntitlement = async (e: EntitlementRecord, also?: AlsoWrite): Promise<void> => {
  try {
    await transactWrite(entitlementItems(e), also);
  } catch (error) {
    if (error instanceof ConditionsFailed && error.indexes.includes(0)) throw new EntitlementAlreadyExists();
    throw error;
  }
};

/** The key of an entitlement by its id, for the request's first read. */
export const entitlementByIdItemKey = (entitlementId: string): Key => entitlementByIdKey(entitlementId);

/** Removes both items, only while the entitlement is still the one the request read (a concurrent delete wins once). */
export const deleteEntitlementItems = async (e: EntitlementRecord): Promise<void> => {
  const TableName = tableName();
  try {
    await transactWrite([
      {
        Delete: {
          TableName,
          Key: entitlementKey(e.userId, e.bankId, e.roleName),
          ConditionExpression: 'entitlementId = :id',
          ExpressionAttributeValues: { ':id': e.entitlementId },
        },
      },
      { Delete: { TableName, Key: entitlementByIdKey(e.entitlementId), ConditionExpression: 'attribute_exists(PK)' } },
    ]);
  } catch (error) {
    if (error instanceof ConditionsFailed) throw new EntitlementGone();
    throw error;
  }
};

/** All of a user's entitlements (a user holds a handful; getCurrentUser shows them all). */
export const listEntitlementsOfUser = async (userId: string): Promise<EntitlementRecord[]> => {
  const { PK, SKPrefix } = userEntitlementsPrefix(userId);
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': PK, ':prefix': SKPrefix },
    ConsistentRead: true,
  });
  return items as unknown as EntitlementRecord[];
};

const asEntitlements = (page: Page<Record<string, unknown>>): Page<EntitlementRecord> => ({ items: page.items as unknown as EntitlementRecord[], next: page.next });

/** A page of a user's entitlements, ordered by bank id and role name. */
export const listEntitlementsOfUserPage = async (userId: string, page: PageRequest): Promise<Page<EntitlementRecord>> => {
  const { PK, SKPrefix } = userEntitlementsPrefix(userId);
  const layout: ListLayout = {
    partitionAttribute: 'PK',
    sortAttribute: 'SK',
    partitions: [PK],
    sortPrefix: SKPrefix,
    time: { kind: 'attribute', name: 'createdAt' },
    positionAttributes: ['SK'],
    consistent: true,
  };
  return asEntitlements(await readPage(layout, page));
};

/** A page of a bank's entitlements (bank roles only) by grant time; through the index, so eventually consistent. */
export const listEntitlementsOfBank = async (bankId: string, page: PageRequest): Promise<Page<EntitlementRecord>> => {
  const layout: ListLayout = {
    index: GSI1,
    partitionAttribute: 'GSI1PK',
    sortAttribute: 'GSI1SK',
    partitions: [entitlementsOfBankPartition(bankId)],
    sortPrefix: '',
    time: { kind: 'sortKey' },
    positionAttributes: ['GSI1SK', 'PK', 'SK'],
    consistent: false,
  };
  return asEntitlements(await readPage(layout, page));
};
