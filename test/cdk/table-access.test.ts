// dynamodb:LeadingKeys per function, read from the synthesized template and compared with what the operations list
// declares: the read statement allows exactly the operation's read actions on `partitions`, the write statement its
// write actions on `writePartitions`, the index statement Query on `indexPartitions`; nothing else touches the
// table. Everything is derived from the fields, so a new key design only changes functions/common/operations.ts.
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { OPERATIONS, type Operation, type TableAction } from '../../functions/common/operations';
import { checkTableAccess, isWriteAction, leadingKeysCondition, tableStatements } from '../../lib/table-access';
import { asArray, build, describeValue, functionOf, isDynamo, sorted, statementsOf, tableId, type Built, type Json, type Statement } from '../support/template';

const TABLE_OPERATIONS = OPERATIONS.filter((op) => op.table.actions.length > 0);

const readsOf = (op: Operation): TableAction[] => op.table.actions.filter((a) => !isWriteAction(a));
const writesOf = (op: Operation): TableAction[] => op.table.actions.filter(isWriteAction);

/** The statements of the function on the table, keyed by what they are for. */
const tableStatementsOf = (built: Built, op: Operation): { reads?: Statement; writes?: Statement; index?: Statement; all: Statement[] } => {
  const tableArn = `state:${tableId(built)}.Arn`;
  const all = statementsOf(built, functionOf(built, op)).filter((s) => asArray(s.Action).some(isDynamo));
  const onTable = all.filter((s) => asArray<Json>(s.Resource).every((r) => describeValue(built, r) === tableArn));
  const onIndexes = all.filter((s) => asArray<Json>(s.Resource).every((r) => describeValue(built, r).startsWith(`${tableArn}/index/`)));
  expect(onTable.length + onIndexes.length).toBe(all.length); // no statement mixes the table and an index
  const isWrite = (s: Statement) => asArray(s.Action).every((a) => isWriteAction(a as TableAction));
  expect(onTable.filter(isWrite).length).toBeLessThanOrEqual(1);
  expect(onTable.filter((s) => !isWrite(s)).length).toBeLessThanOrEqual(1);
  expect(onIndexes.length).toBeLessThanOrEqual(1);
  return { reads: onTable.find((s) => !isWrite(s)), writes: onTable.find(isWrite), index: onIndexes[0], all };
};

const patterns = (s: Statement | undefined): string[] => sorted(asArray<string>(s?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']));
const expectedPatterns = (prefixes: readonly string[] = []): string[] => sorted(prefixes.map((p) => `${p}*`));

describe('dynamodb:LeadingKeys per function (default configuration)', () => {
  let built: Built;
  beforeAll(() => {
    built = build();
  });

  it('covers every operation that touches the table', () => {
    expect(TABLE_OPERATIONS.length).toBeGreaterThan(10);
    for (const op of TABLE_OPERATIONS) expect({ op: op.name, partitions: op.table.partitions.length > 0 }).toEqual({ op: op.name, partitions: true });
  });

  it.each(TABLE_OPERATIONS.map((op) => [op.name, op] as const))('%s: reads, writes and index queries only on its declared prefixes', (_name, op) => {
    const { reads, writes, index, all } = tableStatementsOf(built, op);
    const tableArn = `state:${tableId(built)}.Arn`;

    expect(sorted(asArray(reads?.Action))).toEqual(sorted(readsOf(op)));
    expect(patterns(reads)).toEqual(readsOf(op).length > 0 ? expectedPatterns(op.table.partitions) : []);

    expect(sorted(asArray(writes?.Action))).toEqual(sorted(writesOf(op)));
    expect(patterns(writes)).toEqual(expectedPatterns(op.table.writePartitions));

    expect(sorted(asArray(index?.Action))).toEqual(op.table.indexes.length > 0 ? ['dynamodb:Query'] : []);
    expect(sorted(asArray<Json>(index?.Resource).map((r) => describeValue(built, r)))).toEqual(sorted(op.table.indexes.map((i) => `${tableArn}/index/${i}`)));
    expect(patterns(index)).toEqual(expectedPatterns(op.table.indexPartitions));

    for (const s of all) {
      // ForAllValues is vacuously true without the key (Scan, PartiQL): the Null guard refuses that.
      expect(s.Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': expect.any(Array) },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      });
      expect(s.Effect).toBe('Allow');
    }
  });

  it('no read-only function can write, and only the writers of entitlements and links can write USER# items', () => {
    for (const op of TABLE_OPERATIONS) {
      const { writes } = tableStatementsOf(built, op);
      if (writesOf(op).length === 0) expect({ op: op.name, writes }).toEqual({ op: op.name, writes: undefined });
      const writesUsers = patterns(writes).includes('USER#*');
      expect({ op: op.name, writesUsers }).toEqual({ op: op.name, writesUsers: ['createBank', 'addEntitlement', 'deleteEntitlement', 'createUserCustomerLink', 'deleteUserCustomerLink'].includes(op.name) });
    }
  });

  it('the table key may be used only through DynamoDB, only for this table and account', () => {
    for (const op of TABLE_OPERATIONS) {
      const kms = statementsOf(built, functionOf(built, op)).filter((s) => asArray(s.Action).some((a) => a.startsWith('kms:')));
      expect(kms).toHaveLength(1);
      const [statement] = kms as [Statement];
      expect(sorted(asArray(statement.Action))).toEqual(writesOf(op).length > 0 ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt']);
      const table = tableId(built);
      const conditions = statement.Condition.StringEquals;
      expect(describeValue(built, conditions['kms:ViaService'])).toBe('dynamodb.api:Ref(AWS::Region).amazonaws.com');
      expect(describeValue(built, conditions['kms:EncryptionContext:aws:dynamodb:tableName'])).toBe(`state:Ref(${table})`);
      expect(describeValue(built, conditions['kms:EncryptionContext:aws:dynamodb:subscriberId'])).toBe('api:Ref(AWS::AccountId)');
      const keyArn = describeValue(built, asArray<Json>(statement.Resource)[0]);
      expect(keyArn).toBe(describeValue(built, built.state.Resources[table].Properties.SSESpecification.KMSMasterKeyId, 'state'));
    }
  });
});

describe('table access declarations (lib/table-access.ts)', () => {
  const table = { tableArn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/t', tableName: 't' } as unknown as ITable;
  const access = (overrides: Partial<Operation['table']>): Operation['table'] => ({
    actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
    indexes: [],
    partitions: ['BANK#', 'USER#'],
    writePartitions: ['USER#'],
    ...overrides,
  });

  it('every operation in the list is a valid declaration', () => {
    for (const op of OPERATIONS) expect(() => checkTableAccess(op.name, op.table)).not.toThrow();
  });

  it.each([
    ['a wildcard in a prefix', { partitions: ['BANK#', 'US*'] }, /US\*/],
    ['a policy variable in a prefix', { partitions: ['${aws:username}'], writePartitions: [] , actions: ['dynamodb:GetItem'] as TableAction[] }, /aws:username/],
    ['a duplicate prefix', { partitions: ['BANK#', 'BANK#', 'USER#'] }, /twice/],
    ['reads without partitions', { actions: ['dynamodb:GetItem'] as TableAction[], partitions: [], writePartitions: [] }, /no partitions/],
    ['writes without writePartitions', { writePartitions: [] }, /no writePartitions/],
    ['writePartitions without a write', { actions: ['dynamodb:GetItem'] as TableAction[] }, /no write action/],
    ['a write outside partitions', { writePartitions: ['CUSTOMER#'] }, /CUSTOMER#/],
    ['an index without indexPartitions', { actions: ['dynamodb:Query'] as TableAction[], writePartitions: [], indexes: ['GSI1'] }, /indexPartitions/],
    ['indexPartitions without an index', { indexPartitions: ['USER#'] }, /indexPartitions/],
    ['an index without Query', { indexes: ['GSI1'], indexPartitions: ['USER#'] }, /Query/],
  ])('refuses %s', (_label, overrides, message) => {
    expect(() => tableStatements('someOperation', access(overrides), table)).toThrow(message);
    expect(() => tableStatements('someOperation', access(overrides), table)).toThrow(/someOperation/);
  });

  it('turns each prefix into a `<prefix>*` pattern and requires the key to be present', () => {
    expect(leadingKeysCondition(['BANK#', 'IDEM#'])).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BANK#*', 'IDEM#*'] },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
  });

  it('follows a new key design from the fields alone', () => {
    const statements = tableStatements(
      'newDesign',
      access({ actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query'], partitions: ['ENTITLEMENT#', 'IDEM#'], writePartitions: ['IDEM#'], indexes: ['GSI1'], indexPartitions: ['LINK#'] }),
      table,
    ).map((s) => s.toStatementJson());
    expect(statements).toEqual([
      expect.objectContaining({ Action: ['dynamodb:BatchGetItem', 'dynamodb:Query'], Condition: expect.objectContaining({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ENTITLEMENT#*', 'IDEM#*'] } }) }),
      expect.objectContaining({ Action: 'dynamodb:PutItem', Condition: expect.objectContaining({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IDEM#*'] } }) }),
      expect.objectContaining({ Action: 'dynamodb:Query', Resource: `${table.tableArn}/index/GSI1`, Condition: expect.objectContaining({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LINK#*'] } }) }),
    ]);
  });
});
