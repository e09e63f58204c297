// AWS Backup of the table (lib/backup.ts): a daily plan keeping 35 days, in a retained vault encrypted with its own
// rotated key, whose access policy refuses the deletion of recovery points.
import { asArray, build, dataKeyId, describeValue, onlyOf, tableId, type Built } from '../support/template';

describe('table backups', () => {
  let built: Built;
  beforeAll(() => {
    built = build();
  });

  it('a daily plan at 05:00 UTC keeps every recovery point 35 days, in the vault', () => {
    const plan = built.state.Resources[onlyOf(built.state, 'AWS::Backup::BackupPlan')].Properties.BackupPlan;
    expect(plan.BackupPlanRule).toHaveLength(1);
    const [rule] = plan.BackupPlanRule;
    expect(rule).toMatchObject({ ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: 35 } });
    expect(rule.Lifecycle.MoveToColdStorageAfterDays).toBeUndefined();
    expect(describeValue(built, rule.TargetBackupVault, 'state')).toBe(`state:${onlyOf(built.state, 'AWS::Backup::BackupVault')}.BackupVaultName`);
  });

  it('selects exactly the table, through a role only AWS Backup can assume', () => {
    const selection = built.state.Resources[onlyOf(built.state, 'AWS::Backup::BackupSelection')].Properties.BackupSelection;
    expect(selection.Resources.map((r: unknown) => describeValue(built, r, 'state'))).toEqual([`state:${tableId(built)}.Arn`]);
    const roleId = /^state:(.+)\.Arn$/.exec(describeValue(built, selection.IamRoleArn, 'state'))?.[1] as string;
    const role = built.state.Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns.map((a: unknown) => describeValue(built, a, 'state'))).toEqual([
      'arn:state:Ref(AWS::Partition):iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
    ]);
  });

  it('the vault is retained, encrypted with its own rotated key (not the data key), and refuses deleting recovery points', () => {
    const vault = built.state.Resources[onlyOf(built.state, 'AWS::Backup::BackupVault')];
    expect({ deletion: vault.DeletionPolicy, replace: vault.UpdateReplacePolicy }).toEqual({ deletion: 'Retain', replace: 'Retain' });
    const keyId = /^state:(.+)\.Arn$/.exec(describeValue(built, vault.Properties.EncryptionKeyArn, 'state'))?.[1] as string;
    expect(keyId).not.toBe(dataKeyId(built));
    const key = built.state.Resources[keyId];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true, PendingWindowInDays: 30 });
    expect(key.DeletionPolicy).toBe('Retain');
    expect(asArray(vault.Properties.AccessPolicy.Statement)).toEqual([
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Resource: '*' },
    ]);
  });

  it('point-in-time recovery stays on beside the plan', () => {
    expect(built.state.Resources[tableId(built)].Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });
});
