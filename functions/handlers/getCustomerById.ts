import type { Handle } from '../http/state';
import { toCustomerWithAttributesJson } from '../domain/customers';

// The customer was loaded (or answered 404) by the middleware chain.
export const handle: Handle<'getCustomerById'> = async (obp) => ({ body: toCustomerWithAttributesJson(obp.customer.customer) });
