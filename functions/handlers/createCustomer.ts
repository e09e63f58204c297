import { createCustomer } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'createCustomer'> = async (obp) => {
  const customer = await createCustomer(writeContextOf(obp), obp.bank.bankId, obp.body);
  return { body: customer, audit: { bank_id: customer.bank_id, customer_id: customer.customer_id } };
};
