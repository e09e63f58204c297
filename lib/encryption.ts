// The customer managed key that encrypts the table and every log group of the API stack, with yearly rotation.
// Its policy keeps the CDK default (the account administers the key, IAM policies grant its use) and lets CloudWatch
// Logs use it only for log groups under this deployment's name prefix, bound by the encryption context.
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, type KeyProps } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Every log group of the API stack is named under this prefix, so the key policy can name them all. */
export const logGroupNamePrefix = (apiStackName: string): string => `/${apiStackName}/`;

/**
 * A customer managed key with yearly rotation, retained, and whose grants only AWS services may create for their
 * own resources (CT.KMS.PR.3): DynamoDB and AWS Backup create the grants they need; nobody else can delegate use.
 */
export const customerManagedKey = (scope: Construct, id: string, aliasName: string, props: KeyProps): Key => {
  const key = new Key(scope, id, {
    enableKeyRotation: true,
    // A deleted key makes everything it encrypts unreadable: retained with the stack, and a deliberate deletion
    // waits the longest pending window KMS allows (docs/deploy.md, "Deleting data deliberately").
    removalPolicy: RemovalPolicy.RETAIN,
    pendingWindow: Duration.days(30),
    alias: `alias/${Stack.of(scope).stackName}/${aliasName}`,
    ...props,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'GrantsOnlyForAwsServices',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  return key;
};

export interface DataKeyProps {
  /** Name prefix of the log groups that may use the key (logGroupNamePrefix of the API stack). */
  logGroupNamePrefix: string;
}

export class DataKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: DataKeyProps) {
    super(scope, id);
    this.key = customerManagedKey(this, 'Key', 'data', { description: 'obp-person-api: the table and the API log groups' });
    // The shape AWS documents for CloudWatch Logs ("Encrypt log data in CloudWatch Logs using AWS KMS").
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsForThisDeploymentsLogGroups',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${props.logGroupNamePrefix}*`,
          },
        },
      }),
    );
  }
}
