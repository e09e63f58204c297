import { updateCustomer } from '../domain/customers';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

// OBP takes flat credit_rating and credit_source and shows them nested as credit_rating.rating and .source.
export const handle: Handle<'updateCustomerCreditRatingAndSource'> = async (obp) => ({
  body: await updateCustomer(writeContextOf(obp), obp.customer, { credit_rating: { rating: obp.body.credit_rating, source: obp.body.credit_source } }),
  audit: { bank_id: obp.bank.bankId, customer_id: obp.customer.customer.customer_id, fields: ['credit_rating'] },
});
