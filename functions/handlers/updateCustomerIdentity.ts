import { customerIdentityFields, updateCustomer } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'updateCustomerIdentity'> = async (obp) => ({
  body: await updateCustomer(writeContextOf(obp), obp.customer, customerIdentityFields(obp.body)),
  audit: { bank_id: obp.bank.bankId, customer_id: obp.customer.customer.customer_id, fields: ['legal_name', 'date_of_birth', 'title', 'name_suffix'] },
});
