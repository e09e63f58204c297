// Key builders for the single table (the access patterns are in docs/design.md, "Data model"). Every id from a
// request is escaped so it cannot add key separators ('#'), and very long values are replaced by a hash so keys stay
// within DynamoDB's key size limits. No partition is shared by all of a bank's requests: number guards have one
// partition each, and the index that lists a bank's customers is spread over CUSTOMER_LIST_SHARDS partitions.
import { createHash } from 'node:crypto';
import { TABLE_SCHEMA } from './table-schema';

export const GSI1 = TABLE_SCHEMA.indexes[0].name;

const MAX_PART_BYTES = 256;

/** One key component: '%' and '#' escaped; long or malformed text hashed (hashes start with '#', which an escaped value never contains). */
export const keyPart = (value: string): string => {
  const escaped = value.replace(/%/g, '%25').replace(/#/g, '%23');
  if (escaped.isWellFormed() && Buffer.byteLength(escaped) <= MAX_PART_BYTES) return escaped;
  // Hash the UTF-16 code units: UTF-8 would turn every lone surrogate into U+FFFD and make distinct values collide.
  return `#h${createHash('sha256').update(value, 'utf16le').digest('hex')}`;
};

export interface Key {
  PK: string;
  SK: string;
}

export interface IndexKey {
  GSI1PK: string;
  GSI1SK: string;
}

/** The partition-key prefixes of the base table, one per kind of partition. */
export const PARTITIONS = {
  bank: 'BANK#',
  user: 'USER#',
  customer: 'CUSTOMER#',
  customerNumber: 'CUSTNUM#',
  entitlement: 'ENTITLEMENT#',
  link: 'LINK#',
  idempotency: 'IDEM#',
} as const;

export const bankKey = (bankId: string): Key => ({ PK: `${PARTITIONS.bank}${keyPart(bankId)}`, SK: 'BANK' });

// ---- Entitlements: under the user, so the caller's candidate roles come back in the request's one BatchGetItem.

export const entitlementKey = (userId: string, bankId: string, roleName: string): Key => ({
  PK: `${PARTITIONS.user}${keyPart(userId)}`,
  SK: `ROLE#${keyPart(bankId)}#${keyPart(roleName)}`,
});

export const userEntitlementsPrefix = (userId: string): { PK: string; SKPrefix: string } => ({
  PK: `${PARTITIONS.user}${keyPart(userId)}`,
  SKPrefix: 'ROLE#',
});

/** An entitlement by its id (deleteEntitlement): where it is stored. */
export const entitlementByIdKey = (entitlementId: string): Key => ({ PK: `${PARTITIONS.entitlement}${keyPart(entitlementId)}`, SK: 'ENTITLEMENT' });

export const entitlementsOfBankPartition = (bankId: string): string => `${PARTITIONS.bank}${keyPart(bankId)}#ENTITLEMENTS`;

/** GSI1 entry of a bank role: the bank's entitlements by grant time (getEntitlementsForBank). */
export const entitlementsOfBankIndexKey = (bankId: string, createdAt: string, entitlementId: string): IndexKey => ({
  GSI1PK: entitlementsOfBankPartition(bankId),
  GSI1SK: `${createdAt}#${keyPart(entitlementId)}`,
});

// ---- Customers

export const customerKey = (customerId: string): Key => ({ PK: `${PARTITIONS.customer}${keyPart(customerId)}`, SK: 'CUSTOMER' });

/** The guard item that makes (bank, customer_number) unique; it holds the customer's id. */
export const customerNumberGuardKey = (bankId: string, customerNumber: string): Key => ({
  PK: `${PARTITIONS.customerNumber}${keyPart(bankId)}#${keyPart(customerNumber)}`,
  SK: 'CUSTNUM',
});

/**
 * Shards of a bank's customer index: a bank's creates and updates spread over this many index partitions (each
 * takes about 1,000 writes a second), and a list page reads them all in parallel. Fixed: changing it needs the
 * index entries rewritten (scripts/migrate-layout.ts).
 */
export const CUSTOMER_LIST_SHARDS = 16;

export const customerShard = (customerId: string): number =>
  Number.parseInt(createHash('sha256').update(customerId).digest('hex').slice(0, 4), 16) % CUSTOMER_LIST_SHARDS;

export const customersOfBankPartition = (bankId: string, shard: number): string =>
  `${PARTITIONS.bank}${keyPart(bankId)}#CUSTOMERS#${shard.toString(16)}`;

/** GSI1 entry listing a bank's customers by creation time (ties by id). */
export const customersOfBankIndexKey = (bankId: string, customerId: string, createdAt: string): IndexKey => ({
  GSI1PK: customersOfBankPartition(bankId, customerShard(customerId)),
  GSI1SK: `${createdAt}#${keyPart(customerId)}`,
});

// ---- Messages: under their customer, by creation time; the id makes keys unique within one millisecond.

export const MESSAGE_SK_PREFIX = 'MSG#';

export const messageKey = (customerId: string, createdAt: string, messageId: string): Key => ({
  PK: customerKey(customerId).PK,
  SK: `${MESSAGE_SK_PREFIX}${createdAt}#${messageId}`,
});

// ---- User–customer links: three items written and deleted together. The customer's makes the pair unique and
// lists a customer's links; the user's lists a user's links at a bank (strongly consistent, for getMyMessages);
// the one by id is what deleteUserCustomerLink addresses.

export const LINK_SK_PREFIX = 'LINK#';

export const linkKey = (customerId: string, userId: string): Key => ({
  PK: customerKey(customerId).PK,
  SK: `${LINK_SK_PREFIX}${keyPart(userId)}`,
});

export const userLinkKey = (userId: string, bankId: string, customerId: string): Key => ({
  PK: `${PARTITIONS.user}${keyPart(userId)}`,
  SK: `${LINK_SK_PREFIX}${keyPart(bankId)}#${keyPart(customerId)}`,
});

export const userLinksAtBankPrefix = (userId: string, bankId: string): { PK: string; SKPrefix: string } => ({
  PK: `${PARTITIONS.user}${keyPart(userId)}`,
  SKPrefix: `${LINK_SK_PREFIX}${keyPart(bankId)}#`,
});

export const linkByIdKey = (linkId: string): Key => ({ PK: `${PARTITIONS.link}${keyPart(linkId)}`, SK: 'LINK' });

// ---- Idempotency records: one partition each, keyed by a hash of (user, operation, path, Idempotency-Key).

export const idempotencyRecordKey = (userId: string, operation: string, path: string, idempotencyKey: string): Key => ({
  PK: `${PARTITIONS.idempotency}${createHash('sha256').update(JSON.stringify([userId, operation, path, idempotencyKey]), 'utf16le').digest('hex')}`,
  SK: 'IDEM',
});
