// The IAM statements a function needs on the table, derived from its entry in the operations list: which actions,
// on which partitions (`dynamodb:LeadingKeys`), and the KMS use DynamoDB makes of the table key on its behalf.
//
// How DynamoDB evaluates `dynamodb:LeadingKeys` (AWS docs: "Using IAM policy conditions for fine-grained access
// control" and "Using IAM with DynamoDB transactions"):
// - it holds the partition-key values of the request, so it is multi-valued: a BatchGetItem carries the partition
//   key of every requested item, and `ForAllValues` makes every one of them match a pattern of the same statement.
//   The context read (bank, roles, customer) is therefore one statement holding all read prefixes;
// - TransactWriteItems is authorised item by item as the underlying PutItem/UpdateItem/ConditionCheckItem, each with
//   its own item's partition key, so the write statement covers writes inside transactions too;
// - a Query on an index is checked against the index ARN with the index's partition-key value (GSI1PK), so the
//   index gets its own statement with its own prefixes;
// - `ForAllValues` is also true when the key is absent (Scan, PartiQL), hence the `Null: false` guard.
import { Aws } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Operation, TableAction } from '../functions/common/operations';

export type TableAccess = Operation['table'];

const READ_ACTIONS: readonly TableAction[] = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE_ACTIONS: readonly TableAction[] = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

export const isWriteAction = (action: TableAction): boolean => WRITE_ACTIONS.includes(action);

/** Letters, digits and key separators only: no IAM wildcard (`*`, `?`) or policy variable (`${…}`) can widen it. */
const PREFIX = /^[A-Za-z0-9_#:.-]+$/;

/** The `dynamodb:LeadingKeys` condition allowing exactly these partition-key prefixes. */
export const leadingKeysCondition = (prefixes: readonly string[]): Record<string, Record<string, string | string[]>> => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) },
  Null: { 'dynamodb:LeadingKeys': 'false' },
});

/** Refuses a declaration the statements could not express faithfully (the synth fails, naming the operation). */
export const checkTableAccess = (name: string, access: TableAccess): void => {
  const fail = (why: string): never => {
    throw new Error(`Operation ${name}: table access ${why} (functions/common/operations.ts)`);
  };
  const { actions, indexes, partitions, writePartitions, indexPartitions = [] } = access;
  for (const prefix of [...partitions, ...writePartitions, ...indexPartitions]) {
    if (!PREFIX.test(prefix)) fail(`has the partition prefix "${prefix}"; use letters, digits and _#:.- only`);
  }
  for (const list of [partitions, writePartitions, indexPartitions]) {
    if (new Set(list).size !== list.length) fail(`lists a partition prefix twice in [${list.join(', ')}]`);
  }
  const unknownActions = actions.filter((a) => !READ_ACTIONS.includes(a) && !WRITE_ACTIONS.includes(a));
  if (unknownActions.length > 0) fail(`has actions neither read nor write here: ${unknownActions.join(', ')}`);
  const reads = actions.filter((a) => !isWriteAction(a));
  const writes = actions.filter(isWriteAction);
  if (reads.length > 0 && partitions.length === 0) fail('declares read actions but no partitions');
  if (writes.length > 0 && writePartitions.length === 0) fail('declares write actions but no writePartitions');
  if (writes.length === 0 && writePartitions.length > 0) fail('declares writePartitions but no write action');
  if (actions.length === 0 && partitions.length > 0) fail('declares partitions but no action');
  const unknown = writePartitions.filter((p) => !partitions.includes(p));
  if (unknown.length > 0) fail(`writes [${unknown.join(', ')}], which partitions does not list`);
  if (indexes.length > 0 && !actions.includes('dynamodb:Query')) fail('queries an index without dynamodb:Query');
  if ((indexes.length > 0) !== (indexPartitions.length > 0)) fail('needs indexPartitions exactly when it queries an index');
};

/**
 * One statement per kind of access: reads on the base table (every read prefix, so a BatchGetItem can carry them
 * all), writes on the base table (the write prefixes only), and Query on the indexes (the index prefixes).
 */
export const tableStatements = (name: string, access: TableAccess, table: ITable): PolicyStatement[] => {
  checkTableAccess(name, access);
  const { actions, indexes, partitions, writePartitions, indexPartitions = [] } = access;
  const reads = actions.filter((a) => !isWriteAction(a)).sort();
  const writes = actions.filter(isWriteAction).sort();
  const statements: PolicyStatement[] = [];
  if (reads.length > 0) {
    statements.push(new PolicyStatement({ actions: reads, resources: [table.tableArn], conditions: leadingKeysCondition(partitions) }));
  }
  if (writes.length > 0) {
    statements.push(new PolicyStatement({ actions: writes, resources: [table.tableArn], conditions: leadingKeysCondition(writePartitions) }));
  }
  if (indexes.length > 0) {
    statements.push(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        conditions: leadingKeysCondition(indexPartitions),
      }),
    );
  }
  return statements;
};

/**
 * DynamoDB uses the table's customer managed key with the caller's permissions (kms:ViaService), always with the
 * table name and account as encryption context: Decrypt to read, and Encrypt/GenerateDataKey as well for writers
 * (the set the CDK's own Table grants use), usable only through DynamoDB and only for this table.
 */
export const tableKeyStatement = (access: TableAccess, table: ITable, key: IKey): PolicyStatement | undefined => {
  if (access.actions.length === 0) return undefined;
  const writes = access.actions.some(isWriteAction);
  return new PolicyStatement({
    actions: writes ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
    resources: [key.keyArn],
    conditions: {
      StringEquals: {
        'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com`,
        'kms:EncryptionContext:aws:dynamodb:tableName': table.tableName,
        'kms:EncryptionContext:aws:dynamodb:subscriberId': Aws.ACCOUNT_ID,
      },
    },
  });
};
