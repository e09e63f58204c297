import { createUserCustomerLink, toLinkJson } from '../domain/links';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'createUserCustomerLink'> = async (obp) => {
  const link = await createUserCustomerLink(writeContextOf(obp), obp.bank.bankId, obp.body);
  return { body: toLinkJson(link), audit: { bank_id: link.bankId, customer_id: link.customerId, user_id: link.userId, user_customer_link_id: link.linkId } };
};
