import { createBank } from '../domain/banks';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'createBank'> = async (obp) => {
  const { bank, grants } = await createBank(writeContextOf(obp), obp.body);
  return {
    body: bank,
    audit: {
      bank_id: String(bank.id),
      grants: grants.map((g) => ({ user_id: g.userId, role_name: g.roleName, entitlement_id: g.entitlementId })),
    },
  };
};
