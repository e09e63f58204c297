// Entitlements: addEntitlement (OBP v2.0.0 rules; who may grant is checked by the chain from the operations list),
// deleteEntitlement (OBP v2.0.0, with the bank-scoped revocation OBP defines and never checks), and the lists.
import { randomUUID } from 'node:crypto';
import type { CreateEntitlementJSON } from '../../generated/types/create-entitlement';
import type { EntitlementJSON } from '../../generated/types/entitlement-response';
import {
  deleteEntitlementItems,
  EntitlementAlreadyExists,
  EntitlementGone,
  insertEntitlement,
  listEntitlementsOfBank,
  listEntitlementsOfUser,
  listEntitlementsOfUserPage,
} from '../data/entitlements-repository';
import type { Page, PageRequest } from '../data/paging';
import type { BankRecord, EntitlementRecord } from '../data/records';
import { loadRequestContext } from '../data/request-context-repository';
import { ObpError, ObpMessages } from '../common/obp-errors';
import { isBankRole, notSuperAdminNorRoles, roleBankId, type RoleName } from '../common/roles';
import { replyRecord, type WriteContext } from './write-context';

export const toEntitlementJson = (e: EntitlementRecord): EntitlementJSON => ({
  entitlement_id: e.entitlementId,
  role_name: e.roleName,
  bank_id: e.bankId,
});

/** getEntitlementsForBank's item: with the holder's user id (an access review). */
export const toBankEntitlementJson = (e: EntitlementRecord) => ({ ...toEntitlementJson(e), user_id: e.userId });

/**
 * Grants `body.role_name` to `targetUserId`. The role name is valid (schema); here the business rules: a bank role
 * needs a bank id and a system role none (OBP-30205/30206), the bank must exist (400 OBP-30001, as OBP answers
 * here), the user must not hold it already (OBP-30216). `bank` is the body's bank as the request's first read found it.
 */
export const addEntitlement = async (ctx: WriteContext, targetUserId: string, body: CreateEntitlementJSON, bank: BankRecord | undefined): Promise<EntitlementRecord> => {
  const { bank_id: bankId, role_name: roleName } = body;
  if (isBankRole(roleName) && bankId === '') throw new ObpError(400, ObpMessages.EntitlementIsBankRole);
  if (!isBankRole(roleName) && bankId !== '') throw new ObpError(400, ObpMessages.EntitlementIsSystemRole);
  if (bankId !== '' && !bank) throw new ObpError(400, ObpMessages.BankNotFound);
  const entitlement: EntitlementRecord = {
    entitlementId: randomUUID(),
    userId: targetUserId,
    roleName,
    bankId,
    createdAt: ctx.now.toISOString(),
    grantedBy: ctx.actor,
  };
  try {
    await insertEntitlement(entitlement, replyRecord(ctx, toEntitlementJson(entitlement)));
  } catch (error) {
    if (error instanceof EntitlementAlreadyExists) throw new ObpError(400, ObpMessages.EntitlementAlreadyExists);
    throw error;
  }
  return entitlement;
};

export interface RevokePermission {
  /** The operation's roles (CanDeleteEntitlementAtAnyBank, CanDeleteEntitlementAtOneBank) and its super-admin rule. */
  roles: readonly RoleName[];
  superAdmin: boolean;
  superAdminUserIds: ReadonlySet<string>;
  /** What the request's first read found of the caller's system roles among `roles`. */
  heldSystemRoles: readonly RoleName[];
}

/**
 * deleteEntitlement, in its check order: 404 OBP-30212 (no such id) → 400 OBP-30213 (not USER_ID's) → 403 (the
 * acceptable roles depend on the entitlement's bank, so this comes after) → delete. `found` is the entitlement the
 * request's first read found by its id.
 */
export const deleteEntitlement = async (
  callerId: string,
  userId: string,
  found: Record<string, unknown> | undefined,
  permission: RevokePermission,
): Promise<EntitlementRecord> => {
  const entitlement = found as EntitlementRecord | undefined;
  if (!entitlement) throw new ObpError(404, ObpMessages.EntitlementNotFound);
  if (entitlement.userId !== userId) throw new ObpError(400, ObpMessages.UserDoesNotHaveEntitlement);
  const allowed =
    (permission.superAdmin && permission.superAdminUserIds.has(callerId)) ||
    permission.heldSystemRoles.length > 0 ||
    (entitlement.bankId !== '' && (await holdsBankRole(callerId, permission.roles, entitlement.bankId)));
  // A system role's entitlement cannot be revoked with a bank role: the 403 names only the roles that would do.
  if (!allowed) throw notSuperAdminNorRoles(entitlement.bankId === '' ? permission.roles.filter((r) => !isBankRole(r)) : permission.roles, entitlement.bankId);
  try {
    await deleteEntitlementItems(entitlement);
  } catch (error) {
    // Removed by a concurrent request between the read and the write.
    if (error instanceof EntitlementGone) throw new ObpError(404, ObpMessages.EntitlementNotFound);
    throw error;
  }
  return entitlement;
};

/** Whether the caller holds one of the bank roles among `roles` at `bankId` (read now: revocation is immediate). */
const holdsBankRole = async (callerId: string, roles: readonly RoleName[], bankId: string): Promise<boolean> => {
  const bankRoles = roles.filter(isBankRole);
  if (bankRoles.length === 0) return false;
  const context = await loadRequestContext({ userId: callerId, roles: bankRoles.map((roleName) => ({ roleName, bankId: roleBankId(roleName, bankId) })) });
  return context.heldRoles.length > 0;
};

/** All of a user's entitlements, newest first (getCurrentUser). */
export const entitlementsOf = async (userId: string): Promise<EntitlementRecord[]> =>
  (await listEntitlementsOfUser(userId)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));

export const entitlementsPageOfUser = (userId: string, page: PageRequest): Promise<Page<EntitlementRecord>> => listEntitlementsOfUserPage(userId, page);

export const entitlementsOfBank = (bankId: string, page: PageRequest): Promise<Page<EntitlementRecord>> => listEntitlementsOfBank(bankId, page);
