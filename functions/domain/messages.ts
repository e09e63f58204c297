// One message store: both message posts add to the customer's messages, each recording who posted it; two read
// shapes, both paged.
import { randomUUID } from 'node:crypto';
import type { CreateMessageJsonV400 } from '../../generated/types/create-customer-message';
import { listCustomerIdsLinkedToUser } from '../data/links-repository';
import { insertMessage, listMessages } from '../data/messages-repository';
import type { Page, PageRequest } from '../data/paging';
import type { CustomerRecord, MessageRecord } from '../data/records';
import { ObpError, ObpMessages } from '../common/obp-errors';
import { renderObpDate } from './dates';
import { replyRecord, type WriteContext } from './write-context';

/** What a message post carries: OBP's v4.0.0 body; v1.4.0 bodies have no transport. */
export type MessageContent = Omit<CreateMessageJsonV400, 'transport'> & { transport?: string };

export const SUCCESS = { success: 'Success' } as const;

/** Stores a message for a customer already known to belong to the path's bank. */
export const addMessage = async (ctx: WriteContext, customer: CustomerRecord, body: MessageContent): Promise<MessageRecord> => {
  const message: MessageRecord = {
    messageId: randomUUID(),
    customerId: customer.customer.customer_id,
    bankId: customer.customer.bank_id,
    createdAt: ctx.now.toISOString(),
    message: body.message,
    transport: body.transport ?? '',
    fromDepartment: body.from_department,
    fromPerson: body.from_person,
    postedBy: ctx.actor,
  };
  await insertMessage(message, replyRecord(ctx, SUCCESS));
  return message;
};

/** addCustomerMessage (v1.4.0) needs the customer to be linked to at least one user. */
export const requireLinkedUser = (customer: CustomerRecord): void => {
  if (!customer.linkCount) {
    throw new ObpError(400, `${ObpMessages.UserCustomerLinksNotFoundForUser} Current customerId (${customer.customer.customer_id})`);
  }
};

/** A page of a customer's messages. */
export const messagesOfCustomer = (customerId: string, page: PageRequest): Promise<Page<MessageRecord>> => listMessages([customerId], page);

/** A page of the messages of every customer at `bankId` linked to `userId`, merged by creation time. */
export const messagesOfUser = async (userId: string, bankId: string, page: PageRequest): Promise<Page<MessageRecord>> =>
  listMessages(await listCustomerIdsLinkedToUser(userId, bankId), page);

const when = (m: MessageRecord): string => renderObpDate(Date.parse(m.createdAt));

/** getCustomerMessages (v4.0.0) item. */
export const toCustomerMessageJson = (m: MessageRecord) => ({
  id: m.messageId,
  date: when(m),
  transport: m.transport,
  message: m.message,
  from_department: m.fromDepartment,
  from_person: m.fromPerson,
});

/** getMyMessages (v1.4.0) item: no transport. */
export const toMyMessageJson = (m: MessageRecord) => ({
  id: m.messageId,
  date: when(m),
  message: m.message,
  from_department: m.fromDepartment,
  from_person: m.fromPerson,
});
