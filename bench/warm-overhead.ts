// Figure 4: warm overhead of the middleware chain per request. A worker process runs each handler many times in a
// row with DynamoDB replaced by an in-memory fake, against a bare handler that makes the same fake calls and
// returns the same response with no middleware. The handlers log at INFO and emit metrics, as deployed.
import type { FigureResult } from './report';
import { formatSummary, pairwiseRatios, summarize } from './stats';
import { Worker } from './processes';
import type { WarmResult } from './warm-overhead-worker';

const ITERATIONS = 1500;
const ROUNDS = 7;

export const warmOverheadFigure = async (): Promise<FigureResult> => {
  const worker = new Worker('bench/warm-overhead-worker.ts', {
    ...process.env,
    POWERTOOLS_LOG_LEVEL: 'INFO', // as lib/api-function.ts deploys them
    POWERTOOLS_METRICS_DISABLED: 'false',
  });
  let result: WarmResult;
  try {
    result = await worker.request<WarmResult>('measure', { iterations: ITERATIONS, rounds: ROUNDS });
  } finally {
    await worker.stop();
  }
  const rows = result.scenarios.map((s) => {
    const chain = summarize(s.chainUs);
    const bare = summarize(s.bareUs);
    const overhead = summarize(s.chainUs.map((c, i) => c - (s.bareUs[i] as number)));
    return [s.name, formatSummary(chain, 0), formatSummary(bare, 0), formatSummary(overhead, 0), (chain.median / bare.median).toFixed(1), formatSummary(summarize(pairwiseRatios(s.chainUs, s.bareUs)), 1)];
  });
  const jwt = summarize(result.jwtVerifyUs);
  const jwtCached = summarize(result.jwtCachedUs);
  return {
    title: '6. Warm overhead of the middleware chain (reported; no bar)',
    method:
      `${ROUNDS} rounds (after one warm-up round) of ${result.iterations} sequential requests per scenario, in a worker process; µs per request. ` +
      'Chain = the real handler (Powertools logger and metrics, header normaliser, JWT verify (RS256, JWKS in memory), body limits, context read, JSON parse, ' +
      'validation, role check, response/error mapping) with DynamoDB replaced by an in-memory fake. Bare = the same fake calls and response, nothing else. ' +
      'Overhead = chain − bare, round by round.',
    columns: ['request', 'chain µs', 'bare µs', 'overhead µs', 'ratio chain/bare', 'per-round ratio'],
    rows,
    checks: [],
    notes: [
      'Unless the row says otherwise, every request carries the same caller\'s token, so after the first one the token comes from the cache of verified tokens (functions/http/middleware/authenticate.ts).',
      `JWT verification alone (verifyBearer): ${formatSummary(jwt, 0)} µs for a token not seen before (RS256 signature through WebCrypto, and the claims), ${formatSummary(jwtCached, 1)} µs for one already verified.`,
    ],
  };
};
