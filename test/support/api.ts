// Calls the real handlers in-process, through the same route table and event adapter as the local server.
import { lambdaContext, toApiGatewayEvent } from '../../local/api-gateway-event';
import { findRoute } from '../../local/routes';
import { loadHandler } from '../../local/server';
import { tokenFor } from './tokens';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export interface CallOptions {
  /** A user id to make a valid token for, or `{ token }` to send a given Authorization value. */
  as?: string | { authorization: string };
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => {
  const found = findRoute(method, path);
  if (!found) throw new Error(`No route for ${method} ${path}`);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (typeof options.as === 'string') headers.authorization = `Bearer ${await tokenFor(options.as)}`;
  else if (options.as) headers.authorization = options.as.authorization;
  const event = toApiGatewayEvent({
    method,
    url: path,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    routeKey: `${method} ${found.route.template}`,
    pathParameters: found.params,
  });
  const result = await (await loadHandler(found.route.entry))(event, lambdaContext(found.route.operation.name));
  const text = result.body ?? '';
  return { status: result.statusCode ?? 200, body: text ? JSON.parse(text) : undefined, headers: (result.headers ?? {}) as Record<string, string> };
};
