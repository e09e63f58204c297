// The benchmarks' calls, through the one in-process invoker (local/invoke.ts): a request with a token and a JSON body.
import { callPrepared, prepareInvoke, type PreparedInvoke } from '../local/invoke';

export type PreparedCall = PreparedInvoke;

/** Resolves the route and loads its handler once; `event()` builds a fresh event per call (middlewares mutate it). */
export const prepareCall = async (
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<PreparedCall> => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const prepared = await prepareInvoke({ method, url: path, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (!prepared) throw new Error(`No route for ${method} ${path}`);
  return prepared;
};

export interface Invoked {
  status: number;
  body: any;
  headers: Record<string, string>;
  /** Length of the response body as sent, in bytes. */
  bytes: number;
}

export const invoke = async (call: PreparedCall): Promise<Invoked> => {
  const { status, text, headers } = await callPrepared(call);
  return { status, body: text ? JSON.parse(text) : undefined, headers, bytes: Buffer.byteLength(text) };
};
