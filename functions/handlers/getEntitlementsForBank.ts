import { entitlementsOfBank, toBankEntitlementJson } from '../domain/entitlements';
import type { Handle } from '../http/state';

export const handle: Handle<'getEntitlementsForBank'> = async (obp) => {
  const page = await entitlementsOfBank(obp.bank.bankId, obp.page);
  return { body: { list: page.items.map(toBankEntitlementJson) }, next: page.next };
};
