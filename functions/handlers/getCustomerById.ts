import { obpHandler } from '../core/handler';
import { requirePathCustomer } from '../core/path-customer';
import { toCustomerWithAttributesJson } from '../domain/customers';

export const handler = obpHandler('getCustomerById', async (event) => ({
  status: 200,
  body: toCustomerWithAttributesJson(requirePathCustomer(event).customer),
}));
