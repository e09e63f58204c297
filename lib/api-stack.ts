// Stateless resources: one function per operation (generated from the operations list), the HTTP API with a route
// for every version-prefixed path, stage and write-route throttling and JSON access logs.
import { CfnOutput, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  CfnRoute,
  CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type HttpRoute,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { handlerEntry, operationPaths, OPERATIONS, type HttpMethod as OperationMethod } from '../functions/common/operations';
import { OPENAPI_ROUTE } from '../scripts/openapi';
import { ApiFunction, type FunctionPlacement } from './api-function';
import type { DeployConfig } from './deploy-config';
import { logGroupNamePrefix } from './encryption';
import { acknowledgeRouteFindings, acknowledgeLogGroupFindings } from './findings';
import { FunctionNetwork } from './network';

/**
 * What a browser may do with -c corsAllowOrigins: every method of the operations list; the request headers the
 * functions read (Idempotency-Key on writes, a client's x-request-id); and the response headers a script needs
 * (the next page's Link, Idempotent-Replayed on a replay, the request id, WWW-Authenticate on a 401).
 */
export const CORS = {
  allowMethods: [...new Set(OPERATIONS.map((op) => op.method))].map((method) => CorsHttpMethod[method]),
  allowHeaders: ['authorization', 'content-type', 'x-request-id', 'idempotency-key'],
  exposeHeaders: ['x-request-id', 'www-authenticate', 'link', 'idempotent-replayed'],
};

/** Methods whose routes get the write throttle (-c writeThrottleRateLimit/-c writeThrottleBurstLimit). */
export const WRITE_METHODS: readonly OperationMethod[] = ['POST', 'PUT', 'DELETE'];

export interface ApiStackProps extends StackProps {
  table: ITable;
  /** The customer managed key of the table, also used for every log group of this stack. */
  key: IKey;
  config: DeployConfig;
  userPool?: UserPool;
  userPoolClient?: UserPoolClient;
}

/** Issuer and audience the functions trust: the external OIDC issuer from context, else the stack's user pool. */
const jwtSettings = (props: ApiStackProps): Record<string, string> => {
  const { config, userPool, userPoolClient } = props;
  if (config.jwtIssuer && config.jwtAudience) {
    return {
      JWT_ISSUER: config.jwtIssuer,
      JWT_AUDIENCE: config.jwtAudience,
      JWT_JWKS_URL: config.jwksUrl ?? '', // empty: <issuer>/.well-known/jwks.json
    };
  }
  if (!userPool || !userPoolClient) throw new Error('No external issuer configured and no user pool given');
  return {
    JWT_ISSUER: `https://cognito-idp.${Stack.of(userPool).region}.amazonaws.com/${userPool.userPoolId}`,
    JWT_AUDIENCE: userPoolClient.userPoolClientId,
    JWT_ALGORITHMS: 'RS256',
    JWT_JWKS_URL: '', // empty: <issuer>/.well-known/jwks.json
  };
};

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly functions: Record<string, ApiFunction> = {};

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table, key } = props;
    const logRetention = config.logRetentionDays as RetentionDays;
    const logPrefix = logGroupNamePrefix(this.stackName);
    const network: FunctionPlacement | undefined = config.vpc ? new FunctionNetwork(this, 'Network', config.vpc) : undefined;
    const functionDefaults = { logRetention, key, reservedConcurrency: config.reservedConcurrency, network };
    const environment: Record<string, string> = {
      TABLE_NAME: table.tableName,
      // Declared empty (the SDK's default endpoint) so that `sam local --env-vars` can point it at DynamoDB Local:
      // SAM only overrides variables the template declares (see local/sam-env.example.json, docs/deploy.md).
      DYNAMODB_ENDPOINT: '',
      SUPER_ADMIN_USER_IDS: config.superAdminUserIds,
      POWERTOOLS_SERVICE_NAME: 'obp-person-api',
      POWERTOOLS_METRICS_NAMESPACE: 'ObpPersonApi',
      ...jwtSettings(props),
    };

    this.api = new HttpApi(this, 'Api', {
      description: 'OBP Person API (customers and customer messages)',
      createDefaultStage: false,
      corsPreflight:
        config.corsAllowOrigins.length > 0
          ? { allowOrigins: config.corsAllowOrigins, ...CORS }
          : undefined,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `${logPrefix}access-logs`,
      retention: logRetention,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeLogGroupFindings(accessLogs, logRetention);
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // JSON, one line per request; no headers, so no tokens are ever logged.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const writeRoutes: HttpRoute[] = [];
    for (const operation of OPERATIONS) {
      const fn = new ApiFunction(this, operation.name, {
        ...functionDefaults,
        entry: handlerEntry(operation),
        description: `${operation.name}: ${operation.summary}`,
        environment,
        logGroupName: `${logPrefix}functions/${operation.name}`,
        table: { table, access: operation.table },
      });
      this.functions[operation.name] = fn;
      const integration = new HttpLambdaIntegration(`${operation.name}Integration`, fn.fn);
      const routes = operationPaths(operation).flatMap((path) =>
        this.api.addRoutes({ path, methods: [HttpMethod[operation.method]], integration }),
      );
      for (const route of routes) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Bearer JWTs are verified inside the function (jose: signature, iss, aud, exp, nbf) so every failure answers an OBP error body (docs/design.md, "Authentication"); anonymous routes are public by design.',
        });
        acknowledgeRouteFindings(route, invokePermissionOf(route));
        if (WRITE_METHODS.includes(operation.method)) writeRoutes.push(route);
      }
    }
    this.throttleWriteRoutes(stage, writeRoutes, config);

    // Two routes outside the operations list, neither touching the table: the OpenAPI document, and OBP's 404 body
    // for every path no operation serves.
    const openApi = new ApiFunction(this, 'getOpenApiDocument', {
      ...functionDefaults,
      entry: 'functions/openapi/handler.ts',
      description: 'getOpenApiDocument: the OpenAPI 3.1 document of this API',
      environment: {},
      logGroupName: `${logPrefix}functions/getOpenApiDocument`,
    });
    for (const route of this.api.addRoutes({
      path: OPENAPI_ROUTE.path,
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('getOpenApiDocumentIntegration', openApi.fn),
    })) {
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'The OpenAPI document is a public description of the API, anonymous by design.' });
      acknowledgeRouteFindings(route, invokePermissionOf(route));
    }
    const notFound = new ApiFunction(this, 'notFound', {
      ...functionDefaults,
      entry: 'functions/not-found/handler.ts',
      description: "notFound: OBP's 404 body for paths no operation serves",
      environment: {},
      logGroupName: `${logPrefix}functions/notFound`,
    });
    for (const route of this.api.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('notFoundIntegration', notFound.fn),
    })) {
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'Answers 404 for unknown paths and reads nothing, so there is nothing to authorize.' });
      acknowledgeRouteFindings(route, invokePermissionOf(route));
    }

    new CfnOutput(this, 'OpenApiUrl', { value: `${this.api.apiEndpoint}${OPENAPI_ROUTE.path}`, description: 'The OpenAPI 3.1 document' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL: call <ApiUrl>/obp/v5.0.0/root' });
    new CfnOutput(this, 'JwtIssuer', { value: environment.JWT_ISSUER as string });
    new CfnOutput(this, 'JwtAudience', { value: environment.JWT_AUDIENCE as string });
    if (props.userPool && props.userPoolClient) {
      new CfnOutput(this, 'UserPoolId', { value: props.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: props.userPoolClient.userPoolClientId });
    }
  }

  /**
   * Each write route gets its own token bucket (HTTP API route settings, on the L1 stage). The stage can only name
   * routes that exist, so it is created after them.
   */
  private throttleWriteRoutes(stage: HttpStage, routes: HttpRoute[], config: DeployConfig): void {
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      routes.map((route) => [
        (route.node.defaultChild as CfnRoute).routeKey,
        { ThrottlingRateLimit: config.writeThrottleRateLimit, ThrottlingBurstLimit: config.writeThrottleBurstLimit },
      ]),
    );
    for (const route of routes) stage.node.addDependency(route);
  }
}

/** The permission HttpLambdaIntegration adds under the route for API Gateway to invoke the function. */
const invokePermissionOf = (route: HttpRoute): CfnPermission | undefined =>
  route.node.findAll().find((c): c is CfnPermission => c instanceof CfnPermission);
