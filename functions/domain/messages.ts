// One message store (DESIGN §3.4): both message posts add to the customer's messages; two read shapes.
import { randomUUID } from 'node:crypto';
import { ObpError, ObpMessages } from '../core/obp-errors';
import { listCustomerIdsLinkedToUser } from '../data/links-repository';
import { insertMessage, listMessagesOfCustomer } from '../data/messages-repository';
import type { CustomerRecord, MessageRecord } from '../data/records';
import { renderObpDate } from './dates';

export interface MessageBody {
  message: string;
  transport?: string;
  from_department: string;
  from_person: string;
}

export const SUCCESS = { success: 'Success' } as const;

/** Stores a message for a customer already known to belong to `bankId`. */
export const addMessage = async (bankId: string, customerId: string, body: MessageBody, now = new Date()): Promise<MessageRecord> => {
  const message: MessageRecord = {
    messageId: randomUUID(),
    customerId,
    bankId,
    createdAt: now.toISOString(),
    message: body.message,
    transport: body.transport ?? '',
    fromDepartment: body.from_department,
    fromPerson: body.from_person,
  };
  await insertMessage(message);
  return message;
};

/** addCustomerMessage (v1.4.0) needs the customer to be linked to at least one user. */
export const requireLinkedUser = (customer: CustomerRecord): void => {
  if (!customer.linkCount) {
    throw new ObpError(400, `${ObpMessages.UserCustomerLinksNotFoundForUser} Current customerId (${customer.customer.customer_id})`);
  }
};

export const messagesOfCustomer = listMessagesOfCustomer;

/** The messages of every customer at `bankId` linked to `userId`, newest first. */
export const messagesOfUser = async (userId: string, bankId: string): Promise<MessageRecord[]> => {
  const customerIds = await listCustomerIdsLinkedToUser(userId, bankId);
  const lists = await Promise.all(customerIds.map((id) => listMessagesOfCustomer(id)));
  return lists.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.messageId.localeCompare(a.messageId));
};

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
