// JSON body parsing. Runs after the bank and role checks, so a malformed body from a caller without the role
// is a 403, and from an anonymous caller a 401 (DESIGN §2 check order).
import type { MiddlewareObj } from '@middy/core';
import { invalidJson } from '../obp-errors';
import type { ObpEvent, ObpResult } from '../request';

const hasIllFormedText = (value: unknown): boolean => {
  if (typeof value === 'string') return !value.isWellFormed();
  if (Array.isArray(value)) return value.some(hasIllFormedText);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => !k.isWellFormed() || hasIllFormedText(v));
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
