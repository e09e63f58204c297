// What every write of the domain is given by the request: who acts, the time, and — when the request carries an
// Idempotency-Key — how to store the answer in the same transaction as the write (functions/http/middleware/idempotency.ts).
import type { AlsoWrite } from '../data/transactions';

export interface WriteContext {
  /** The acting user (the token's sub): recorded on what it creates or changes. */
  actor: string;
  now: Date;
  /** The idempotency record holding `body`, for the write's transaction; absent without an Idempotency-Key. */
  recordReply?: (body: unknown) => AlsoWrite;
}

/** The record item for the write, built from the answer the operation is about to give. */
export const replyRecord = (ctx: WriteContext, body: unknown): AlsoWrite | undefined => ctx.recordReply?.(body);
