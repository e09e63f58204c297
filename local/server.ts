// The local HTTP server: a thin adapter that serves the operations list's routes by invoking the same Lambda
// handlers with API Gateway v2 events, plus the development token issuer. No business logic lives here.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorBody, invalidJson, unknownError, unknownRoute, type ObpError } from '../functions/common/obp-errors';
import type { DevTokenIssuer } from './dev-tokens';
import { MAX_EXPIRES_IN } from './dev-tokens';
import { invoke, loadHandler } from './invoke';
import { ROUTES } from './routes';

/** A local-only endpoint (token issuer, JWKS, docs); answered before the API's routes. */
export interface LocalRoute {
  method: string;
  path: string;
  handle: (req: IncomingMessage, body: string, res: ServerResponse) => Promise<void> | void;
}

const MAX_REQUEST_BYTES = 10 * 1024 * 1024; // API Gateway's payload limit

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(JSON.stringify(body));
};

const sendError = (res: ServerResponse, error: ObpError): void => sendJson(res, error.status, errorBody(error.status, error.message));

const tokenRoutes = (tokens: DevTokenIssuer): LocalRoute[] => [
  { method: 'GET', path: '/.well-known/jwks.json', handle: (_req, _body, res) => sendJson(res, 200, tokens.jwks) },
  {
    method: 'POST',
    path: '/local/tokens',
    handle: async (_req, body, res) => {
      let request: { user_id?: unknown; email?: unknown; expires_in?: unknown };
      try {
        request = JSON.parse(body || '{}');
      } catch {
        return sendError(res, invalidJson('Send {"user_id": "alice"}.'));
      }
      const { user_id, email, expires_in } = request ?? {};
      const problem =
        typeof user_id !== 'string' || user_id === '' || user_id.length > 255
          ? 'user_id must be a non-empty string of at most 255 characters.'
          : email !== undefined && typeof email !== 'string'
            ? 'email must be a string.'
            : expires_in !== undefined && !(Number.isInteger(expires_in) && (expires_in as number) > 0 && (expires_in as number) <= MAX_EXPIRES_IN)
              ? `expires_in must be a whole number of seconds from 1 to ${MAX_EXPIRES_IN}.`
              : undefined;
      if (problem) return sendError(res, invalidJson(problem));
      const token = await tokens.issue({ user_id: user_id as string, email: email as string | undefined, expires_in: expires_in as number | undefined });
      sendJson(res, 201, { token });
    },
  },
];

export interface LocalServerOptions {
  tokens: DevTokenIssuer;
  extraRoutes?: LocalRoute[];
  /** Receives every API answer (RESPONSE_LOG: the end-to-end tests check them against the OpenAPI document). */
  onResponse?: (answer: { route: { method: string; template: string }; status: number; text: string }) => void;
  /** Called after each API request (the start script prints an access log line). */
  onRequest?: (line: { method: string; path: string; status: number; ms: number }) => void;
}

export const createLocalServer = (options: LocalServerOptions): Server => {
  const localRoutes = [...tokenRoutes(options.tokens), ...(options.extraRoutes ?? [])];

  return createServer((req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0] as string;
    void (async () => {
      const body = await readBody(req);
      const local = localRoutes.find((r) => r.method === method && r.path === path);
      if (local) return local.handle(req, body, res);
      const result = await invoke({ method, url, headers: req.headers, body, sourceIp: req.socket.remoteAddress });
      if (!result) return sendError(res, unknownRoute(path, req.headers['content-type']));
      options.onResponse?.(result);
      res.writeHead(result.status, result.headers);
      res.end(result.text);
      options.onRequest?.({ method, path, status: result.status, ms: performance.now() - started });
    })().catch((error: Error) => {
      // Only the adapter itself can fail here; handlers render their own errors.
      const requestId = randomUUID();
      console.error(`local server error (request id ${requestId}):`, error.message);
      if (!res.headersSent) sendError(res, unknownError(requestId));
      else res.end();
    });
  });
};

/** Loads every handler once, so a broken handler fails at start rather than on first call. */
export const preloadHandlers = async (): Promise<void> => {
  await Promise.all([...new Set(ROUTES.map((r) => r.entry))].map(loadHandler));
};
