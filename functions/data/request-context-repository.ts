// The one read at the start of a request: the bank, the caller's candidate role items, the path's customer, and the
// items the operation names from its path (an entitlement or link by id, the idempotency record, the number guard
// of a lookup), in one strongly consistent BatchGetItem.
import type { RoleName } from '../common/roles';
import { batchGet, lookup } from './batch-get';
import { bankKey, customerKey, entitlementKey, type Key } from './keys';
import type { BankRecord, CustomerRecord } from './records';

export interface RequestContextQuery {
  bankId?: string;
  userId?: string;
  /** Role items to look for, each at the bank id it is stored under ("" for system roles). */
  roles: { roleName: RoleName; bankId: string }[];
  customerId?: string;
  /** Further items to read in the same call, by a name of the caller's choosing. */
  items?: Record<string, Key>;
}

export interface RequestContextData {
  bank?: BankRecord;
  customer?: CustomerRecord;
  heldRoles: RoleName[];
  /** The further items found, by their names (absent when not found). */
  items: Record<string, Record<string, unknown> | undefined>;
}

/**
 * Banks this process has seen. Banks are immutable and never deleted, so a bank read once stays true, and the
 * bank's item is not read by every request of a bank (it would cap a bank at one item's 3,000 reads a second).
 * A bank not seen yet is read as now; a missing bank is never remembered. An operation that changes or deletes
 * banks would have to drop this (or bound its age).
 */
const knownBanks = new Map<string, BankRecord>();
const MAX_KNOWN_BANKS = 10_000;

const remember = (bank: BankRecord): void => {
  if (knownBanks.size >= MAX_KNOWN_BANKS) knownBanks.delete(knownBanks.keys().next().value as string);
  knownBanks.set(bank.bankId, bank);
};

/** Forget the banks seen (tests that rebuild their table). */
export const forgetKnownBanks = (): void => knownBanks.clear();

export const loadRequestContext = async (query: RequestContextQuery): Promise<RequestContextData> => {
  const { bankId, userId, roles, customerId, items = {} } = query;
  const knownBank = bankId !== undefined ? knownBanks.get(bankId) : undefined;
  const readBank = bankId !== undefined && !knownBank;
  const roleKeys = userId ? roles.map((r) => ({ role: r.roleName, key: entitlementKey(userId, r.bankId, r.roleName) })) : [];
  const keys: Key[] = [
    ...(readBank ? [bankKey(bankId)] : []),
    ...(customerId !== undefined ? [customerKey(customerId)] : []),
    ...roleKeys.map((r) => r.key),
    ...Object.values(items),
  ];
  const found = keys.length > 0 ? await batchGet(keys) : new Map<string, Record<string, unknown>>();
  const bank = readBank ? (lookup(found, bankKey(bankId)) as BankRecord | undefined) : knownBank;
  if (readBank && bank) remember(bank);
  return {
    bank,
    customer: customerId !== undefined ? (lookup(found, customerKey(customerId)) as CustomerRecord | undefined) : undefined,
    heldRoles: roleKeys.filter((r) => lookup(found, r.key)).map((r) => r.role),
    items: Object.fromEntries(Object.entries(items).map(([name, key]) => [name, lookup(found, key)])),
  };
};
