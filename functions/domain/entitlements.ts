// addEntitlement (OBP v2.0.0 rules, DESIGN §2 bootstrap) and the entitlement list renderings.
import { randomUUID } from 'node:crypto';
import { config } from '../core/config';
import { ObpError, ObpMessages } from '../core/obp-errors';
import { ALL_ROLE_NAMES, isBankRole, isRoleName } from '../core/roles';
import { EntitlementAlreadyExists, insertEntitlement, listEntitlementsOfUser } from '../data/entitlements-repository';
import type { EntitlementRecord } from '../data/records';
import { loadRequestContext } from '../data/request-context-repository';

export interface CreateEntitlementBody {
  bank_id: string;
  role_name: string;
}

const permissionDenied = (bankId: string): ObpError =>
  new ObpError(
    403,
    `${ObpMessages.UserNotSuperAdmin} or${ObpMessages.UserHasMissingRoles}CanCreateEntitlementAtOneBank BankId(${bankId}). or${ObpMessages.UserHasMissingRoles}CanCreateEntitlementAtAnyBank`,
  );

export const addEntitlement = async (callerId: string, targetUserId: string, body: CreateEntitlementBody): Promise<EntitlementRecord> => {
  const { bank_id: bankId, role_name: roleName } = body;
  // DESIGN §2 order: permission (403) before the business checks (400). OBP checks the role name first, which
  // tells a caller without permission which roles exist.
  // One read: the bank (if any) and the caller's two roles that allow granting.
  const context = await loadRequestContext({
    bankId: bankId === '' ? undefined : bankId,
    userId: callerId,
    roles: [
      { roleName: 'CanCreateEntitlementAtOneBank', bankId },
      { roleName: 'CanCreateEntitlementAtAnyBank', bankId: '' },
    ],
  });
  if (!config().superAdminUserIds.has(callerId) && context.heldRoles.length === 0) throw permissionDenied(bankId);
  if (!isRoleName(roleName)) {
    throw new ObpError(400, `${ObpMessages.IncorrectRoleName}${roleName}. Possible roles are ${ALL_ROLE_NAMES.join(', ')}`);
  }
  if (isBankRole(roleName) && bankId === '') throw new ObpError(400, ObpMessages.EntitlementIsBankRole);
  if (!isBankRole(roleName) && bankId !== '') throw new ObpError(400, ObpMessages.EntitlementIsSystemRole);
  if (bankId !== '' && !context.bank) throw new ObpError(400, ObpMessages.BankNotFound);

  const entitlement: EntitlementRecord = {
    entitlementId: randomUUID(),
    userId: targetUserId,
    roleName,
    bankId,
    createdAt: new Date().toISOString(),
  };
  try {
    await insertEntitlement(entitlement);
  } catch (error) {
    if (error instanceof EntitlementAlreadyExists) throw new ObpError(400, ObpMessages.EntitlementAlreadyExists);
    throw error;
  }
  return entitlement;
};

/** A user's entitlements, newest first. */
export const entitlementsOf = async (userId: string): Promise<EntitlementRecord[]> =>
  (await listEntitlementsOfUser(userId)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));

export const toEntitlementJson = (e: EntitlementRecord) => ({
  entitlement_id: e.entitlementId,
  role_name: e.roleName,
  bank_id: e.bankId,
});
