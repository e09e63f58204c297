import { customersOfBank, toCustomerMinimalJson } from '../domain/customers';
import type { Handle } from '../http/state';

export const handle: Handle<'getCustomersMinimalAtOneBank'> = async (obp) => {
  const page = await customersOfBank(obp.bank.bankId, obp.page);
  return { body: { customers: page.items.map((r) => toCustomerMinimalJson(r.customer)) }, next: page.next };
};
