// What the migration does to each item of the previous layout, as conditional transactions: every write holds only
// while the item is still what the scan saw, so the migration can run next to the API (and next to itself) and a
// second run finds nothing left to do.
//
// Two phases (docs/migration.md says when each runs):
// - expand: only adds what the new layout needs and rewrites nothing the previous code reads, so that code keeps
//   working: new number guards next to the old ones, the customers' index entries in their shards (the previous code
//   never read that index), user-side and by-id link items, entitlement by-id items and bank index entries.
// - complete: also removes the previous layout: each old guard is MOVED in one transaction (new guard put unless
//   another customer holds it, old guard deleted only while it still names that customer, and only while the
//   customer still has that number), and the links' old user index entries are removed.
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  customerKey,
  customerNumberGuardKey,
  customersOfBankIndexKey,
  entitlementByIdKey,
  entitlementsOfBankIndexKey,
  linkByIdKey,
  userLinkKey,
  type Key,
} from '../../functions/data/keys';
import type { CustomerData } from '../../functions/data/records';
import { hasPreviousLinkIndexEntry, isPreviousCustomerIndexEntry, isPreviousGuard } from './previous-layout';

export type Phase = 'expand' | 'complete';
export type Kind = 'guard' | 'customer' | 'link' | 'entitlement';
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/** Who the migration records as the last writer of a customer whose number it rewrites to NFKC. */
export const MIGRATION_ACTOR = 'layout-migration';

export interface Task {
  kind: Kind;
  /** The scanned item's key. */
  key: Key;
  /** For reports: what the item is (ids, the number). */
  describe: string;
  /** The ids the item is about (bankId, customerId, number, linkId, entitlementId, as they apply). */
  ids: Record<string, string>;
  /** Keys whose current items decide whether the task is already done (read before deciding). */
  lookups: Key[];
  /** Whether the new items are all there already, given what `lookups` found (undefined: not there). */
  done: (found: (key: Key) => Item | undefined) => boolean;
  /** The transaction to run. */
  write: () => TransactItem[];
  /**
   * What a cancelled transaction means, from the indexes of its items whose condition failed: the task is `stale`
   * (the item moved on: nothing to do, or the follow-up to run), `gone`, or a `conflict` to report.
   */
  onConditionsFailed: (failed: number[]) => Outcome;
  /** Guards whose new copy was missing when the complete phase moved them (expand not run, or not with creates paused). */
  uncopied?: (found: (key: Key) => Item | undefined) => boolean;
}

export type Outcome =
  | { result: 'stale'; followUp?: TransactItem[] }
  | { result: 'gone' }
  | { result: 'conflict'; reason: string; inspect?: Key };

const { stringify } = JSON;

const stripKeys = (item: Item): Item => {
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, ...rest } = item;
  return rest;
};

// ---- number guards

const guardTask = (table: string, phase: Phase, guard: Item & { PK: string; SK: string; customer: CustomerData }): Task => {
  const { customer } = guard;
  const customerId = customer.customer_id;
  const bankId = customer.bank_id;
  const stored = customer.customer_number;
  // Numbers are compared in NFKC form by the new code: a number stored otherwise is rewritten with its guard.
  const number = stored.normalize('NFKC');
  const newGuard = customerNumberGuardKey(bankId, number);
  const oldGuard = { PK: guard.PK, SK: guard.SK };
  const holdsNumber = (): TransactItem =>
    number === stored
      ? {
          ConditionCheck: {
            TableName: table,
            Key: customerKey(customerId),
            ConditionExpression: '#c.#n = :n AND #c.#b = :b',
            ExpressionAttributeNames: { '#c': 'customer', '#n': 'customer_number', '#b': 'bank_id' },
            ExpressionAttributeValues: { ':n': number, ':b': bankId },
          },
        }
      : {
          Update: {
            TableName: table,
            Key: customerKey(customerId),
            UpdateExpression: 'SET #c.#n = :n, #ua = :now, #ub = :actor',
            ConditionExpression: '#c.#n IN (:stored, :n) AND #c.#b = :b',
            ExpressionAttributeNames: { '#c': 'customer', '#n': 'customer_number', '#b': 'bank_id', '#ua': 'updatedAt', '#ub': 'updatedBy' },
            ExpressionAttributeValues: { ':n': number, ':stored': stored, ':b': bankId, ':now': new Date().toISOString(), ':actor': MIGRATION_ACTOR },
          },
        };
  const deleteOld: TransactItem = {
    Delete: {
      TableName: table,
      Key: oldGuard,
      ConditionExpression: '#c.#id = :id',
      ExpressionAttributeNames: { '#c': 'customer', '#id': 'customer_id' },
      ExpressionAttributeValues: { ':id': customerId },
    },
  };
  const items = (): TransactItem[] => [
    {
      Put: {
        TableName: table,
        Item: { ...newGuard, entity: 'CustomerNumber', customerId },
        ConditionExpression: 'attribute_not_exists(PK) OR customerId = :id',
        ExpressionAttributeValues: { ':id': customerId },
      },
    },
    holdsNumber(),
    ...(phase === 'complete' ? [deleteOld] : []),
  ];
  const copied = (found: (key: Key) => Item | undefined) => found(newGuard)?.customerId === customerId;
  return {
    kind: 'guard',
    key: oldGuard,
    describe: `bank ${stringify(bankId)} number ${stringify(stored)}${number !== stored ? ` (NFKC ${stringify(number)})` : ''} customer ${customerId}`,
    ids: { bankId, customerId, number },
    lookups: [newGuard],
    // The old guard itself is what complete removes: while it is there, complete has work to do.
    done: (found) => phase === 'expand' && copied(found),
    uncopied: (found) => phase === 'complete' && !copied(found),
    write: items,
    onConditionsFailed: (failed) => {
      // The customer no longer has this number (renamed since, by the new code): the old guard is stale. It names
      // a number the customer left, so complete just removes it; expand leaves it (the previous code may read it).
      if (failed.includes(1)) return { result: 'stale', followUp: phase === 'complete' ? [deleteOld] : undefined };
      if (failed.includes(0)) return { result: 'conflict', reason: 'the new guard of this number names another customer', inspect: newGuard };
      return { result: 'gone' };
    },
  };
};

// ---- customers' index entries

const customerTask = (table: string, item: Item): Task => {
  const customer = item.customer as CustomerData;
  const next = customersOfBankIndexKey(customer.bank_id, customer.customer_id, String(item.createdAt));
  return {
    kind: 'customer',
    key: { PK: String(item.PK), SK: String(item.SK) },
    describe: `customer ${customer.customer_id} of bank ${stringify(customer.bank_id)}`,
    ids: { bankId: customer.bank_id, customerId: customer.customer_id },
    lookups: [],
    done: () => false,
    write: () => [
      {
        Update: {
          TableName: table,
          Key: customerKey(customer.customer_id),
          UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
          ConditionExpression: 'GSI1PK = :oldPk AND GSI1SK = :oldSk',
          ExpressionAttributeValues: { ':pk': next.GSI1PK, ':sk': next.GSI1SK, ':oldPk': item.GSI1PK, ':oldSk': item.GSI1SK },
        },
      },
    ],
    onConditionsFailed: () => ({ result: 'gone' }),
  };
};

// ---- links

const linkTask = (table: string, phase: Phase, item: Item): Task => {
  const link = stripKeys(item);
  const linkId = String(item.linkId);
  const userSide = userLinkKey(String(item.userId), String(item.bankId), String(item.customerId));
  const byId = linkByIdKey(linkId);
  const key = { PK: String(item.PK), SK: String(item.SK) };
  const sameLink = { ConditionExpression: 'attribute_not_exists(PK) OR linkId = :id', ExpressionAttributeValues: { ':id': linkId } };
  return {
    kind: 'link',
    key,
    describe: `link ${linkId} of user ${stringify(item.userId)} and customer ${String(item.customerId)}`,
    ids: { linkId, bankId: String(item.bankId), customerId: String(item.customerId), userId: String(item.userId) },
    lookups: [userSide, byId],
    done: (found) => phase === 'expand' && found(userSide)?.linkId === linkId && found(byId)?.linkId === linkId,
    write: () => [
      phase === 'complete'
        ? {
            // The user index entry of the previous layout goes; the item itself stays (it is the new customer side).
            Update: { TableName: table, Key: key, UpdateExpression: 'REMOVE GSI1PK, GSI1SK', ConditionExpression: 'linkId = :id', ExpressionAttributeValues: { ':id': linkId } },
          }
        : { ConditionCheck: { TableName: table, Key: key, ConditionExpression: 'linkId = :id', ExpressionAttributeValues: { ':id': linkId } } },
      { Put: { TableName: table, Item: { ...userSide, ...link }, ...sameLink } },
      { Put: { TableName: table, Item: { ...byId, ...link }, ...sameLink } },
    ],
    onConditionsFailed: (failed) =>
      failed.includes(0) ? { result: 'gone' } : { result: 'conflict', reason: 'a user-side or by-id item of another link is in the way', inspect: failed.includes(1) ? userSide : byId },
  };
};

// ---- entitlements

const entitlementTask = (table: string, item: Item): Task => {
  const entitlementId = String(item.entitlementId);
  const bankId = String(item.bankId ?? '');
  const byId = entitlementByIdKey(entitlementId);
  const key = { PK: String(item.PK), SK: String(item.SK) };
  const needsIndex = bankId !== '' && typeof item.GSI1PK !== 'string';
  const record = stripKeys(item);
  const same = { ConditionExpression: 'entitlementId = :id', ExpressionAttributeValues: { ':id': entitlementId } };
  return {
    kind: 'entitlement',
    key,
    describe: `entitlement ${entitlementId} (${String(item.roleName)} at ${stringify(bankId)}) of user ${stringify(item.userId)}`,
    ids: { entitlementId, bankId, userId: String(item.userId) },
    lookups: [byId],
    done: (found) => !needsIndex && found(byId)?.entitlementId === entitlementId,
    write: () => {
      const index = entitlementsOfBankIndexKey(bankId, String(item.createdAt), entitlementId);
      return [
        needsIndex
          ? {
              Update: {
                TableName: table,
                Key: key,
                UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
                ...same,
                ExpressionAttributeValues: { ...same.ExpressionAttributeValues, ':pk': index.GSI1PK, ':sk': index.GSI1SK },
              },
            }
          : { ConditionCheck: { TableName: table, Key: key, ...same } },
        {
          Put: {
            TableName: table,
            Item: { ...byId, ...record },
            ConditionExpression: 'attribute_not_exists(PK) OR entitlementId = :id',
            ExpressionAttributeValues: { ':id': entitlementId },
          },
        },
      ];
    },
    onConditionsFailed: (failed) =>
      failed.includes(0) ? { result: 'gone' } : { result: 'conflict', reason: 'the by-id item names another entitlement', inspect: byId },
  };
};

/** The migration's task for a scanned item, or undefined when the item is already in the new layout's shape. */
export const taskFor = (table: string, phase: Phase, item: Item): Task | undefined => {
  if (isPreviousGuard(item)) return guardTask(table, phase, item);
  if (isPreviousCustomerIndexEntry(item)) return customerTask(table, item);
  if (item.entity === 'UserCustomerLink' && String(item.PK).startsWith('CUSTOMER#') && hasPreviousLinkIndexEntry(item)) return linkTask(table, phase, item);
  if (item.entity === 'Entitlement' && String(item.PK).startsWith('USER#') && String(item.SK).startsWith('ROLE#')) return entitlementTask(table, item);
  return undefined;
};
