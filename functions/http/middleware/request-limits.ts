// Cheap checks before any DynamoDB call: a body must be JSON (as in OBP, another content type does not match the
// route) and at most MAX_BODY_BYTES.
import type { MiddlewareObj } from '@middy/core';
import { invalidJson, unknownRoute } from '../../common/obp-errors';
import type { ObpEvent, ObpResult } from '../state';

export const MAX_BODY_BYTES = 64 * 1024;

const isJsonContentType = (value: string): boolean => /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(value.trim());

export const requestLimits = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: (request) => {
    const { event } = request;
    if (!event.obp.operation.body) return;
    const contentType = event.headers?.['content-type'];
    // A missing content type is accepted: the body is still parsed as JSON.
    if (contentType !== undefined && !isJsonContentType(contentType)) throw unknownRoute(event.rawPath, contentType);
    const bytes = event.body ? (event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body)) : 0;
    if (bytes > MAX_BODY_BYTES) throw invalidJson(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  },
});
