// The local server's documentation routes: the OpenAPI document at /openapi.json (the same document the AWS
// deployment publishes at GET /openapi.json) and a Swagger UI page at /docs whose assets all come from the
// swagger-ui-dist package in node_modules: nothing is loaded from a CDN.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildOpenApi, OPENAPI_ROUTE, type OpenApiDocument } from '../scripts/openapi';
import type { LocalRoute } from './server';

export const DOCS_PATH = '/docs';

/** The files of swagger-ui-dist the page uses, served under /docs/. */
export const SWAGGER_UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

// Only same-origin resources; Swagger UI needs inline styles and data: images (its SVG icons).
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const INDEX_HTML = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>OBP Person API: API documentation</title>
    <link rel="stylesheet" type="text/css" href="${DOCS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
    <style>body { margin: 0; background: #fafafa; }</style>
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="${DOCS_PATH}/docs.js" charset="UTF-8"></script>
  </body>
</html>
`;

const INITIALIZER = `// Points Swagger UI at this server's OpenAPI document.
window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_ROUTE.path)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  displayRequestDuration: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  filter: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/** The directory of the installed swagger-ui-dist package. */
export const swaggerUiDistDir = (): string => dirname(require.resolve('swagger-ui-dist/package.json'));

const send = (res: Parameters<LocalRoute['handle']>[2], contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
};

/**
 * GET /openapi.json, GET /docs (and /docs/) and the page's assets. The assets are read once, here, so a missing
 * package is an error at start, not a broken page later.
 */
export const docsRoutes = (document: OpenApiDocument = buildOpenApi()): LocalRoute[] => {
  const json = JSON.stringify(document);
  const dist = swaggerUiDistDir();
  const assets = Object.entries(SWAGGER_UI_ASSETS).map(([file, contentType]): LocalRoute => {
    const body = readFileSync(join(dist, file));
    return { method: 'GET', path: `${DOCS_PATH}/${file}`, handle: (_req, _body, res) => send(res, contentType, body) };
  });
  const page: LocalRoute['handle'] = (_req, _body, res) =>
    send(res, 'text/html; charset=utf-8', INDEX_HTML, { 'content-security-policy': CONTENT_SECURITY_POLICY });
  return [
    { method: OPENAPI_ROUTE.method, path: OPENAPI_ROUTE.path, handle: (_req, _body, res) => send(res, 'application/json', json) },
    { method: 'GET', path: DOCS_PATH, handle: page },
    { method: 'GET', path: `${DOCS_PATH}/`, handle: page },
    { method: 'GET', path: `${DOCS_PATH}/docs.js`, handle: (_req, _body, res) => send(res, 'text/javascript; charset=utf-8', INITIALIZER) },
    ...assets,
  ];
};
