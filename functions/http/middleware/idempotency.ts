// Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header; docs/design.md, "Retrying safely") on every POST
// and PUT that writes. The record is read in the request's first read and written inside the operation's own
// transaction (functions/domain/write-context.ts), so either the resource and its record exist or neither does.
// Powertools' idempotency utility is not used: it writes its record in separate calls before and after the handler
// (two more round trips, and a crash between them leaves an in-progress record that blocks retries until it expires).
import { createHash } from 'node:crypto';
import { cleanupMiddlewares } from '@aws-lambda-powertools/commons';
import type { MiddlewareObj } from '@middy/core';
import { idempotencyRecordKey } from '../../data/keys';
import { idempotencyRecordWrite, liveRecord, readIdempotencyRecord } from '../../data/idempotency-repository';
import type { IdempotencyRecord } from '../../data/records';
import { IdempotencyKeyTaken } from '../../data/transactions';
import { ObpError, ObpMessages } from '../../common/obp-errors';
import { countRequest, logger } from '../../common/observability';
import { takesIdempotencyKey } from '../../common/operations';
import type { ObpEvent, ObpRequest, ObpResult } from '../state';
import { renderResult } from './respond';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long a stored answer can be replayed. */
export const RECORD_LIFETIME_S = 24 * 3600;
const VISIBLE_ASCII = /^[\x21-\x7e]{1,255}$/;

/** Keys (canonical JSON) so that two bodies equal as parsed JSON hash alike, whatever their key order or spacing. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );

const requestHash = (event: ObpEvent): string => {
  const { obp } = event;
  const source = obp.bodyError ? `unparsed:${obp.bodyText ?? ''}` : `json:${canonical(obp.body ?? null)}`;
  return createHash('sha256').update(source).digest('hex');
};

/**
 * The stored answer, as an early response. That skips every later after/onError middleware, Powertools' among them:
 * their cleanup runs here instead, so the replay's metrics are published and its log keys do not reach the next
 * invocation.
 */
const replay = async (request: ObpRequest, record: IdempotencyRecord): Promise<ObpResult> => {
  const { obp } = request.event;
  const status = obp.operation.response.status;
  countRequest(obp.operation.name, status);
  logger.info('request replayed', { status });
  await cleanupMiddlewares(request);
  return { ...renderResult(status, undefined, obp.requestId, { 'idempotent-replayed': 'true' }), body: record.body };
};

const reusedKey = (): ObpError => new ObpError(422, `${ObpMessages.IdempotencyKeyReused} Send a new Idempotency-Key for a new request.`);

/** Before the first read: the record's key, so that read fetches it too. A malformed header is refused later, in its place. */
export const readIdempotencyKey = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: (request) => {
    const { obp, headers } = request.event;
    const key = headers?.[IDEMPOTENCY_HEADER];
    if (key === undefined || !takesIdempotencyKey(obp.operation) || !obp.userId) return;
    if (!VISIBLE_ASCII.test(key)) {
      obp.idempotency = { problem: 'It must be 1 to 255 visible ASCII characters (no spaces or control characters).' };
      return;
    }
    obp.idempotency = { key, recordKey: idempotencyRecordKey(obp.userId, obp.operation.name, obp.path, key) };
  },
});

/**
 * After the body is parsed, before it is validated: a live record answers the retry (same body) or refuses the key
 * (another body, 422); otherwise the operation's write carries a new record. A concurrent request with the same key
 * that commits first makes the write's record condition fail: then its answer is replayed, or, while it cannot be
 * read yet, 409.
 */
export const replayIdempotent = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: async (request) => {
    const { obp } = request.event;
    const state = obp.idempotency;
    if (!state) return undefined;
    if (state.problem) throw new ObpError(400, `${ObpMessages.InvalidIdempotencyKey} ${state.problem}`);
    const hash = requestHash(request.event);
    const now = new Date();
    const found = liveRecord(obp.prefetched?.idempotency, now);
    if (found) {
      if (found.requestHash !== hash) throw reusedKey();
      return replay(request, found);
    }
    if (obp.bodyError) throw obp.bodyError;
    const recordKey = state.recordKey as { PK: string; SK: string };
    state.recordReply = (body) =>
      idempotencyRecordWrite(recordKey, {
        operation: obp.operation.name,
        userId: obp.userId as string,
        requestHash: hash,
        body: JSON.stringify(body),
        createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + RECORD_LIFETIME_S,
      });
    return undefined;
  },
  onError: async (request) => {
    const { obp } = request.event;
    if (!(request.error instanceof IdempotencyKeyTaken) || !obp?.idempotency?.recordKey) return undefined;
    const winner = await readIdempotencyRecord(obp.idempotency.recordKey, new Date());
    if (!winner) {
      request.error = new ObpError(409, `${ObpMessages.IdempotencyKeyInProgress} Retry in a moment with the same key.`);
      return undefined;
    }
    if (winner.requestHash !== requestHash(request.event)) {
      request.error = reusedKey();
      return undefined;
    }
    return replay(request, winner);
  },
});
