import { obpHandler } from '../core/handler';
import type { BankRecord } from '../data/records';
import { toBankJson } from '../domain/banks';

// The bank was loaded (or answered 404) by the middleware chain.
export const handler = obpHandler('getBank', async ({ obp }) => ({ status: 200, body: toBankJson(obp.bank as BankRecord, 'read') }));
