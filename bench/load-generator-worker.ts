// Worker of figure 7: the load generator (autocannon) in its own process. It is started without the `import`
// condition: under it, tsx on Node 24 cannot load the JSON files autocannon's dependencies require (mime-db).
import autocannon from 'autocannon';
import { serveRequests } from './processes';

export interface LoadRun {
  url: string;
  body: string;
  connections: number;
  seconds: number;
  /** One bearer token per connection: each connection is its own caller. */
  tokens: string[];
}

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  p50: number;
  statusCodeStats: Record<string, { count: number }>;
}

const run = async (args: LoadRun): Promise<LoadResult> => {
  let connection = 0;
  const result = await autocannon({
    url: args.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: args.body,
    connections: args.connections,
    duration: args.seconds,
    setupClient: (client) =>
      client.setHeaders({ authorization: `Bearer ${args.tokens[connection++ % args.tokens.length]}`, 'content-type': 'application/json' }),
  });
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    duration: result.duration,
    p50: result.latency.p50,
    statusCodeStats: result.statusCodeStats,
  };
};

serveRequests({ run });
