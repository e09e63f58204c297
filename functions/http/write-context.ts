// The write context a handler hands to the domain: the acting user, the request's time, and the idempotency record
// the write carries when the request sent an Idempotency-Key.
import type { WriteContext } from '../domain/write-context';
import type { BaseState } from './state';

export const writeContextOf = (obp: BaseState & { userId: string }): WriteContext => ({
  actor: obp.userId,
  now: new Date(),
  recordReply: obp.idempotency?.recordReply,
});
