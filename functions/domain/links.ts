// createUserCustomerLink (OBP v4.0.0); the customer must belong to the path's bank.
import { randomUUID } from 'node:crypto';
import { customerNotFoundById, ObpError, ObpMessages } from '../core/obp-errors';
import { findCustomerById } from '../data/customers-repository';
import { insertLink, LinkAlreadyExists } from '../data/links-repository';
import type { UserCustomerLinkRecord } from '../data/records';
import { renderObpDate } from './dates';

export interface CreateLinkBody {
  user_id: string;
  customer_id: string;
}

export const createUserCustomerLink = async (bankId: string, body: CreateLinkBody, now = new Date()): Promise<UserCustomerLinkRecord> => {
  const customer = await findCustomerById(body.customer_id);
  if (!customer) throw customerNotFoundById(body.customer_id);
  if (customer.customer.bank_id !== bankId) {
    throw new ObpError(400, `${ObpMessages.InvalidJsonContent} The customer_id(${body.customer_id}) does not belong to BANK_ID(${bankId}).`);
  }
  const link: UserCustomerLinkRecord = {
    linkId: randomUUID(),
    userId: body.user_id,
    customerId: body.customer_id,
    bankId,
    dateInserted: now.toISOString(),
    isActive: true,
  };
  try {
    await insertLink(link);
  } catch (error) {
    if (error instanceof LinkAlreadyExists) throw new ObpError(400, ObpMessages.CustomerAlreadyExistsForUser);
    throw error;
  }
  return link;
};

export const toLinkJson = (l: UserCustomerLinkRecord) => ({
  user_customer_link_id: l.linkId,
  customer_id: l.customerId,
  user_id: l.userId,
  date_inserted: renderObpDate(Date.parse(l.dateInserted)),
  is_active: l.isActive,
});
