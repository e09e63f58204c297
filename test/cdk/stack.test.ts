// Template tests of both stacks as buildApp builds them (bundling skipped): functions, least-privilege IAM per
// operation, the table's protections, the routes of the operations list, stage throttling and access logs, CORS,
// the JWT issuer (Cognito by default, an external OIDC issuer by context) and the stack split.
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTION_BUNDLING, FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT } from '../../lib/api-function';
import { DEFAULT_LOG_RETENTION_DAYS } from '../../lib/deploy-config';
import { OPERATIONS } from '../../functions/common/operations';
import {
  asArray,
  build,
  describeValue,
  functionOf,
  isDynamo,
  operationFunctions,
  ofType,
  roleOf,
  routeKeys,
  routeTargets,
  sorted,
  statementsOf,
  tableId,
  type Built,
  type Json,
  type Statement,
} from '../support/template';

describe('CDK app: default configuration (Cognito user pool)', () => {
  let built: Built;
  beforeAll(() => {
    built = build();
  });

  describe('functions', () => {
    it('defines one function per operation (plus only functions serving non-operation routes)', () => {
      const functions = ofType(built.api, 'AWS::Lambda::Function').map(([id]) => id);
      const operationFunctions = new Set(OPERATIONS.map((op) => functionOf(built, op)));
      expect(operationFunctions.size).toBe(OPERATIONS.length); // no two operations share a function

      const operationRouteKeys = new Set(OPERATIONS.flatMap(routeKeys));
      const targets = routeTargets(built);
      const extras = functions.filter((id) => !operationFunctions.has(id));
      for (const extra of extras) {
        // e.g. a function for /openapi.json: it must serve a route that is not an operation's, and nothing else
        const served = [...targets].filter(([, fn]) => fn === extra).map(([key]) => key);
        expect(served.length).toBeGreaterThan(0);
        for (const key of served) expect(operationRouteKeys.has(key)).toBe(false);
      }
      expect(functions).toHaveLength(OPERATIONS.length + extras.length);
    });

    it('every function: newest Node.js runtime, arm64, memory and timeout set, source maps enabled, no reserved concurrency', () => {
      expect(FUNCTION_MEMORY_MB).toBe(512);
      expect(FUNCTION_TIMEOUT.toSeconds()).toBe(10);
      const functions = ofType(built.api, 'AWS::Lambda::Function');
      expect(functions.length).toBeGreaterThanOrEqual(OPERATIONS.length);
      for (const [id, fn] of functions) {
        const p = fn.Properties;
        expect({ id, runtime: p.Runtime, architectures: p.Architectures }).toEqual({ id, runtime: 'nodejs24.x', architectures: ['arm64'] });
        expect({ id, memory: p.MemorySize, timeout: p.Timeout }).toEqual({ id, memory: FUNCTION_MEMORY_MB, timeout: FUNCTION_TIMEOUT.toSeconds() });
        expect(p.Handler).toBe('index.handler');
        expect(p.Environment.Variables.NODE_OPTIONS).toContain('--enable-source-maps');
        expect(p.ReservedConcurrentExecutions).toBeUndefined();
      }
      for (const [, fn] of operationFunctions(built)) {
        expect(fn.Properties.Environment.Variables).toMatchObject({
          POWERTOOLS_SERVICE_NAME: 'obp-person-api',
          POWERTOOLS_METRICS_NAMESPACE: 'ObpPersonApi',
          SUPER_ADMIN_USER_IDS: '',
          DYNAMODB_ENDPOINT: '', // the SDK's default endpoint in AWS; declared so `sam local --env-vars` can set it
        });
      }
    });

    it('bundles ESM, minified, with source maps and the AWS SDK inside (not visible in a template without bundling)', () => {
      expect(FUNCTION_BUNDLING).toMatchObject({ format: 'esm', minify: true, sourceMap: true, externalModules: [] });
    });

    it('every function logs to its own log group with the default one-year retention', () => {
      expect(DEFAULT_LOG_RETENTION_DAYS).toBe(365);
      const functions = ofType(built.api, 'AWS::Lambda::Function');
      const logGroups = Object.fromEntries(ofType(built.api, 'AWS::Logs::LogGroup'));
      const used = new Set<string>();
      for (const [id, fn] of functions) {
        const logGroupId = /^api:Ref\((.+)\)$/.exec(describeValue(built, fn.Properties.LoggingConfig?.LogGroup))?.[1];
        expect({ id, logGroupId: logGroupId !== undefined }).toEqual({ id, logGroupId: true });
        expect(logGroups[logGroupId as string]?.Properties.RetentionInDays).toBe(365);
        expect(used.has(logGroupId as string)).toBe(false);
        used.add(logGroupId as string);
      }
    });

    it('every function is invocable by API Gateway for each of its routes', () => {
      const permissions = ofType(built.api, 'AWS::Lambda::Permission').map(([, p]) => p.Properties);
      for (const op of OPERATIONS) {
        const fn = functionOf(built, op);
        const mine = permissions.filter(
          (p) => describeValue(built, p.FunctionName) === `api:${fn}.Arn` && p.Principal === 'apigateway.amazonaws.com' && p.Action === 'lambda:InvokeFunction',
        );
        expect({ op: op.name, permissions: mine.length }).toEqual({ op: op.name, permissions: routeKeys(op).length });
      }
    });
  });

  describe('IAM: least privilege per operation', () => {
    it.each(OPERATIONS.map((op) => [op.name, op] as const))('%s: exactly its table actions, on the table (and its indexes) only', (_name, op) => {
      const fn = functionOf(built, op);
      const statements = statementsOf(built, fn);
      const tableArn = `state:${tableId(built)}.Arn`;
      const allowed = sorted([tableArn, ...op.table.indexes.map((index) => `${tableArn}/index/${index}`)]);

      for (const s of statements) expect(s.Effect).toBe('Allow');
      const dynamo = statements.filter((s) => asArray(s.Action).some(isDynamo));
      expect(sorted(dynamo.flatMap((s) => asArray(s.Action)))).toEqual(sorted(op.table.actions));
      for (const s of dynamo) {
        expect(asArray(s.Action).every((a) => a.startsWith('dynamodb:') && !a.includes('*'))).toBe(true);
        for (const r of asArray<Json>(s.Resource)) expect(allowed).toContain(describeValue(built, r));
        // Every table statement is bound to partition-key prefixes (test/cdk/table-access.test.ts checks which).
        expect(s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toBeDefined();
      }
      if (op.table.actions.length === 0) expect(dynamo).toEqual([]);

      // Everything else: writing to the function's own log group, X-Ray, and (with table access) the table's key.
      const fnLogGroup = describeValue(built, built.api.Resources[fn].Properties.LoggingConfig.LogGroup).replace(/^api:Ref\((.+)\)$/, 'api:$1.Arn');
      const others = statements.filter((st) => !dynamo.includes(st)).map((st) => sorted(asArray(st.Action)).join(' '));
      expect(others.sort()).toEqual(
        [
          'logs:CreateLogStream logs:PutLogEvents',
          'xray:PutTelemetryRecords xray:PutTraceSegments',
          ...(op.table.actions.length === 0 ? [] : [op.table.writePartitions.length > 0 ? 'kms:Decrypt kms:Encrypt kms:GenerateDataKey' : 'kms:Decrypt']),
        ].sort(),
      );
      const logs = statements.find((st) => asArray(st.Action).includes('logs:PutLogEvents')) as Statement;
      expect(asArray<Json>(logs.Resource).map((r) => describeValue(built, r))).toEqual([fnLogGroup]);
    });

    it('roles carry no inline policy and no AWS managed policy; each gets one customer managed policy', () => {
      for (const [id] of ofType(built.api, 'AWS::Lambda::Function')) {
        const [roleId, role] = roleOf(built, id);
        expect({ id, inline: role.Properties.Policies ?? [], managed: role.Properties.ManagedPolicyArns ?? [] }).toEqual({ id, inline: [], managed: [] });
        const policies = ofType(built.api, 'AWS::IAM::ManagedPolicy').filter(([, p]) => asArray<Json>(p.Properties.Roles).some((r) => r.Ref === roleId));
        expect({ id, policies: policies.length }).toEqual({ id, policies: 1 });
        // The function is created only after its policy exists.
        expect(asArray(built.api.Resources[id].DependsOn)).toEqual(expect.arrayContaining([policies[0]![0], roleId]));
      }
      expect(ofType(built.api, 'AWS::IAM::Policy')).toEqual([]);
    });

    it('no policy in the app grants dynamodb:*, Scan, BatchWriteItem, DeleteTable or any wildcard action; DeleteItem only to the operations that remove items; only X-Ray has a wildcard resource', () => {
      const statements = [...ofType(built.api, 'AWS::IAM::Policy'), ...ofType(built.api, 'AWS::IAM::ManagedPolicy'), ...ofType(built.state, 'AWS::IAM::Policy')]
        .flatMap(([, p]) => asArray<Statement>(p.Properties.PolicyDocument.Statement));
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        for (const action of asArray(s.Action)) {
          expect(action).not.toContain('*');
          expect(['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteTable']).not.toContain(action);
        }
        if (asArray(s.Resource).includes('*')) expect(sorted(asArray(s.Action))).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
      // Removing items: revocations, unlinking, and the old number guard a renumbering deletes.
      expect(OPERATIONS.filter((op) => op.table.actions.includes('dynamodb:DeleteItem')).map((op) => op.name).sort()).toEqual(
        ['deleteEntitlement', 'deleteUserCustomerLink', 'updateCustomerNumber'],
      );
    });
  });

  describe('table', () => {
    it('has point-in-time recovery, deletion protection, encryption at rest and is retained', () => {
      const table = built.state.Resources[tableId(built)];
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() },
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
      });
      const indexNames = (table.Properties.GlobalSecondaryIndexes as Json[]).map((i) => i.IndexName);
      for (const index of OPERATIONS.flatMap((op) => op.table.indexes)) expect(indexNames).toContain(index);
    });

    it('lives in the state stack; the API stack holds no table and the state stack no function or API', () => {
      expect(ofType(built.state, 'AWS::DynamoDB::Table')).toHaveLength(1);
      expect(ofType(built.api, 'AWS::DynamoDB::Table')).toHaveLength(0);
      expect(ofType(built.api, 'AWS::DynamoDB::GlobalTable')).toHaveLength(0);
      expect(ofType(built.api, 'AWS::Cognito::UserPool')).toHaveLength(0);
      const stateTypes = new Set(Object.values<Json>(built.state.Resources).map((r) => r.Type as string));
      for (const type of stateTypes) expect(type).not.toMatch(/^AWS::(Lambda|ApiGatewayV2|ApiGateway|Logs)::/);
      // Its only IAM resource is the role AWS Backup assumes to back the table up.
      const roles = Object.values<Json>(built.state.Resources).filter((r) => String(r.Type).startsWith('AWS::IAM::'));
      expect(roles.map((r) => r.Type)).toEqual(['AWS::IAM::Role']);
      expect(roles[0].Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'backup.amazonaws.com' } }),
      ]);
      // The functions get the table name from the state stack.
      for (const [, fn] of operationFunctions(built)) {
        expect(describeValue(built, fn.Properties.Environment.Variables.TABLE_NAME)).toBe(`state:Ref(${tableId(built)})`);
      }
    });
  });

  describe('HTTP API', () => {
    it('has a route `METHOD path` for every path of every operation, and no other operation route besides the 404 catch-all', () => {
      const keys = ofType(built.api, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
      const expected = OPERATIONS.flatMap(routeKeys);
      for (const key of expected) expect(keys).toContain(key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of keys.filter((k) => !expected.includes(k))) expect(key).not.toMatch(/ \/obp\//); // extras: docs only
      // The one catch-all answers OBP's 404 body for paths no operation serves.
      expect(keys.filter((k) => k.startsWith('ANY ') || k === '$default')).toEqual(['ANY /{proxy+}']);
    });

    it('has one $default stage, auto-deployed, throttled at 50 requests/s with bursts of 100', () => {
      built.apiTemplate.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      built.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    it('writes JSON access logs with the request id and no header, token or body field, to a log group with retention', () => {
      const [[, stage]] = ofType(built.api, 'AWS::ApiGatewayV2::Stage') as [[string, Json]];
      const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
      const format = JSON.parse(Format as string) as Record<string, string>;
      expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
      for (const [key, variable] of Object.entries(format)) {
        expect(`${key}=${variable}`).not.toMatch(/header|authoriz|token|querystring|\$request\.|body/i);
      }
      const logGroupId = /^api:(.+)\.Arn$/.exec(describeValue(built, DestinationArn))?.[1] as string;
      expect(built.api.Resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
      expect(built.api.Resources[logGroupId].Properties.RetentionInDays).toBe(365);
    });

    it('has no CORS configuration by default', () => {
      const [[, api]] = ofType(built.api, 'AWS::ApiGatewayV2::Api') as [[string, Json]];
      expect(api.Properties.ProtocolType).toBe('HTTP');
      expect(api.Properties.CorsConfiguration).toBeUndefined();
    });
  });

  describe('JWT issuer: the Cognito user pool', () => {
    it('creates a user pool without self sign-up and a public client, both retained', () => {
      built.stateTemplate.resourceCountIs('AWS::Cognito::UserPool', 1);
      built.stateTemplate.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      const [[, pool]] = ofType(built.state, 'AWS::Cognito::UserPool') as [[string, Json]];
      expect(pool.DeletionPolicy).toBe('Retain');
      expect(pool.Properties).toMatchObject({ DeletionProtection: 'ACTIVE', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
      built.stateTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH']),
      });
    });

    it('points every function at the pool: issuer on cognito-idp, audience the client id', () => {
      const [[poolId]] = ofType(built.state, 'AWS::Cognito::UserPool') as [[string, Json]];
      const [[clientId]] = ofType(built.state, 'AWS::Cognito::UserPoolClient') as [[string, Json]];
      for (const [, fn] of operationFunctions(built)) {
        const env = fn.Properties.Environment.Variables;
        expect(describeValue(built, env.JWT_ISSUER)).toBe(`https://cognito-idp.api:Ref(AWS::Region).amazonaws.com/state:Ref(${poolId})`);
        expect(describeValue(built, env.JWT_AUDIENCE)).toBe(`state:Ref(${clientId})`);
        expect(env.JWT_ALGORITHMS).toBe('RS256');
        expect(env.JWT_JWKS_URL).toBe(''); // the default, <issuer>/.well-known/jwks.json
      }
    });

    it('outputs ApiUrl, JwtIssuer, JwtAudience, UserPoolId and UserPoolClientId', () => {
      const [[poolId]] = ofType(built.state, 'AWS::Cognito::UserPool') as [[string, Json]];
      const outputs = built.api.Outputs as Record<string, Json>;
      for (const name of ['ApiUrl', 'JwtIssuer', 'JwtAudience', 'UserPoolId', 'UserPoolClientId']) expect(outputs).toHaveProperty(name);
      const [[apiId]] = ofType(built.api, 'AWS::ApiGatewayV2::Api') as [[string, Json]];
      expect(describeValue(built, outputs.ApiUrl.Value)).toBe(`api:${apiId}.ApiEndpoint`);
      expect(describeValue(built, outputs.UserPoolId.Value)).toBe(`state:Ref(${poolId})`);
    });
  });
});

describe('CDK app: context options', () => {
  it('an external OIDC issuer (-c jwtIssuer -c jwtAudience -c jwksUrl) replaces the user pool', () => {
    const issuer = 'https://login.example.com/realms/bank';
    const jwksUrl = 'https://login.example.com/realms/bank/protocol/openid-connect/certs';
    const built = build({ jwtIssuer: issuer, jwtAudience: 'obp-person-api', jwksUrl });
    built.stateTemplate.resourceCountIs('AWS::Cognito::UserPool', 0);
    built.stateTemplate.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    built.stateTemplate.resourceCountIs('AWS::DynamoDB::Table', 1);
    const functions = operationFunctions(built);
    expect(functions).toHaveLength(OPERATIONS.length);
    for (const [, fn] of functions) {
      expect(fn.Properties.Environment.Variables).toMatchObject({ JWT_ISSUER: issuer, JWT_AUDIENCE: 'obp-person-api', JWT_JWKS_URL: jwksUrl });
    }
    const outputs = built.api.Outputs as Record<string, Json>;
    expect(outputs.JwtIssuer.Value).toBe(issuer);
    expect(outputs.JwtAudience.Value).toBe('obp-person-api');
    expect(outputs).toHaveProperty('ApiUrl');
    expect(outputs).not.toHaveProperty('UserPoolId');
    expect(outputs).not.toHaveProperty('UserPoolClientId');
  });

  it('an external issuer without jwksUrl leaves the key URL to the default <issuer>/.well-known/jwks.json', () => {
    const built = build({ jwtIssuer: 'https://issuer.example.com', jwtAudience: 'api' });
    for (const [, fn] of operationFunctions(built)) {
      expect(fn.Properties.Environment.Variables.JWT_JWKS_URL ?? '').toBe('');
    }
  });

  it.each([
    ['only jwtIssuer', { jwtIssuer: 'https://issuer.example.com' }],
    ['only jwtAudience', { jwtAudience: 'obp-person-api' }],
  ])('refuses a mismatched issuer/audience context (%s)', (_label, context) => {
    expect(() => build(context)).toThrow(/jwtIssuer.*jwtAudience/);
  });

  it('refuses an issuer that is not an https URL', () => {
    expect(() => build({ jwtIssuer: 'http://issuer.example.com', jwtAudience: 'api' })).toThrow(/https/);
  });

  it('passes -c superAdminUserIds to every function', () => {
    const built = build({ superAdminUserIds: 'b1f3c2d4-0000-4000-8000-000000000001,ops-admin' });
    for (const [, fn] of operationFunctions(built)) {
      expect(fn.Properties.Environment.Variables.SUPER_ADMIN_USER_IDS).toBe('b1f3c2d4-0000-4000-8000-000000000001,ops-admin');
    }
  });

  it('takes stage throttling from -c throttleRateLimit / -c throttleBurstLimit', () => {
    const built = build({ throttleRateLimit: '500', throttleBurstLimit: '1000' });
    built.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
    });
  });

  it.each([['throttleRateLimit', '0'], ['throttleBurstLimit', 'lots'], ['logRetentionDays', '-1'], ['throttleRateLimit', '1.5']])(
    'refuses -c %s=%s',
    (key, value) => {
      expect(() => build({ [key]: value })).toThrow(new RegExp(key));
    },
  );

  it('applies -c logRetentionDays to every log group', () => {
    const built = build({ logRetentionDays: '90' });
    const logGroups = ofType(built.api, 'AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThan(OPERATIONS.length);
    for (const [, group] of logGroups) expect(group.Properties.RetentionInDays).toBe(90);
  });

  it('refuses a retention CloudWatch Logs does not offer (it would only fail at deploy time)', () => {
    expect(() => build({ logRetentionDays: '45' })).toThrow(/logRetentionDays/);
  });

  it('adds CORS for -c corsAllowOrigins (comma-separated) and only then', () => {
    const built = build({ corsAllowOrigins: 'https://app.example.com, https://admin.example.com' });
    built.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://app.example.com', 'https://admin.example.com'],
        AllowMethods: Match.arrayWith(['GET', 'POST']),
        AllowHeaders: Match.arrayWith(['authorization', 'content-type']),
      },
    });
    const [[, api]] = ofType(built.api, 'AWS::ApiGatewayV2::Api') as [[string, Json]];
    expect(api.Properties.CorsConfiguration.AllowOrigins).not.toContain('*');
  });
});
