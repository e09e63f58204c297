// The customer managed key (lib/encryption.ts): rotated, retained, used by the table and by every log group of the
// API stack; its policy lets CloudWatch Logs use it only for this deployment's log groups and lets only AWS services
// create grants. Log groups are named under that prefix, retained, and keep a year unless -c logRetentionDays says
// otherwise.
import { DEFAULT_LOG_RETENTION_DAYS } from '../../lib/deploy-config';
import { logGroupNamePrefix } from '../../lib/encryption';
import { API_STACK } from '../../lib/app';
import { asArray, build, dataKeyId, describeValue, ofType, tableId, type Built, type Json } from '../support/template';

const statementsOfKey = (built: Built, keyId: string): Json[] => asArray<Json>(built.state.Resources[keyId].Properties.KeyPolicy.Statement);

describe('the data key', () => {
  let built: Built;
  beforeAll(() => {
    built = build();
  });

  it('is a customer managed key in the state stack, rotated yearly and retained with a 30-day deletion window', () => {
    const key = built.state.Resources[dataKeyId(built)];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true, PendingWindowInDays: 30 });
    expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    expect({ deletion: key.DeletionPolicy, replace: key.UpdateReplacePolicy }).toEqual({ deletion: 'Retain', replace: 'Retain' });
    expect(ofType(built.api, 'AWS::KMS::Key')).toEqual([]);
    const alias = ofType(built.state, 'AWS::KMS::Alias').find(([, a]) => describeValue(built, a.Properties.TargetKeyId, 'state') === `state:${dataKeyId(built)}.Arn`);
    expect(alias?.[1].Properties.AliasName).toBe('alias/ObpPersonApiState/data');
  });

  it('encrypts the table', () => {
    expect(built.state.Resources[tableId(built)].Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [dataKeyId(built), 'Arn'] },
    });
  });

  it('encrypts every log group of the API stack (every function’s and the access logs)', () => {
    const groups = ofType(built.api, 'AWS::Logs::LogGroup');
    expect(groups.length).toBe(ofType(built.api, 'AWS::Lambda::Function').length + 1);
    for (const [id, group] of groups) {
      expect({ id, key: describeValue(built, group.Properties.KmsKeyId) }).toEqual({ id, key: `state:${dataKeyId(built)}.Arn` });
    }
  });

  it('lets CloudWatch Logs of this region use it only for log groups named under the API stack’s prefix', () => {
    const logs = statementsOfKey(built, dataKeyId(built)).filter((s) => JSON.stringify(s.Principal).includes('logs.'));
    expect(logs).toHaveLength(1);
    const [statement] = logs;
    expect(statement.Effect).toBe('Allow');
    expect(describeValue(built, statement.Principal.Service, 'state')).toBe('logs.state:Ref(AWS::Region).amazonaws.com');
    expect(statement.Action).toEqual(['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*']);
    expect(Object.keys(statement.Condition)).toEqual(['ArnLike']);
    expect(describeValue(built, statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'], 'state')).toBe(
      `arn:state:Ref(AWS::Partition):logs:state:Ref(AWS::Region):state:Ref(AWS::AccountId):log-group:${logGroupNamePrefix(API_STACK)}*`,
    );
    // …and every log group the key encrypts is inside that scope.
    for (const [, group] of ofType(built.api, 'AWS::Logs::LogGroup')) expect(group.Properties.LogGroupName).toMatch(/^\/ObpPersonApi\//);
  });

  it('keeps the account in charge through IAM and refuses grants to anyone but AWS services', () => {
    const statements = statementsOfKey(built, dataKeyId(built));
    const admin = statements.find((s) => s.Action === 'kms:*');
    expect(describeValue(built, admin.Principal.AWS, 'state')).toBe('arn:state:Ref(AWS::Partition):iam::state:Ref(AWS::AccountId):root');
    expect(statements.find((s) => s.Effect === 'Deny')).toEqual({
      Sid: 'GrantsOnlyForAwsServices',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
    expect(statements).toHaveLength(3);
  });
});

describe('log groups', () => {
  it('are retained with the stack and keep 365 days by default, each function in its own named group', () => {
    const built = build();
    expect(DEFAULT_LOG_RETENTION_DAYS).toBe(365);
    const names = new Set<string>();
    for (const [id, group] of ofType(built.api, 'AWS::Logs::LogGroup')) {
      expect({ id, deletion: group.DeletionPolicy, replace: group.UpdateReplacePolicy, days: group.Properties.RetentionInDays }).toEqual({
        id,
        deletion: 'Retain',
        replace: 'Retain',
        days: 365,
      });
      names.add(group.Properties.LogGroupName);
    }
    expect(names.has('/ObpPersonApi/access-logs')).toBe(true);
    expect(names.has('/ObpPersonApi/functions/createCustomer')).toBe(true);
    expect(names.size).toBe(ofType(built.api, 'AWS::Logs::LogGroup').length);
  });

  it.each([['90'], ['731']])('take -c logRetentionDays=%s', (days) => {
    const built = build({ logRetentionDays: days });
    for (const [, group] of ofType(built.api, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(Number(days));
  });
});
