import { addEntitlement, toEntitlementJson } from '../domain/entitlements';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

// Who may grant was checked by the chain (roles at the body's bank, or a super admin); here the business rules.
export const handle: Handle<'addEntitlement'> = async (obp) => {
  const e = await addEntitlement(writeContextOf(obp), obp.params.USER_ID, obp.body, obp.bank);
  return { body: toEntitlementJson(e), audit: { user_id: e.userId, role_name: e.roleName, bank_id: e.bankId, entitlement_id: e.entitlementId } };
};
