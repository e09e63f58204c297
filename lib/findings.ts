// The compliance findings this design accepts, each acknowledged on the resource it concerns with the reason it
// holds there. (Rule ids are plain: cdk-nag's validateScope ignores the `Pack::Rule` form; cfn-guard findings are
// matched by the CDK in its own `cdk-validator-cfnguard::<rule>` namespace.)
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DEFAULT_LOG_RETENTION_DAYS } from './deploy-config';

export interface FunctionResources {
  fn: IConstruct;
  role: IConstruct;
  policy: IConstruct;
}

export interface FunctionSettings {
  reservedConcurrency?: number;
  network?: unknown;
}

export const acknowledgeFunctionFindings = ({ fn, role, policy }: FunctionResources, settings: FunctionSettings): void => {
  Validations.of(fn).acknowledge(
    {
      id: 'NIST.800.53.R5-LambdaDLQ',
      reason: 'Invoked only synchronously by the HTTP API, which returns every failure to the caller; there is no asynchronous event a dead-letter queue could keep.',
    },
    {
      id: 'HIPAA.Security-LambdaDLQ',
      reason: 'Invoked only synchronously by the HTTP API, which returns every failure to the caller; there is no asynchronous event a dead-letter queue could keep.',
    },
  );
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) support no resource-level permissions; every other statement names its resource.',
  });
  if (settings.reservedConcurrency === undefined) {
    Validations.of(fn).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: 'Reserved concurrency is opt-in (-c reservedConcurrency=N): reserving it for every function would fail the deploy in accounts with the low default quota; route and stage throttles bound the load.',
      },
      {
        id: 'HIPAA.Security-LambdaConcurrency',
        reason: 'Reserved concurrency is opt-in (-c reservedConcurrency=N): reserving it for every function would fail the deploy in accounts with the low default quota; route and stage throttles bound the load.',
      },
    );
  }
  if (settings.network === undefined) {
    Validations.of(fn).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'Outside a VPC by default: the function only calls AWS APIs (IAM-signed, TLS) and the issuer JWKS over HTTPS; deployment into the bank VPC is opt-in with -c vpcId (docs/deploy.md).',
      },
      {
        id: 'PCI.DSS.321-LambdaInsideVPC',
        reason: 'Outside a VPC by default: the function only calls AWS APIs (IAM-signed, TLS) and the issuer JWKS over HTTPS; deployment into the bank VPC is opt-in with -c vpcId (docs/deploy.md).',
      },
      {
        id: 'HIPAA.Security-LambdaInsideVPC',
        reason: 'Outside a VPC by default: the function only calls AWS APIs (IAM-signed, TLS) and the issuer JWKS over HTTPS; deployment into the bank VPC is opt-in with -c vpcId (docs/deploy.md).',
      },
      {
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason: 'CT.LAMBDA.PR.3: outside a VPC by default, the function only calls AWS APIs (IAM-signed, TLS) and the issuer JWKS; the bank VPC is opt-in with -c vpcId (docs/deploy.md).',
      },
    );
  } else {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      reason: "The network-interface permissions Lambda needs in a VPC, as AWS maintains them; ec2:CreateNetworkInterface and the Describe calls it needs support no narrower resource.",
    });
  }
};

/** A log group of the API stack: encrypted with the data key, retained a year unless the operator chose less. */
export const acknowledgeLogGroupFindings = (logGroup: IConstruct, days: number): void => {
  Validations.of(logGroup).acknowledge({
    id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
    reason: 'CT.CLOUDWATCH.PR.3 false positive: KmsKeyId is set, to the data key imported from the state stack (Fn::ImportValue), a reference the rule cannot follow across stacks.',
  });
  if (days >= DEFAULT_LOG_RETENTION_DAYS) return;
  Validations.of(logGroup).acknowledge({
    id: 'cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    reason: 'CT.CLOUDWATCH.PR.2 asks for a year; the operator set a shorter -c logRetentionDays on purpose (for example data minimisation), and the default stays 365 days.',
  });
};

/** A route whose request the function authenticates itself, and its invoke permission. */
export const acknowledgeRouteFindings = (route: IConstruct, permission: IConstruct | undefined): void => {
  Validations.of(route).acknowledge({
    id: 'cdk-validator-cfnguard::api_gw_v2_authorization_type_configured_check',
    reason: 'CT.APIGATEWAY.PR.5: the function verifies the bearer JWT itself (jose: signature, iss, aud, exp) to answer OBP error bodies; anonymous routes are public by design.',
  });
  if (permission) {
    Validations.of(permission).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
      reason: 'CT.LAMBDA.PR.2 false positive: Principal is apigateway.amazonaws.com with a SourceArn (an Fn::Join of this API and route) the rule does not read; only this API may invoke.',
    });
  }
};
