import { addMessage, requireLinkedUser, SUCCESS } from '../domain/messages';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'addCustomerMessage'> = async (obp) => {
  requireLinkedUser(obp.customer);
  // AddCustomerMessageJson has no transport: one sent anyway is an unknown field, ignored (v1.4.0 messages have "").
  const { message, from_department, from_person } = obp.body;
  const stored = await addMessage(writeContextOf(obp), obp.customer, { message, from_department, from_person });
  return { body: SUCCESS, audit: { bank_id: stored.bankId, customer_id: stored.customerId, message_id: stored.messageId } };
};
