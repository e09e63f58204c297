// Powertools Logger, Metrics and Tracer, one instance each per process. Nothing logs tokens or request bodies.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = 'obp-person-api';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: 'ObpPersonApi', serviceName });

/**
 * X-Ray tracing, in Lambda only (the CDK sets POWERTOOLS_TRACER_CAPTURE_RESPONSE/_ERROR=false: both hold personal
 * data). Required only there because its X-Ray SDK installs a process-wide async hook on import, which slows every
 * request of the local server and the tests (bench figure 7), where tracing is off anyway.
 */
export const tracer: Tracer | undefined = process.env.AWS_EXECUTION_ENV
  ? (require('./tracer') as typeof import('./tracer')).createTracer(serviceName)
  : undefined;

/** One `Requests` count per request, by operation and outcome (2xx/4xx/5xx). */
export const countRequest = (operation: string, status: number): void => {
  metrics.addDimensions({ operation, outcome: `${Math.floor(status / 100)}xx` });
  metrics.addMetric('Requests', MetricUnit.Count, 1);
};
