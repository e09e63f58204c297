// User–customer links: three items written and removed in one transaction with the customer's link count, so the
// count is exact under any concurrency (functions/data/keys.ts says what each item is for).
import { customerKey, LINK_SK_PREFIX, linkByIdKey, linkKey, userLinkKey, userLinksAtBankPrefix } from './keys';
import { readPage, type ListLayout, type Page, type PageRequest } from './paging';
import { queryAll } from './query-all';
import type { UserCustomerLinkRecord } from './records';
import { tableName } from './table-client';
import { ConditionsFailed, transactWrite, type AlsoWrite } from './transactions';

export class LinkAlreadyExists extends Error {}
export class LinkGone extends Error {}

/** Stores the link (unique per user and customer) and counts it on the customer, atomically. */
export const insertLink = async (link: UserCustomerLinkRecord, also?: AlsoWrite): Promise<void> => {
  const TableName = tableName();
  const item = { entity: 'UserCustomerLink', ...link };
  try {
    await transactWrite(
      [
        { Put: { TableName, Item: { ...linkKey(link.customerId, link.userId), ...item }, ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName, Item: { ...userLinkKey(link.userId, link.bankId, link.customerId), ...item } } },
        { Put: { TableName, Item: { ...linkByIdKey(link.linkId), ...item }, ConditionExpression: 'attribute_not_exists(PK)' } },
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
      also,
    );
  } catch (error) {
    if (error instanceof ConditionsFailed && error.indexes.includes(0)) throw new LinkAlreadyExists();
    throw error;
  }
};

/** Removes the link's three items and uncounts it, only while the link is still there (a concurrent delete wins once). */
export const deleteLink = async (link: UserCustomerLinkRecord): Promise<void> => {
  const TableName = tableName();
  const present = { ConditionExpression: 'attribute_exists(PK)' };
  try {
    await transactWrite([
      { Delete: { TableName, Key: linkByIdKey(link.linkId), ...present } },
      { Delete: { TableName, Key: linkKey(link.customerId, link.userId), ...present } },
      { Delete: { TableName, Key: userLinkKey(link.userId, link.bankId, link.customerId) } },
      {
        Update: {
          TableName,
          Key: customerKey(link.customerId),
          UpdateExpression: 'ADD linkCount :minusOne',
          ConditionExpression: 'attribute_exists(PK) AND linkCount > :zero',
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        },
      },
    ]);
  } catch (error) {
    if (error instanceof ConditionsFailed) throw new LinkGone();
    throw error;
  }
};

/** The key of a link by its id, for the request's first read. */
export const linkByIdItemKey = linkByIdKey;

/** Ids of the customers at `bankId` linked to `userId` (strongly consistent: a removed link stops counting at once). */
export const listCustomerIdsLinkedToUser = async (userId: string, bankId: string): Promise<string[]> => {
  const { PK, SKPrefix } = userLinksAtBankPrefix(userId, bankId);
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': PK, ':prefix': SKPrefix },
    ProjectionExpression: 'customerId',
    ConsistentRead: true,
  });
  return items.map((i) => (i as unknown as UserCustomerLinkRecord).customerId);
};

const linksLayout = (PK: string, sortPrefix: string): ListLayout => ({
  partitionAttribute: 'PK',
  sortAttribute: 'SK',
  partitions: [PK],
  sortPrefix,
  time: { kind: 'attribute', name: 'dateInserted' },
  positionAttributes: ['SK'],
  consistent: true,
});

const asLinks = (page: Page<Record<string, unknown>>): Page<UserCustomerLinkRecord> => ({ items: page.items as unknown as UserCustomerLinkRecord[], next: page.next });

/** A page of a user's links at a bank, ordered by customer id. */
export const listLinksOfUserAtBank = async (userId: string, bankId: string, page: PageRequest): Promise<Page<UserCustomerLinkRecord>> => {
  const { PK, SKPrefix } = userLinksAtBankPrefix(userId, bankId);
  return asLinks(await readPage(linksLayout(PK, SKPrefix), page));
};

/** A page of a customer's links, ordered by user id. */
export const listLinksOfCustomer = async (customerId: string, page: PageRequest): Promise<Page<UserCustomerLinkRecord>> =>
  asLinks(await readPage(linksLayout(customerKey(customerId).PK, LINK_SK_PREFIX), page));
