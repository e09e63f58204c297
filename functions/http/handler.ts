// Builds an operation's Lambda handler: the middy chain around the operation's `handle`. The order is the check
// order of docs/design.md ("Check order"): authentication → bank → roles → the path's customer → query
// parameters → Idempotency-Key replay → body → the operation.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import { operationByName, takesIdempotencyKey, type OperationName } from '../common/operations';
import { logger, metrics, tracer } from '../common/observability';
import { authenticate } from './middleware/authenticate';
import { readIdempotencyKey, replayIdempotent } from './middleware/idempotency';
import { listQuery } from './middleware/list-query';
import { loadContext } from './middleware/load-context';
import { parseJsonBody } from './middleware/parse-body';
import { requestLimits } from './middleware/request-limits';
import { respond } from './middleware/respond';
import { validateBody, type BodySpec } from './middleware/validate-body';
import type { DraftState, Handle, LambdaHandler, ObpEvent, ObpResult, ObpState, OperationOf } from './state';

const CLIENT_REQUEST_ID = /^[\w\-.:]{1,128}$/;

/** Sets up the request state and the log keys every line carries. */
const begin = (operationName: OperationName): MiddlewareObj<ObpEvent, ObpResult> => {
  const operation = operationByName(operationName);
  return {
    before: (request) => {
      const { event, context } = request;
      const requestId = event.requestContext?.requestId ?? context.awsRequestId;
      const incoming = event.headers?.['x-request-id'];
      const clientRequestId = incoming && CLIENT_REQUEST_ID.test(incoming) ? incoming : undefined;
      const state: DraftState = {
        operation,
        requestId,
        clientRequestId,
        path: event.rawPath,
        query: Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
        params: Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
        heldRoles: [],
      };
      event.obp = state;
      logger.setCorrelationId(requestId);
      logger.appendKeys({ operation: operation.name, ...(clientRequestId ? { client_request_id: clientRequestId } : {}) });
    },
  };
};

/** Adds the user id to every later log line once the token is verified. */
const logUser: MiddlewareObj<ObpEvent, ObpResult> = {
  before: (request) => {
    if (request.event.obp.userId) logger.appendKeys({ user_id: request.event.obp.userId });
  },
};

type BodyArgument<N extends OperationName> = OperationOf<N> extends { body: object } ? [body: BodySpec] : [];

export const buildHandler = <N extends OperationName>(name: N, handle: Handle<N>, ...[body]: BodyArgument<N>): LambdaHandler => {
  const operation = operationByName(name);
  if (Boolean(operation.body) !== Boolean(body)) throw new Error(`${name}: body schema and operations list disagree`);
  const chain = middy<ObpEvent, ObpResult>();
  // In Lambda, a subsegment around everything; its response is never captured (it holds personal data).
  if (tracer) chain.use(captureLambdaHandler(tracer, { captureResponse: false }));
  chain
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(httpHeaderNormalizer())
    .use(begin(name))
    .use(respond())
    .use(authenticate())
    .use(logUser)
    .use(requestLimits());
  const idempotent = takesIdempotencyKey(operation);
  if (idempotent) chain.use(readIdempotencyKey());
  // Roles held at the body's bank can only be checked once the body is parsed (functions/http/middleware/load-context.ts).
  const rolesFromBody = operation.roleScope === 'body';
  if (!rolesFromBody) chain.use(loadContext());
  if (operation.list) chain.use(listQuery());
  if (body) chain.use(parseJsonBody());
  if (rolesFromBody) chain.use(loadContext());
  if (idempotent) chain.use(replayIdempotent());
  if (body) chain.use(validateBody(body));
  // The chain has checked everything ObpState<N> promises (the middlewares above throw otherwise).
  return chain.handler(async (event) => (await handle(event.obp as ObpState<N>)) as unknown as ObpResult) as unknown as LambdaHandler;
};
