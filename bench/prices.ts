// The published on-demand prices the cost table uses (us-east-1, USD). They were taken from AWS's public price
// pages as last known to the authors, not fetched by the benchmark: check them on the pricing pages before relying
// on the cost table (docs/capacity.md says where).
import { FUNCTION_MEMORY_MB } from '../lib/api-function';

export const PRICES = {
  region: 'us-east-1 (US East, N. Virginia)',
  dynamoDb: {
    /** On-demand, Standard table class, per million request units; in effect since 2024-11-01 (announced 2024-11-14, a 50% cut). */
    perMillionReadUnits: 0.125,
    perMillionWriteUnits: 0.625,
    since: '2024-11-01',
  },
  lambda: {
    /** Arm64 (Graviton2), first 7.5 billion GB-s a month; per request $0.20 per million. Published 2021-09-29 (arm64 launch). */
    perGbSecondArm64: 0.0000133334,
    perMillionRequests: 0.2,
    since: '2021-09-29',
    memoryMb: FUNCTION_MEMORY_MB,
  },
  httpApi: {
    /** API Gateway HTTP API, first 300 million requests a month (then $0.90), each request metered in 512 KB units. Since HTTP APIs became generally available, 2020-03-12. */
    perMillionRequests: 1.0,
    since: '2020-03-12',
  },
} as const;

/** USD per million requests of an operation that consumes these units and runs this long. */
export const costPerMillion = (readUnits: number, writeUnits: number, durationMs: number) => {
  const dynamoDb = readUnits * PRICES.dynamoDb.perMillionReadUnits + writeUnits * PRICES.dynamoDb.perMillionWriteUnits;
  // Lambda bills duration in 1 ms steps.
  const gbSeconds = (PRICES.lambda.memoryMb / 1024) * (Math.ceil(durationMs) / 1000);
  const lambda = PRICES.lambda.perMillionRequests + gbSeconds * PRICES.lambda.perGbSecondArm64 * 1e6;
  const api = PRICES.httpApi.perMillionRequests;
  return { dynamoDb, lambda, api, total: dynamoDb + lambda + api };
};
