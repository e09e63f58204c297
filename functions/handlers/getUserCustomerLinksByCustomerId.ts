import { linksOfCustomer, toLinkJson } from '../domain/links';
import type { Handle } from '../http/state';

export const handle: Handle<'getUserCustomerLinksByCustomerId'> = async (obp) => {
  const page = await linksOfCustomer(obp.customer.customer.customer_id, obp.page);
  return { body: { user_customer_links: page.items.map(toLinkJson) }, next: page.next };
};
