// Stands in for node:http in the function bundles (FUNCTION_BUNDLING's --alias in lib/api-function.ts) and loads it
// on first use. Since Node 22 the module exports WebSocket, so importing it loads Node's bundled undici and its HTTP/2,
// worker and web-stream internals: about 28 ms of CPU at every cold start on Node 24, for a module no function calls
// (DynamoDB goes over node:https; the JWKS fetch over fetch). It is imported at load time only for a name or two
// (@middy/util's STATUS_CODES for error messages; the X-Ray SDK's plugins and sampling client, which Lambda does not
// run; the Powertools Tracer's HTTP capture, off in these functions). Every export reads and writes through to the
// real module, loaded then; test/unit/bundling.test.ts checks the names against Node's own.
'use strict';

const NAMES = [
  '_connectionListener', 'METHODS', 'STATUS_CODES', 'Agent', 'ClientRequest', 'IncomingMessage', 'OutgoingMessage',
  'Server', 'ServerResponse', 'createServer', 'validateHeaderName', 'validateHeaderValue', 'get', 'request',
  'setMaxIdleHTTPParsers', 'setGlobalProxyFromEnv', 'maxHeaderSize', 'globalAgent', 'WebSocket', 'CloseEvent',
  'MessageEvent',
];

require('./builtin-on-first-use.cjs')(module.exports, 'node:http', NAMES);
