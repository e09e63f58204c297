import { updateCustomer } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

// Stored trimmed and lower-cased, as createCustomer stores it.
export const handle: Handle<'updateCustomerEmail'> = async (obp) => ({
  body: await updateCustomer(writeContextOf(obp), obp.customer, { email: obp.body.email.trim().toLowerCase() }),
  audit: { bank_id: obp.bank.bankId, customer_id: obp.customer.customer.customer_id, fields: ['email'] },
});
