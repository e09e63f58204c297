import { updateCustomer } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'updateCustomerMobileNumber'> = async (obp) => ({
  body: await updateCustomer(writeContextOf(obp), obp.customer, { mobile_phone_number: obp.body.mobile_phone_number }),
  audit: { bank_id: obp.bank.bankId, customer_id: obp.customer.customer.customer_id, fields: ['mobile_phone_number'] },
});
