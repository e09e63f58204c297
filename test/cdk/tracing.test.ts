// X-Ray: active tracing on every function, the Powertools Tracer told never to capture responses or errors (they
// carry personal data), and the role allowed to send segments.
import { TRACER_ENVIRONMENT } from '../../lib/api-function';
import { asArray, build, ofType, statementsOf, type Built } from '../support/template';

describe('tracing', () => {
  let built: Built;
  beforeAll(() => {
    built = build();
  });

  it('is active on every function', () => {
    const functions = ofType(built.api, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) expect({ id, tracing: fn.Properties.TracingConfig }).toEqual({ id, tracing: { Mode: 'Active' } });
  });

  it('never captures responses or errors, and traces DynamoDB through its client rather than all of node:http(s)', () => {
    const expected = { POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false', POWERTOOLS_TRACER_CAPTURE_ERROR: 'false', POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false' };
    expect(TRACER_ENVIRONMENT).toEqual(expected);
    for (const [id, fn] of ofType(built.api, 'AWS::Lambda::Function')) {
      expect({ id, env: fn.Properties.Environment.Variables }).toEqual({ id, env: expect.objectContaining(expected) });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED ?? 'true').toBe('true');
    }
  });

  it('lets every function role send segments and telemetry, and nothing more on X-Ray', () => {
    for (const [id] of ofType(built.api, 'AWS::Lambda::Function')) {
      const xray = statementsOf(built, id).filter((s) => asArray(s.Action).some((a) => a.startsWith('xray:')));
      expect({ id, xray }).toEqual({ id, xray: [{ Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' }] });
    }
  });
});
