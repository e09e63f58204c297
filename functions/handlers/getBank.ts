import type { Handle } from '../http/state';
import { toBankJson } from '../domain/banks';

// The bank was loaded (or answered 404) by the middleware chain.
export const handle: Handle<'getBank'> = async (obp) => ({ body: toBankJson(obp.bank, 'read') });
