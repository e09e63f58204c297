// What `sam local start-api -t cdk.out/ObpPersonApi.template.json --env-vars local/sam-env.example.json` needs from
// the synthesized API template. SAM itself needs Docker, which the project's machines do not have, so this test
// checks the template instead: asset metadata on every function, routes whose integrations resolve to functions of
// the same template, and every variable of the env-vars file declared on every function (SAM only overrides
// variables the template declares; it silently drops the others).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { operationPaths, OPERATIONS } from '../../functions/common/operations';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ENV_FILE = join(__dirname, '..', '..', 'local', 'sam-env.example.json');

const synthApi = (context: Record<string, string> = {}): Json => {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-asset-metadata': true, ...context },
  });
  return Template.fromStack(buildApp(app).api).toJSON();
};

const ofType = (template: Json, type: string): [string, Json][] =>
  Object.entries<Json>(template.Resources).filter(([, r]) => r.Type === type);

const CONFIGURATIONS: [string, Record<string, string>][] = [
  ['Cognito user pool (default)', {}],
  ['external issuer', { jwtIssuer: 'https://login.example.com/realms/bank', jwtAudience: 'obp-person-api' }],
];

describe.each(CONFIGURATIONS)('template for sam local start-api: %s', (_label, context) => {
  let template: Json;
  beforeAll(() => {
    template = synthApi(context);
  });

  it('every function carries the asset metadata SAM reads its code from', () => {
    const functions = ofType(template, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(OPERATIONS.length);
    for (const [id, fn] of functions) {
      expect({ id, metadata: fn.Metadata }).toEqual({
        id,
        metadata: expect.objectContaining({ 'aws:asset:path': expect.any(String), 'aws:asset:property': 'Code' }),
      });
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.Runtime).toMatch(/^nodejs\d+\.x$/);
    }
  });

  it('has a route for every operation path, each integrated (Lambda proxy, payload 2.0) with a function of this template', () => {
    const integrations = Object.fromEntries(ofType(template, 'AWS::ApiGatewayV2::Integration'));
    const routes = new Map(ofType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey as string, r.Properties]));
    const [[apiId]] = ofType(template, 'AWS::ApiGatewayV2::Api') as [[string, Json]];
    for (const op of OPERATIONS) {
      for (const path of operationPaths(op)) {
        const route = routes.get(`${op.method} ${path}`);
        expect({ route: `${op.method} ${path}`, found: route !== undefined }).toEqual({ route: `${op.method} ${path}`, found: true });
        expect(route.ApiId).toEqual({ Ref: apiId });
        const [prefix, parts] = route.Target['Fn::Join'] as [string, Json[]];
        expect(prefix).toBe('');
        expect(parts[0]).toBe('integrations/');
        const integration = integrations[parts[1].Ref as string];
        expect(integration.Properties).toMatchObject({ ApiId: { Ref: apiId }, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
        const [functionId, attribute] = integration.Properties.IntegrationUri['Fn::GetAtt'] as [string, string];
        expect(attribute).toBe('Arn');
        expect(template.Resources[functionId].Type).toBe('AWS::Lambda::Function');
        expect(template.Resources[functionId].Properties.Description).toMatch(new RegExp(`^${op.name}:`));
      }
    }
  });

  it('declares on every function each variable local/sam-env.example.json sets (so SAM can override it)', () => {
    const envFile = JSON.parse(readFileSync(ENV_FILE, 'utf8')) as Record<string, Record<string, string>>;
    const functions = ofType(template, 'AWS::Lambda::Function');
    // The operations' functions need them all; another function (e.g. for /openapi.json) simply ignores the rest.
    const operationFunctions = functions.filter(([, fn]) => OPERATIONS.some((op) => String(fn.Properties.Description).startsWith(`${op.name}:`)));
    expect(operationFunctions).toHaveLength(OPERATIONS.length);
    for (const [section, variables] of Object.entries(envFile)) {
      // "Parameters" applies to every function; any other key must be a function's logical id.
      const targets = section === 'Parameters' ? operationFunctions : functions.filter(([id]) => id === section);
      expect({ section, found: targets.length > 0 }).toEqual({ section, found: true });
      for (const [id, fn] of targets) {
        const declared = Object.keys(fn.Properties.Environment?.Variables ?? {});
        for (const name of Object.keys(variables)) expect({ id, name, declared: declared.includes(name) }).toEqual({ id, name, declared: true });
      }
    }
  });
});

describe('local/sam-env.example.json', () => {
  it('points the functions at DynamoDB Local and the local server’s issuer, audience and JWKS', () => {
    const { Parameters } = JSON.parse(readFileSync(ENV_FILE, 'utf8')) as { Parameters: Record<string, string> };
    expect(Parameters).toMatchObject({
      DYNAMODB_ENDPOINT: 'http://host.docker.internal:8000',
      TABLE_NAME: 'obp-person-api',
      JWT_ISSUER: 'obp-person-api-local',
      JWT_AUDIENCE: 'obp-person-api',
      JWT_JWKS_URL: 'http://host.docker.internal:3000/.well-known/jwks.json',
    });
    for (const value of Object.values(Parameters)) expect(typeof value).toBe('string');
  });
});
