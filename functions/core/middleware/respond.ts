// The one place responses are rendered: success bodies as JSON, every error as OBP's {"code","message"}.
// Unexpected errors become 500 OBP-50000 with the request id; their details go to the log only.
import type { MiddlewareObj } from '@middy/core';
import { countRequest, logger } from '../observability';
import { ObpError, ObpMessages } from '../obp-errors';
import type { ObpEvent, ObpResult } from '../request';

const json = (status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): ObpResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
  body: JSON.stringify(body),
});

/** What a handler returns: the status and the body object. */
export interface Reply {
  status: number;
  body: unknown;
}

export const errorResult = (error: unknown, requestId: string): ObpResult => {
  if (error instanceof ObpError) {
    return json(error.status, { code: error.status, message: error.message }, requestId, error.headers);
  }
  return json(500, { code: 500, message: `${ObpMessages.UnknownError} Request id: ${requestId}` }, requestId);
};

export const respond = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  after: (request) => {
    const { obp } = request.event;
    const reply = request.response as unknown as Reply;
    request.response = json(reply.status, reply.body, obp.requestId);
    countRequest(obp.operation.name, reply.status);
    logger.info('request completed', { status: reply.status });
  },
  onError: (request) => {
    // The event may be unusable if it failed before the chain set it up.
    const obp = (request.event as Partial<ObpEvent>).obp;
    const requestId = obp?.requestId ?? request.context?.awsRequestId ?? 'unknown';
    const { error } = request;
    if (error instanceof ObpError) {
      logger.info('request refused', { status: error.status, code: error.message.slice(0, 9) });
    } else {
      logger.error('unexpected error', error as Error);
    }
    request.response = errorResult(error, requestId);
    if (obp) countRequest(obp.operation.name, request.response.statusCode ?? 500);
  },
});
