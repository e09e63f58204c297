// Builds an operation's Lambda handler: the middy chain of DESIGN §4 around a small domain call.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import { operationByName } from '../operations';
import { authenticate } from './middleware/authenticate';
import { loadContext } from './middleware/load-context';
import { parseJsonBody } from './middleware/parse-body';
import { requestLimits } from './middleware/request-limits';
import { respond, type Reply } from './middleware/respond';
import { validateBody, type CompiledValidator, type JsonSchema } from './middleware/validate-body';
import { logger, metrics, tracer } from './observability';
import type { ObpEvent, ObpHandler, ObpResult } from './request';

const CORRELATION_ID = /^[\w\-.:]{1,128}$/;

/** Sets up the request state and the log keys every line carries. */
const begin = (operationName: string): MiddlewareObj<ObpEvent, ObpResult> => {
  const operation = operationByName(operationName);
  return {
    before: (request) => {
      const { event, context } = request;
      const incoming = event.headers?.['x-request-id'];
      const requestId = incoming && CORRELATION_ID.test(incoming) ? incoming : (event.requestContext?.requestId ?? context.awsRequestId);
      event.obp = { operation, requestId, heldRoles: [] };
      logger.setCorrelationId(requestId);
      logger.appendKeys({ operation: operation.name });
    },
  };
};

/** Adds the user id to every later log line once the token is verified. */
const logUser: MiddlewareObj<ObpEvent, ObpResult> = {
  before: (request) => {
    if (request.event.obp.userId) logger.appendKeys({ user_id: request.event.obp.userId });
  },
};

export interface BodySpec {
  validator: CompiledValidator;
  schema: JsonSchema;
}

export const obpHandler = (
  operationName: string,
  handle: (event: ObpEvent) => Promise<Reply>,
  body?: BodySpec,
): ObpHandler => {
  const operation = operationByName(operationName);
  if (Boolean(operation.body) !== Boolean(body)) throw new Error(`${operationName}: body schema and operations list disagree`);
  const chain = middy<ObpEvent, ObpResult>();
  if (tracer) chain.use(captureLambdaHandler(tracer, { captureResponse: false })); // a subsegment around everything
  chain
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(httpHeaderNormalizer())
    .use(begin(operationName))
    .use(respond())
    .use(authenticate())
    .use(logUser)
    .use(requestLimits())
    .use(loadContext())
    .use(parseJsonBody());
  if (body) chain.use(validateBody(body.validator, body.schema));
  return chain.handler(async (event) => (await handle(event)) as unknown as ObpResult) as unknown as ObpHandler;
};
