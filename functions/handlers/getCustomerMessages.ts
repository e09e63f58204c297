import { obpHandler } from '../core/handler';
import { requirePathCustomer } from '../core/path-customer';
import { messagesOfCustomer, toCustomerMessageJson } from '../domain/messages';

export const handler = obpHandler('getCustomerMessages', async (event) => {
  const customer = requirePathCustomer(event);
  return { status: 200, body: { messages: (await messagesOfCustomer(customer.customer.customer_id)).map(toCustomerMessageJson) } };
});
