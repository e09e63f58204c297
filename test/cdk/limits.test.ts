// Load limits from context: the write routes' own throttle (HTTP API route settings) beside the stage's default
// route throttle, and opt-in reserved concurrency for every function.
import { OPERATIONS } from '../../functions/common/operations';
import { WRITE_METHODS } from '../../lib/api-stack';
import { WRITE_THROTTLE_DEFAULTS } from '../../lib/deploy-config';
import { asArray, build, onlyOf, ofType, routeKeys, type Built } from '../support/template';

const WRITE_ROUTE_KEYS = OPERATIONS.filter((op) => WRITE_METHODS.includes(op.method)).flatMap(routeKeys).sort();

const stageOf = (built: Built) => built.api.Resources[onlyOf(built.api, 'AWS::ApiGatewayV2::Stage')];

describe('write-route throttles', () => {
  it('throttle every POST/PUT/DELETE route of the operations list at 10 requests/s, bursts of 20, by default', () => {
    expect(WRITE_THROTTLE_DEFAULTS).toEqual({ rateLimit: 10, burstLimit: 20 });
    expect(WRITE_ROUTE_KEYS.length).toBeGreaterThan(10);
    const settings = stageOf(build()).Properties.RouteSettings as Record<string, unknown>;
    expect(Object.keys(settings).sort()).toEqual(WRITE_ROUTE_KEYS);
    for (const key of WRITE_ROUTE_KEYS) expect(settings[key]).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    for (const key of Object.keys(settings)) expect(key).not.toMatch(/^GET /);
  });

  it('keep the stage’s default route throttle for every other route', () => {
    expect(stageOf(build()).Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
  });

  it('come from -c writeThrottleRateLimit and -c writeThrottleBurstLimit', () => {
    const settings = stageOf(build({ writeThrottleRateLimit: '25', writeThrottleBurstLimit: '60' })).Properties.RouteSettings as Record<string, unknown>;
    for (const key of WRITE_ROUTE_KEYS) expect(settings[key]).toEqual({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 60 });
  });

  it('default to no more than the stage allows', () => {
    const settings = stageOf(build({ throttleRateLimit: '4', throttleBurstLimit: '8' })).Properties.RouteSettings as Record<string, unknown>;
    for (const key of WRITE_ROUTE_KEYS) expect(settings[key]).toEqual({ ThrottlingRateLimit: 4, ThrottlingBurstLimit: 8 });
  });

  it('the stage is created after the routes it names (CloudFormation refuses settings for a missing route)', () => {
    const built = build();
    const routeIds = new Map(ofType(built.api, 'AWS::ApiGatewayV2::Route').map(([id, r]) => [r.Properties.RouteKey as string, id]));
    const dependsOn = asArray<string>(stageOf(built).DependsOn);
    for (const key of WRITE_ROUTE_KEYS) expect({ key, after: dependsOn.includes(routeIds.get(key) as string) }).toEqual({ key, after: true });
  });

  it.each([['writeThrottleRateLimit', '0'], ['writeThrottleBurstLimit', 'many']])('refuse -c %s=%s', (key, value) => {
    expect(() => build({ [key]: value })).toThrow(new RegExp(key));
  });
});

describe('reserved concurrency', () => {
  it('is off by default: the functions share the account’s unreserved pool', () => {
    for (const [id, fn] of ofType(build().api, 'AWS::Lambda::Function')) {
      expect({ id, reserved: fn.Properties.ReservedConcurrentExecutions }).toEqual({ id, reserved: undefined });
    }
  });

  it('reserves -c reservedConcurrency=N for every function', () => {
    const functions = ofType(build({ reservedConcurrency: '5' }).api, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(OPERATIONS.length);
    for (const [id, fn] of functions) expect({ id, reserved: fn.Properties.ReservedConcurrentExecutions }).toEqual({ id, reserved: 5 });
  });

  it.each([['0'], ['-2'], ['2.5'], ['lots']])('refuses -c reservedConcurrency=%s', (value) => {
    expect(() => build({ reservedConcurrency: value })).toThrow(/reservedConcurrency/);
  });
});
