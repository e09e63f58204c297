// Calls a handler in-process with the API Gateway event the local server would build (same route table and adapter).
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext, toApiGatewayEvent } from '../local/api-gateway-event';
import { findRoute } from '../local/routes';
import { ROOT } from './processes';

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface PreparedCall {
  operation: string;
  handler: LambdaHandler;
  event: () => APIGatewayProxyEventV2;
  context: () => Context;
}

/** Resolves the route and loads its handler once; `event()` builds a fresh event per call (middlewares mutate it). */
export const prepareCall = async (method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<PreparedCall> => {
  const found = findRoute(method, path);
  if (!found) throw new Error(`No route for ${method} ${path}`);
  const { handler } = (await import(join(ROOT, found.route.entry))) as { handler: LambdaHandler };
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const operation = found.route.operation.name;
  return {
    operation,
    handler,
    event: () => toApiGatewayEvent({ method, url: path, headers: { ...headers }, body, routeKey: `${method} ${found.route.template}`, pathParameters: found.params }),
    context: () => lambdaContext(operation),
  };
};

export interface InvokeResult {
  status: number;
  body: any;
}

export const invoke = async (call: PreparedCall): Promise<InvokeResult> => {
  const result = await call.handler(call.event(), call.context());
  const text = result.body ?? '';
  return { status: result.statusCode ?? 200, body: text ? JSON.parse(text) : undefined };
};
