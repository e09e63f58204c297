import { updateCustomer } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'updateCustomerBranch'> = async (obp) => ({
  body: await updateCustomer(writeContextOf(obp), obp.customer, { branch_id: obp.body.branch_id }),
  audit: { bank_id: obp.bank.bankId, customer_id: obp.customer.customer.customer_id, fields: ['branch_id'] },
});
