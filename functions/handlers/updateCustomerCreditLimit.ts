import { updateCustomer } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'updateCustomerCreditLimit'> = async (obp) => {
  const { currency, amount } = obp.body.credit_limit;
  return {
    body: await updateCustomer(writeContextOf(obp), obp.customer, { credit_limit: { currency, amount } }),
    audit: { bank_id: obp.bank.bankId, customer_id: obp.customer.customer.customer_id, fields: ['credit_limit'] },
  };
};
