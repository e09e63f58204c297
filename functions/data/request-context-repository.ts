// The one read at the start of a request: bank, the caller's candidate role items and the path's customer.
import type { RoleName } from '../core/roles';
import { batchGet, lookup } from './batch-get';
import { bankKey, customerKey, entitlementKey, type Key } from './keys';
import type { BankRecord, CustomerRecord } from './records';

export interface RequestContextQuery {
  bankId?: string;
  userId?: string;
  /** Role items to look for, each at the bank id it is stored under ("" for system roles). */
  roles: { roleName: RoleName; bankId: string }[];
  customerId?: string;
}

export interface RequestContextData {
  bank?: BankRecord;
  customer?: CustomerRecord;
  heldRoles: RoleName[];
}

export const loadRequestContext = async (query: RequestContextQuery): Promise<RequestContextData> => {
  const { bankId, userId, roles, customerId } = query;
  const roleKeys = userId ? roles.map((r) => ({ role: r.roleName, key: entitlementKey(userId, r.bankId, r.roleName) })) : [];
  const keys: Key[] = [
    ...(bankId !== undefined ? [bankKey(bankId)] : []),
    ...(customerId !== undefined ? [customerKey(customerId)] : []),
    ...roleKeys.map((r) => r.key),
  ];
  if (keys.length === 0) return { heldRoles: [] };
  const found = await batchGet(keys);
  return {
    bank: bankId !== undefined ? (lookup(found, bankKey(bankId)) as BankRecord | undefined) : undefined,
    customer: customerId !== undefined ? (lookup(found, customerKey(customerId)) as CustomerRecord | undefined) : undefined,
    heldRoles: roleKeys.filter((r) => lookup(found, r.key)).map((r) => r.role),
  };
};
