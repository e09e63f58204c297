// Key builders for the single table. Every id from a request is escaped so it cannot add key separators ('#'),
// and very long values are replaced by a hash so keys stay within DynamoDB's key size limits.
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

export const bankKey = (bankId: string): Key => ({ PK: `BANK#${keyPart(bankId)}`, SK: 'BANK' });

export const entitlementKey = (userId: string, bankId: string, roleName: string): Key => ({
  PK: `USER#${keyPart(userId)}`,
  SK: `ROLE#${keyPart(bankId)}#${keyPart(roleName)}`,
});

export const userEntitlementsPrefix = (userId: string): { PK: string; SKPrefix: string } => ({
  PK: `USER#${keyPart(userId)}`,
  SKPrefix: 'ROLE#',
});

export const customerKey = (customerId: string): Key => ({ PK: `CUSTOMER#${keyPart(customerId)}`, SK: 'CUSTOMER' });

/** The guard item that makes (bank, customer_number) unique; it also serves lookups by number. */
export const customerNumberGuardKey = (bankId: string, customerNumber: string): Key => ({
  PK: `BANK#${keyPart(bankId)}`,
  SK: `CUSTNUM#${keyPart(customerNumber)}`,
});

/** GSI1 entry listing a bank's customers. */
export const customersOfBankIndexKey = (bankId: string, customerId: string) => ({
  GSI1PK: `BANK#${keyPart(bankId)}#CUSTOMERS`,
  GSI1SK: `CUSTOMER#${keyPart(customerId)}`,
});

/** Messages sort by creation time under their customer; the id makes keys unique within one millisecond. */
export const messageKey = (customerId: string, createdAt: string, messageId: string): Key => ({
  PK: customerKey(customerId).PK,
  SK: `MSG#${createdAt}#${messageId}`,
});

export const MESSAGE_SK_PREFIX = 'MSG#';

export const linkKey = (customerId: string, userId: string): Key => ({
  PK: customerKey(customerId).PK,
  SK: `LINK#${keyPart(userId)}`,
});

/** GSI1 entry of a link: a user's customers, per bank. */
export const linksOfUserIndexKey = (userId: string, bankId: string, customerId: string) => ({
  GSI1PK: `USER#${keyPart(userId)}#LINKS`,
  GSI1SK: `BANK#${keyPart(bankId)}#CUSTOMER#${keyPart(customerId)}`,
});

export const linksOfUserAtBankPrefix = (userId: string, bankId: string) => ({
  GSI1PK: `USER#${keyPart(userId)}#LINKS`,
  GSI1SKPrefix: `BANK#${keyPart(bankId)}#CUSTOMER#`,
});
