import { customerDataFields, updateCustomer } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'updateCustomerData'> = async (obp) => ({
  body: await updateCustomer(writeContextOf(obp), obp.customer, customerDataFields(obp.customer, obp.body)),
  audit: {
    bank_id: obp.bank.bankId,
    customer_id: obp.customer.customer.customer_id,
    fields: ['face_image', 'relationship_status', 'dependants', 'highest_education_attained', 'employment_status'],
  },
});
