import { customersOfBank, toCustomerJsonV300 } from '../domain/customers';
import type { Handle } from '../http/state';

export const handle: Handle<'getCustomersAtOneBank'> = async (obp) => {
  const page = await customersOfBank(obp.bank.bankId, obp.page);
  return { body: { customers: page.items.map((r) => toCustomerJsonV300(r.customer)) }, next: page.next };
};
