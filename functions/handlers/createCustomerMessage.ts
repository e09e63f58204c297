import { addMessage, SUCCESS } from '../domain/messages';
import type { Handle } from '../http/state';
import { writeContextOf } from '../http/write-context';

export const handle: Handle<'createCustomerMessage'> = async (obp) => {
  const stored = await addMessage(writeContextOf(obp), obp.customer, obp.body);
  return { body: SUCCESS, audit: { bank_id: stored.bankId, customer_id: stored.customerId, message_id: stored.messageId } };
};
