// The local HTTP server: a thin adapter that serves the operations list's routes by invoking the same Lambda
// handlers with API Gateway v2 events, plus the development token issuer. No business logic lives here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { unknownRoute } from '../functions/core/obp-errors';
import { lambdaContext, toApiGatewayEvent } from './api-gateway-event';
import type { DevTokenIssuer } from './dev-tokens';
import { MAX_EXPIRES_IN } from './dev-tokens';
import { findRoute, ROUTES } from './routes';

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

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
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

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
        return sendJson(res, 400, { code: 400, message: 'OBP-10001: Incorrect json format. Send {"user_id": "alice"}.' });
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
      if (problem) return sendJson(res, 400, { code: 400, message: `OBP-10001: Incorrect json format. ${problem}` });
      const token = await tokens.issue({ user_id: user_id as string, email: email as string | undefined, expires_in: expires_in as number | undefined });
      sendJson(res, 201, { token });
    },
  },
];

export interface LocalServerOptions {
  tokens: DevTokenIssuer;
  extraRoutes?: LocalRoute[];
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
      const found = findRoute(method, path);
      if (!found) {
        const error = unknownRoute(path, req.headers['content-type']);
        return sendJson(res, error.status, { code: error.status, message: error.message });
      }
      const { route, params } = found;
      const event = toApiGatewayEvent({
        method,
        url,
        headers: req.headers,
        body,
        routeKey: `${route.method} ${route.template}`,
        pathParameters: params,
        sourceIp: req.socket.remoteAddress,
      });
      const result = await (await loadHandler(route.entry))(event, lambdaContext(route.operation.name));
      const status = result.statusCode ?? 200;
      res.writeHead(status, result.headers as Record<string, string>);
      res.end(result.body ?? '');
      options.onRequest?.({ method, path, status, ms: performance.now() - started });
    })().catch((error: Error) => {
      // Only the adapter itself can fail here; handlers render their own errors.
      console.error('local server error:', error.message);
      if (!res.headersSent) sendJson(res, 500, { code: 500, message: 'OBP-50000: Unknown Error.' });
      else res.end();
    });
  });
};

/** Loads every handler once, so a broken handler fails at start rather than on first call. */
export const preloadHandlers = async (): Promise<void> => {
  await Promise.all([...new Set(ROUTES.map((r) => r.entry))].map(loadHandler));
};
