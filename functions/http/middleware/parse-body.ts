// JSON body parsing with @middy/http-json-body-parser. It runs after the bank and role checks, so a malformed body
// from a caller without the role is a 403, and from an anonymous caller a 401 (docs/design.md, "Check order").
// The content type was already checked by requestLimits (a non-JSON type matches no route, as in OBP; a missing one
// is read as JSON), so the parser's own check is off. Its errors become 400 OBP-10001 with the parser's reason.
import type { MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { invalidJson } from '../../common/obp-errors';
import type { ObpEvent, ObpResult } from '../state';

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

interface ParserError extends Error {
  statusCode?: number;
  cause?: { data?: unknown; message?: string };
}

/** The parser's reason, as a client can act on it. */
const reasonOf = (error: ParserError): string => {
  if (error.message === 'Forbidden key in JSON body') return `The body may not contain the key ${String(error.cause?.data)}.`;
  // The parser's prototype check walks the body recursively, so a body nested thousands of levels deep overflows
  // the stack: that is the body's fault, and the engine's wording says nothing useful to a client.
  if (error.cause?.message && /call stack/i.test(error.cause.message)) return 'The body is nested too deeply.';
  if (error.cause?.message) return error.cause.message;
  return 'The body is empty; send a JSON object.';
};

export const parseJsonBody = (): MiddlewareObj<ObpEvent, ObpResult> => {
  const parser = httpJsonBodyParser({ disableContentTypeCheck: true });
  return {
    before: async (request) => {
      const { event } = request;
      // Kept for the number check of validateBody, which needs the body's own text (functions/http/middleware/validate-body.ts).
      event.obp.bodyText = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
      const refuse = (error: Error): void => {
        // With an Idempotency-Key, the key's check and the replay come first in the check order: a malformed key is
        // refused before the body, and a stored answer decides what this error means.
        if (event.obp.idempotency) event.obp.bodyError = error;
        else throw error;
      };
      try {
        await parser.before?.(request as never);
      } catch (error) {
        const parserError = error as ParserError;
        if (typeof parserError.statusCode !== 'number') throw error;
        return refuse(invalidJson(reasonOf(parserError)));
      }
      const body: unknown = event.body;
      if (hasIllFormedText(body)) return refuse(invalidJson('The body contains text that is not valid Unicode.'));
      event.obp.body = body;
      return undefined;
    },
  };
};
