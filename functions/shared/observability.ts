// Powertools Logger and Metrics, one instance each per process. Nothing logs tokens or request bodies.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const serviceName = 'obp-person-api';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: 'ObpPersonApi', serviceName });

/** One `Requests` count per request, by operation and outcome (2xx/4xx/5xx). */
export const countRequest = (operation: string, status: number): void => {
  metrics.addDimensions({ operation, outcome: `${Math.floor(status / 100)}xx` });
  metrics.addMetric('Requests', MetricUnit.Count, 1);
};
