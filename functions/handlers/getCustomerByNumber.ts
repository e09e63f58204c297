import { guardedCustomerId } from '../data/customers-repository';
import { customerByNumber, toCustomerWithAttributesJson } from '../domain/customers';
import type { Handle } from '../http/state';

export const handle: Handle<'getCustomerByNumber'> = async (obp) => {
  // The first read fetched the guard of the number the body seemed to hold (functions/http/middleware/load-context.ts).
  const prefetched = obp.peekedCustomerNumber === undefined ? undefined : { customerNumber: obp.peekedCustomerNumber, customerId: guardedCustomerId(obp.prefetched.guard) };
  return { body: toCustomerWithAttributesJson(await customerByNumber(obp.bank.bankId, obp.body.customer_number, prefetched)) };
};
