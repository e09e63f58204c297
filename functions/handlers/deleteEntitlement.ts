import { deleteEntitlement } from '../domain/entitlements';
import type { Handle } from '../http/state';
import { config } from '../common/config';

// The chain read the entitlement by its id and the caller's system roles; the rest of the check order is the domain's.
export const handle: Handle<'deleteEntitlement'> = async (obp) => {
  const e = await deleteEntitlement(obp.userId, obp.params.USER_ID, obp.prefetched.entitlement, {
    roles: obp.operation.roles,
    superAdmin: obp.operation.superAdmin === true,
    superAdminUserIds: config().superAdminUserIds,
    heldSystemRoles: obp.heldRoles,
  });
  return { body: undefined, audit: { user_id: e.userId, role_name: e.roleName, bank_id: e.bankId, entitlement_id: e.entitlementId } };
};
