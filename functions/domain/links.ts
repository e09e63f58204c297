// User–customer links (OBP v4.0.0): create, remove and list, always at the path's bank. Nobody links themselves:
// CanCreateUserCustomerLink alone would otherwise open any customer's messages to its holder through getMyMessages.
import { randomUUID } from 'node:crypto';
import type { CreateUserCustomerLinkJson } from '../../generated/types/create-user-customer-link';
import type { UserCustomerLinkJson } from '../../generated/types/user-customer-link-response';
import { findCustomerById } from '../data/customers-repository';
import { deleteLink, insertLink, LinkAlreadyExists, LinkGone, listLinksOfCustomer, listLinksOfUserAtBank } from '../data/links-repository';
import type { Page, PageRequest } from '../data/paging';
import type { UserCustomerLinkRecord } from '../data/records';
import { customerNotFoundById, ObpError, ObpMessages } from '../common/obp-errors';
import { renderObpDate } from './dates';
import { replyRecord, type WriteContext } from './write-context';

export const toLinkJson = (l: UserCustomerLinkRecord): UserCustomerLinkJson => ({
  user_customer_link_id: l.linkId,
  customer_id: l.customerId,
  user_id: l.userId,
  date_inserted: renderObpDate(Date.parse(l.dateInserted)),
  is_active: l.isActive,
});

export const createUserCustomerLink = async (ctx: WriteContext, bankId: string, body: CreateUserCustomerLinkJson): Promise<UserCustomerLinkRecord> => {
  if (body.user_id === ctx.actor) {
    throw new ObpError(400, `${ObpMessages.CreateUserCustomerLinksError}A user cannot link themselves to a customer: ask another administrator.`);
  }
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
    dateInserted: ctx.now.toISOString(),
    isActive: true,
    createdBy: ctx.actor,
  };
  try {
    await insertLink(link, replyRecord(ctx, toLinkJson(link)));
  } catch (error) {
    if (error instanceof LinkAlreadyExists) throw new ObpError(400, ObpMessages.CustomerAlreadyExistsForUser);
    throw error;
  }
  return link;
};

const linkNotFound = (): ObpError => new ObpError(400, ObpMessages.UserCustomerLinkNotFound);

/**
 * deleteUserCustomerLink: the link the request's first read found by its id, only if its customer is at the path's
 * bank (an unknown link, or one of another bank, is 400 OBP-30035 as OBP answers an unknown one).
 */
export const removeUserCustomerLink = async (bankId: string, found: Record<string, unknown> | undefined): Promise<UserCustomerLinkRecord> => {
  const link = found as UserCustomerLinkRecord | undefined;
  if (!link || link.bankId !== bankId) throw linkNotFound();
  try {
    await deleteLink(link);
  } catch (error) {
    // Removed by a concurrent request between the read and the write: for this one, it was not found.
    if (error instanceof LinkGone) throw linkNotFound();
    throw error;
  }
  return link;
};

export const linksOfUserAtBank = (userId: string, bankId: string, page: PageRequest): Promise<Page<UserCustomerLinkRecord>> =>
  listLinksOfUserAtBank(userId, bankId, page);

export const linksOfCustomer = (customerId: string, page: PageRequest): Promise<Page<UserCustomerLinkRecord>> => listLinksOfCustomer(customerId, page);
