// Stateful resources: the customer managed key, the table with its backups and (by default) the Cognito user pool.
// Kept in their own stack so the API can be redeployed or destroyed without touching data; all are retained even
// if this stack is deleted.
import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../functions/data/table-schema';
import { TableBackup } from './backup';
import { DataKey } from './encryption';

export interface StateStackProps extends StackProps {
  /** Create the Cognito user pool (false when an external OIDC issuer is configured). */
  withUserPool: boolean;
  /** Name prefix of the API stack's log groups, which may use the data key (lib/encryption.ts). */
  logGroupNamePrefix: string;
}

export class StateStack extends Stack {
  /** Encrypts the table and every log group of the API stack. */
  readonly key: Key;
  readonly table: Table;
  readonly backup: TableBackup;
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;

  constructor(scope: Construct, id: string, props: StateStackProps) {
    super(scope, id, props);
    const { partitionKey, sortKey, indexes, timeToLiveAttribute } = TABLE_SCHEMA;
    this.key = new DataKey(this, 'DataKey', { logGroupNamePrefix: props.logGroupNamePrefix }).key;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      // Idempotency records carry their expiry: DynamoDB removes them after it (docs/design.md, "Retrying safely").
      timeToLiveAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
    });
    for (const index of indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.backup = new TableBackup(this, 'Backup', this.table);

    if (props.withUserPool) {
      this.userPool = new UserPool(this, 'UserPool', {
        selfSignUpEnabled: false,
        signInAliases: { email: true, username: true },
        passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
        mfa: Mfa.OPTIONAL,
        mfaSecondFactor: { otp: true, sms: false },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        featurePlan: FeaturePlan.ESSENTIALS,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(this.userPool).acknowledge(
        {
          id: 'AwsSolutions-COG2',
          reason: 'MFA is optional (TOTP) so that service accounts and first-time operators can sign in; banks enforce MFA in their own pool policy.',
        },
        {
          id: 'AwsSolutions-COG8',
          reason: 'The Plus feature plan (threat protection) is a paid choice left to the deploying bank; Essentials covers token issuing, and the pool has no self sign-up.',
        },
      );
      this.userPoolClient = this.userPool.addClient('ApiClient', {
        authFlows: { userPassword: true, adminUserPassword: true, userSrp: true },
        generateSecret: false,
        // Tokens come from the auth flows above; no hosted UI, so no OAuth flows or callback URLs.
        disableOAuth: true,
        accessTokenValidity: Duration.hours(1),
        idTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.days(30),
        preventUserExistenceErrors: true,
      });
    }
  }
}
