// The benchmarks' calls, through the one in-process invoker (local/invoke.ts): a request with a token and a JSON body.
import { callPrepared, prepareInvoke, type PreparedInvoke } from '../local/invoke';

export type PreparedCall = PreparedInvoke;

/** Resolves the route and loads its handler once; `event()` builds a fresh event per call (middlewares mutate it). */
export const prepareCall = async (method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<PreparedCall> => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const prepared = await prepareInvoke({ method, url: path, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (!prepared) throw new Error(`No route for ${method} ${path}`);
  return prepared;
};

export const invoke = async (call: PreparedCall): Promise<{ status: number; body: any }> => {
  const { status, text } = await callPrepared(call);
  return { status, body: text ? JSON.parse(text) : undefined };
};
