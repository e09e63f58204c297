import { removeUserCustomerLink } from '../domain/links';
import type { Handle } from '../http/state';

export const handle: Handle<'deleteUserCustomerLink'> = async (obp) => {
  const link = await removeUserCustomerLink(obp.bank.bankId, obp.prefetched.link);
  return { body: true, audit: { bank_id: link.bankId, customer_id: link.customerId, user_id: link.userId, user_customer_link_id: link.linkId } };
};
