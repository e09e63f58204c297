// Reading the synthesized templates in tests: both stacks as buildApp builds them (bundling skipped), values made
// readable across the stack boundary, the function behind each route, and the IAM statements a function's role gets.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { operationPaths, OPERATIONS, type Operation } from '../../functions/common/operations';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
type Resources = Record<string, Json>;

export interface Built {
  api: Json;
  state: Json;
  apiTemplate: Template;
  stateTemplate: Template;
}

/** Context of a VPC-mode deployment (used by several tests). */
export const VPC_CONTEXT: Record<string, string> = {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  subnetIds: 'subnet-0a1b2c3d4e5f60718,subnet-0b1c2d3e4f5a60718',
  subnetAvailabilityZones: 'eu-west-1a,eu-west-1b',
  subnetRouteTableIds: 'rtb-0a1b2c3d4e5f60718,rtb-0b1c2d3e4f5a60718',
};

/** Builds both stacks on a fresh App; context values are strings, as `cdk -c key=value` passes them. */
export const build = (context: Record<string, string> = {}): Built => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const { state, api } = buildApp(app);
  const apiTemplate = Template.fromStack(api);
  const stateTemplate = Template.fromStack(state);
  return { api: apiTemplate.toJSON(), state: stateTemplate.toJSON(), apiTemplate, stateTemplate };
};

export const ofType = (template: Json, type: string): [string, Json][] =>
  Object.entries<Json>(template.Resources as Resources).filter(([, r]) => r.Type === type);

export const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * A readable name for a CloudFormation value: `api:<id>.<attr>`, `api:Ref(<id>)`, imports followed into the state
 * stack's exports (`state:<id>.Arn`), joins concatenated.
 */
export const describeValue = (built: Built, value: Json, side: 'api' | 'state' = 'api'): string => {
  if (typeof value === 'string') return value;
  if (value?.['Fn::GetAtt']) return `${side}:${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}`;
  if (value?.Ref) return `${side}:Ref(${value.Ref})`;
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map((part) => describeValue(built, part, side)).join(separator);
  }
  if (value?.['Fn::ImportValue'] && typeof value['Fn::ImportValue'] === 'string') {
    const name = value['Fn::ImportValue'] as string;
    const output = Object.values<Json>(built.state.Outputs ?? {}).find((o) => o.Export?.Name === name);
    if (output) return describeValue(built, output.Value, 'state');
  }
  return JSON.stringify(value);
};

export const onlyOf = (template: Json, type: string): string => {
  const found = ofType(template, type);
  expect({ type, count: found.length }).toEqual({ type, count: 1 });
  return found[0]![0];
};

export const tableId = (built: Built): string => onlyOf(built.state, 'AWS::DynamoDB::Table');

/** The data key: the KMS key that encrypts the table. */
export const dataKeyId = (built: Built): string => {
  const table = built.state.Resources[tableId(built)];
  const keyId = /^state:(.+)\.Arn$/.exec(describeValue(built, table.Properties.SSESpecification.KMSMasterKeyId, 'state'))?.[1];
  expect(keyId).toBeDefined();
  return keyId as string;
};

const targetsCache = new WeakMap<Built, Map<string, string>>();

/** Function logical id behind each route key (`METHOD /path`), through the route's integration. */
export const routeTargets = (built: Built): Map<string, string> => {
  const cached = targetsCache.get(built);
  if (cached) return cached;
  const integrations = Object.fromEntries(ofType(built.api, 'AWS::ApiGatewayV2::Integration'));
  const targets = new Map<string, string>();
  for (const [, route] of ofType(built.api, 'AWS::ApiGatewayV2::Route')) {
    const target = describeValue(built, route.Properties.Target); // integrations/api:Ref(<integrationId>)
    const integrationId = /^integrations\/api:Ref\((.+)\)$/.exec(target)?.[1];
    expect(integrationId).toBeDefined();
    const integration = integrations[integrationId as string];
    expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    const fn = /^api:(.+)\.Arn$/.exec(describeValue(built, integration.Properties.IntegrationUri))?.[1];
    expect(fn).toBeDefined();
    targets.set(route.Properties.RouteKey as string, fn as string);
  }
  targetsCache.set(built, targets);
  return targets;
};

export const routeKeys = (op: Operation): string[] => operationPaths(op).map((path) => `${op.method} ${path}`);

/** The one function serving every route of the operation. */
export const functionOf = (built: Built, op: Operation): string => {
  const targets = routeTargets(built);
  const fns = new Set(routeKeys(op).map((key) => targets.get(key)));
  expect(fns.size).toBe(1);
  const [fn] = [...fns];
  expect(fn).toBeDefined();
  return fn as string;
};

/** The functions serving the operations (any other function, e.g. for /openapi.json, needs no table or JWT). */
export const operationFunctions = (built: Built): [string, Json][] =>
  [...new Set(OPERATIONS.map((op) => functionOf(built, op)))].map((id) => [id, built.api.Resources[id]]);

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: Json;
  Condition?: Json;
}

export const roleOf = (built: Built, functionId: string): [string, Json] => {
  const fn = built.api.Resources[functionId];
  const roleId = /^api:(.+)\.Arn$/.exec(describeValue(built, fn.Properties.Role))?.[1] as string;
  const role = built.api.Resources[roleId];
  expect(role?.Type).toBe('AWS::IAM::Role');
  return [roleId, role];
};

/** Every statement the function's role grants, from inline, attached and managed policies. */
export const statementsOf = (built: Built, functionId: string): Statement[] => {
  const [roleId, role] = roleOf(built, functionId);
  const inline = asArray<Json>(role.Properties.Policies).flatMap((p) => asArray<Statement>(p.PolicyDocument.Statement));
  const attached = ofType(built.api, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray<Json>(p.Properties.Roles).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => asArray<Statement>(p.Properties.PolicyDocument.Statement));
  const managed = ofType(built.api, 'AWS::IAM::ManagedPolicy')
    .filter(([, p]) => asArray<Json>(p.Properties.Roles).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => asArray<Statement>(p.Properties.PolicyDocument.Statement));
  return [...inline, ...attached, ...managed];
};

export const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

export const isDynamo = (action: string): boolean => action === '*' || action.toLowerCase().startsWith('dynamodb:');
