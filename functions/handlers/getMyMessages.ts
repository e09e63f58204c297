import { messagesOfUser, toMyMessageJson } from '../domain/messages';
import type { Handle } from '../http/state';

export const handle: Handle<'getMyMessages'> = async (obp) => {
  const page = await messagesOfUser(obp.userId, obp.bank.bankId, obp.page);
  return { body: { messages: page.items.map(toMyMessageJson) }, next: page.next };
};
