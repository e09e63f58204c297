// Calls the real handlers in-process, through the local server's invoker (same route table and event adapter), and
// checks every answer against the OpenAPI document.
import { invoke } from '../../local/invoke';
import { expectDocumented } from './openapi-responses';
import { tokenFor } from './tokens';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export interface CallOptions {
  /** A user id to make a valid token for, or `{ authorization }` to send a given Authorization value. */
  as?: string | { authorization: string };
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (typeof options.as === 'string') headers.authorization = `Bearer ${await tokenFor(options.as)}`;
  else if (options.as) headers.authorization = options.as.authorization;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const result = await invoke({ method, url: path, headers, body });
  if (!result) throw new Error(`No route for ${method} ${path}`);
  expectDocumented(result);
  return { status: result.status, body: result.text ? JSON.parse(result.text) : undefined, headers: result.headers };
};
