import { obpHandler } from '../core/handler';
import type { BankRecord } from '../data/records';
import { messagesOfUser, toMyMessageJson } from '../domain/messages';

export const handler = obpHandler('getMyMessages', async ({ obp }) => ({
  status: 200,
  body: { messages: (await messagesOfUser(obp.userId as string, (obp.bank as BankRecord).bankId)).map(toMyMessageJson) },
}));
