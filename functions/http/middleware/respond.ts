// The one place responses are rendered: success bodies as JSON with the operation's status, every error as OBP's
// {"code","message"} (functions/common/obp-errors.ts). Unexpected errors become 500 OBP-50000 with the platform's
// request id; their details go to the log only.
import type { MiddlewareObj } from '@middy/core';
import { runsInLambda } from '../../common/config';
import { ObpError, unknownError } from '../../common/obp-errors';
import { countRequest, logger } from '../../common/observability';
import { PositionOutsideList } from '../../data/paging';
import { cursorOutsideList, encodeCursor, nextLink } from '../paging';
import type { Audit, ObpEvent, ObpResult, Reply } from '../state';

/** Headers on every response: customer data must not be cached by a proxy or a browser, nor sniffed as another type. */
const commonHeaders = (requestId: string): Record<string, string> => ({
  'content-type': 'application/json',
  'x-request-id': requestId,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // API Gateway serves HTTPS only; the local server is plain HTTP, where the header means nothing.
  ...(runsInLambda() ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
});

export const renderResult = (status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): ObpResult => ({
  statusCode: status,
  headers: { ...commonHeaders(requestId), ...headers },
  body: status === 204 || body === undefined ? '' : JSON.stringify(body),
});

export const errorResult = (error: unknown, requestId: string): ObpResult => {
  const obpError = error instanceof ObpError ? error : unknownError(requestId);
  return renderResult(obpError.status, obpError.body, requestId, obpError.headers);
};

/** The audit line of a successful write: who, what, which ids, under which request id; never personal data. */
const auditLine = (obp: ObpEvent['obp'], audit: Audit): void => {
  logger.info('audit', { audit: { actor: obp.userId, operation: obp.operation.name, request_id: obp.requestId, ...audit } });
};

export const respond = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  after: (request) => {
    const { event } = request;
    const { obp } = event;
    const reply = request.response as unknown as Reply;
    const status = obp.operation.response.status;
    const headers = { ...reply.headers };
    if (reply.next && obp.pageBinding !== undefined) headers.link = nextLink(obp.path, event.rawQueryString ?? '', encodeCursor(reply.next, obp.pageBinding));
    request.response = renderResult(status, reply.body, obp.requestId, headers);
    countRequest(obp.operation.name, status);
    if (reply.audit) auditLine(obp, reply.audit);
    logger.info('request completed', { status });
  },
  onError: (request) => {
    // The event may be unusable if it failed before the chain set it up.
    const obp = (request.event as Partial<ObpEvent>).obp;
    const requestId = obp?.requestId ?? request.context?.awsRequestId ?? 'unknown';
    const { error } = request;
    if (error instanceof PositionOutsideList) request.error = cursorOutsideList();
    if (request.error instanceof ObpError) {
      logger.info('request refused', { status: request.error.status, code: request.error.message.slice(0, 9) });
    } else {
      logger.error('unexpected error', error as Error);
    }
    request.response = errorResult(request.error, requestId);
    if (obp) countRequest(obp.operation.name, request.response.statusCode ?? 500);
  },
});
