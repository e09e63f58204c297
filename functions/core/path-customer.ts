import type { CustomerRecord } from '../data/records';
import { customerNotFoundById } from './obp-errors';
import { pathParam, type ObpEvent } from './request';

/** The path's customer, loaded by the chain; 404 OBP-30046 if it does not exist at the path's bank. */
export const requirePathCustomer = (event: ObpEvent): CustomerRecord => {
  if (!event.obp.customer) throw customerNotFoundById(pathParam(event, 'CUSTOMER_ID') ?? '');
  return event.obp.customer;
};
