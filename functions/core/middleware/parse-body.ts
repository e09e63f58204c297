// JSON body parsing. Runs after the bank and role checks, so a malformed body from a caller without the role
// is a 403, and from an anonymous caller a 401 (DESIGN §2 check order).
import type { MiddlewareObj } from '@middy/core';
import { invalidJson } from '../obp-errors';
import type { ObpEvent, ObpResult } from '../request';

/** Walks the parsed body with an explicit stack: a body nested thousands of levels deep must not overflow the call stack. */
const hasIllFormedText = (body: unknown): boolean => {
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (!k.isWellFormed()) return true;
        pending.push(v);
      }
    }
  }
  return false;
};

export const parseJsonBody = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: (request) => {
    const { event } = request;
    if (!event.obp.operation.body) return;
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw invalidJson((error as Error).message);
    }
    if (hasIllFormedText(body)) throw invalidJson('The body contains text that is not valid Unicode.');
    event.obp.body = body;
  },
});
