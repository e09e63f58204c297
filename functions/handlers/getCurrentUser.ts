import type { Handle } from '../http/state';
import { currentUserJson } from '../domain/users';

export const handle: Handle<'getCurrentUser'> = async (obp) => ({ body: await currentUserJson(obp.userId, obp.claims) });
