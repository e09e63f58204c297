// The keys and item shapes of the previous layout (the code before the own-partition guards and the sharded customer
// index), as its repositories wrote them: what scripts/migrate-layout.ts recognises and rewrites, and what the tests
// seed. keyPart is unchanged since, so it is shared.
import { keyPart, type Key } from '../../functions/data/keys';
import type { BankRecord, CustomerData, EntitlementRecord, MessageRecord, UserCustomerLinkRecord } from '../../functions/data/records';

export const previousKeys = {
  bank: (bankId: string): Key => ({ PK: `BANK#${keyPart(bankId)}`, SK: 'BANK' }),
  entitlement: (userId: string, bankId: string, roleName: string): Key => ({
    PK: `USER#${keyPart(userId)}`,
    SK: `ROLE#${keyPart(bankId)}#${keyPart(roleName)}`,
  }),
  customer: (customerId: string): Key => ({ PK: `CUSTOMER#${keyPart(customerId)}`, SK: 'CUSTOMER' }),
  /** The number guard lived in the bank's partition and carried a copy of the customer. */
  customerNumberGuard: (bankId: string, customerNumber: string): Key => ({
    PK: `BANK#${keyPart(bankId)}`,
    SK: `CUSTNUM#${keyPart(customerNumber)}`,
  }),
  /** One index partition per bank for all its customers. */
  customersOfBankIndex: (bankId: string, customerId: string) => ({
    GSI1PK: `BANK#${keyPart(bankId)}#CUSTOMERS`,
    GSI1SK: `CUSTOMER#${keyPart(customerId)}`,
  }),
  message: (customerId: string, createdAt: string, messageId: string): Key => ({
    PK: `CUSTOMER#${keyPart(customerId)}`,
    SK: `MSG#${createdAt}#${messageId}`,
  }),
  link: (customerId: string, userId: string): Key => ({ PK: `CUSTOMER#${keyPart(customerId)}`, SK: `LINK#${keyPart(userId)}` }),
  /** A user's links were an index of the customer-side item; there was no user-side item and no item by id. */
  linksOfUserIndex: (userId: string, bankId: string, customerId: string) => ({
    GSI1PK: `USER#${keyPart(userId)}#LINKS`,
    GSI1SK: `BANK#${keyPart(bankId)}#CUSTOMER#${keyPart(customerId)}`,
  }),
};

/** The items exactly as the previous repositories put them (they are what a migrated table holds). */
export const previousItems = {
  bank: (bank: Omit<BankRecord, 'createdBy'>) => ({ ...previousKeys.bank(bank.bankId), entity: 'Bank', ...bank }),
  entitlement: (e: Omit<EntitlementRecord, 'grantedBy'>) => ({ ...previousKeys.entitlement(e.userId, e.bankId, e.roleName), entity: 'Entitlement', ...e }),
  customer: (customer: CustomerData, createdAt: string, linkCount = 0) => ({
    ...previousKeys.customer(customer.customer_id),
    ...previousKeys.customersOfBankIndex(customer.bank_id, customer.customer_id),
    entity: 'Customer',
    customer,
    createdAt,
    linkCount,
  }),
  customerNumberGuard: (customer: CustomerData, createdAt: string) => ({
    ...previousKeys.customerNumberGuard(customer.bank_id, customer.customer_number),
    entity: 'CustomerNumber',
    customer,
    createdAt,
  }),
  message: (m: Omit<MessageRecord, 'postedBy'>) => ({ ...previousKeys.message(m.customerId, m.createdAt, m.messageId), entity: 'Message', ...m }),
  link: (l: Omit<UserCustomerLinkRecord, 'createdBy'>) => ({
    ...previousKeys.link(l.customerId, l.userId),
    ...previousKeys.linksOfUserIndex(l.userId, l.bankId, l.customerId),
    entity: 'UserCustomerLink',
    ...l,
  }),
};

type Item = Record<string, unknown>;

/** A number guard of the previous layout: in a bank's partition, holding the customer. */
export const isPreviousGuard = (item: Item): item is Item & { PK: string; SK: string; customer: CustomerData } =>
  typeof item.PK === 'string' &&
  item.PK.startsWith('BANK#') &&
  typeof item.SK === 'string' &&
  item.SK.startsWith('CUSTNUM#') &&
  typeof item.customer === 'object' &&
  item.customer !== null;

/** A customer whose index entry is still in the bank's single customers partition. */
export const isPreviousCustomerIndexEntry = (item: Item): boolean =>
  item.entity === 'Customer' && typeof item.GSI1PK === 'string' && item.GSI1PK.endsWith('#CUSTOMERS') && typeof item.GSI1SK === 'string' && item.GSI1SK.startsWith('CUSTOMER#');

/** The customer-side link item still carrying the previous layout's user index entry. */
export const hasPreviousLinkIndexEntry = (item: Item): boolean =>
  item.entity === 'UserCustomerLink' && typeof item.GSI1PK === 'string' && item.GSI1PK.endsWith('#LINKS');
