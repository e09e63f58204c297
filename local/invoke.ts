// The one in-process invoker: find the route → build the API Gateway v2 event → load the operation's generated
// entry → call it. The local server, the tests and the benchmarks all call handlers through it.
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Operation } from '../functions/common/operations';
import { lambdaContext, toApiGatewayEvent } from './api-gateway-event';
import { findRoute, type Route } from './routes';

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const loaded = new Map<string, Promise<LambdaHandler>>();

/** An operation's handler, by its entry (relative to the repository root), imported once per process. */
export const loadHandler = (entry: string): Promise<LambdaHandler> => {
  let handler = loaded.get(entry);
  if (!handler) {
    handler = import(join(__dirname, '..', entry)).then((m: { handler: LambdaHandler }) => m.handler);
    loaded.set(entry, handler);
  }
  return handler;
};

export interface InvokeRequest {
  method: string;
  /** Path and query as sent, e.g. /obp/v5.0.0/banks?x=1 */
  url: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  sourceIp?: string;
  /**
   * The route and its parameters as given, instead of matching `url`: the reliability tests send parameters no URL
   * could carry (a lone surrogate).
   */
  route?: { route: Route; params: Record<string, string> };
}

export interface InvokeResult {
  /** The route's template and method, e.g. POST /obp/v5.0.0/banks/{BANK_ID}/customers. */
  route: { method: string; template: string };
  status: number;
  headers: Record<string, string>;
  /** The body text exactly as the function answered it. */
  text: string;
}

export interface PreparedInvoke {
  operation: Operation;
  handler: LambdaHandler;
  /** A fresh event per call: the middlewares mutate the one they get. */
  event: () => APIGatewayProxyEventV2;
  context: () => Context;
}

/** Resolves the route and loads its handler once; undefined when no route matches. */
export const prepareInvoke = async (request: InvokeRequest): Promise<PreparedInvoke | undefined> => {
  const found = request.route ?? findRoute(request.method, request.url.split('?')[0] as string);
  if (!found) return undefined;
  const { route, params } = found;
  const handler = await loadHandler(route.entry);
  return {
    operation: route.operation,
    handler,
    event: () => {
      const event = toApiGatewayEvent({
        method: request.method,
        url: request.url,
        headers: request.headers ?? {},
        body: request.body,
        routeKey: `${route.method} ${route.template}`,
        pathParameters: params,
        sourceIp: request.sourceIp,
      });
      if (request.isBase64Encoded) event.isBase64Encoded = true;
      return event;
    },
    context: () => lambdaContext(route.operation.name),
  };
};

export const callPrepared = async (prepared: PreparedInvoke): Promise<InvokeResult> => {
  const event = prepared.event();
  const result = await prepared.handler(event, prepared.context());
  const [method, template] = event.routeKey.split(' ') as [string, string];
  return { route: { method, template }, status: result.statusCode ?? 200, headers: (result.headers ?? {}) as Record<string, string>, text: result.body ?? '' };
};

/** Invokes the operation the request routes to; undefined when no route matches. */
export const invoke = async (request: InvokeRequest): Promise<InvokeResult | undefined> => {
  const prepared = await prepareInvoke(request);
  return prepared && callPrepared(prepared);
};
