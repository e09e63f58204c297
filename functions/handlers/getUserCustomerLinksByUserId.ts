import { linksOfUserAtBank, toLinkJson } from '../domain/links';
import type { Handle } from '../http/state';

export const handle: Handle<'getUserCustomerLinksByUserId'> = async (obp) => {
  const page = await linksOfUserAtBank(obp.params.USER_ID, obp.bank.bankId, obp.page);
  return { body: { user_customer_links: page.items.map(toLinkJson) }, next: page.next };
};
