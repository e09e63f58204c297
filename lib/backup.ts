// AWS Backup for the table: a daily backup kept 35 days, in a vault of its own, encrypted with its own customer
// managed key and refusing deletion of recovery points, so that neither a mistake with the data key nor a
// compromised operator can take the backups down with the table. Point-in-time recovery (35 days) stays on too.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { customerManagedKey } from './encryption';

export const BACKUP_RETENTION = Duration.days(35);

export class TableBackup extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;
  readonly vaultKey: Key;

  constructor(scope: Construct, id: string, table: ITable) {
    super(scope, id);
    this.vaultKey = customerManagedKey(this, 'VaultKey', 'backup-vault', { description: 'obp-person-api: the backup vault of the table' });
    this.vault = new BackupVault(this, 'Vault', {
      encryptionKey: this.vaultKey,
      removalPolicy: RemovalPolicy.RETAIN,
      blockRecoveryPointDeletion: true,
    });
    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: `${Stack.of(this).stackName}-table`,
      backupVault: this.vault,
      // Daily at 05:00 UTC, each recovery point deleted after 35 days.
      backupPlanRules: [new BackupPlanRule({ ruleName: 'Daily', scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }), deleteAfter: BACKUP_RETENTION })],
    });
    const selection = this.plan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(table)] });
    const role = selection.node.findChild('Role');
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        "AWS Backup's own service role policy, maintained by AWS for the actions a backup job takes; the role is assumable only by backup.amazonaws.com and used only by this plan's selection.",
    });
  }
}
