// The Powertools Tracer, in a module of its own so that observability.ts can load it in Lambda only. Imported here,
// not require()d there, so the bundle holds the tracer's ES module build, which shares Powertools commons with the
// logger and metrics (a require() would add the CommonJS copy of commons to every bundle).
import { Tracer } from '@aws-lambda-powertools/tracer';

export const createTracer = (serviceName: string): Tracer => new Tracer({ serviceName });
