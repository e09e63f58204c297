import { entitlementsPageOfUser, toEntitlementJson } from '../domain/entitlements';
import type { Handle } from '../http/state';

export const handle: Handle<'getEntitlements'> = async (obp) => {
  const page = await entitlementsPageOfUser(obp.params.USER_ID, obp.page);
  return { body: { list: page.items.map(toEntitlementJson) }, next: page.next };
};
