import { updateCustomerNumber } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'updateCustomerNumber'> = async (obp) => ({
  body: await updateCustomerNumber(writeContextOf(obp), obp.customer, obp.body.customer_number),
  audit: { bank_id: obp.bank.bankId, customer_id: obp.customer.customer.customer_id, fields: ['customer_number'] },
});
