import { messagesOfCustomer, toCustomerMessageJson } from '../domain/messages';
import type { Handle } from '../http/state';

export const handle: Handle<'getCustomerMessages'> = async (obp) => {
  const page = await messagesOfCustomer(obp.customer.customer.customer_id, obp.page);
  return { body: { messages: page.items.map(toCustomerMessageJson) }, next: page.next };
};
