// scripts/migrate-layout.ts on a table written exactly as the previous layout wrote it (raw Puts of the item shapes
// in scripts/migration/previous-layout.ts, copied from that layout's repositories), proven through the real
// handlers: every customer is found by number, numbers stay unique (also while the API creates and renames
// customers during the migration), lists show each customer once, links and entitlements work, a second run and a
// dry run write nothing, an interrupted run resumes, and what cannot be migrated safely is reported, not forced.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, customerNumberGuardKey, entitlementByIdKey, GSI1, linkByIdKey } from '../../functions/data/keys';
import type { CustomerData } from '../../functions/data/records';
import { buildCustomer } from '../../functions/domain/customers';
import { operationByName, operationPaths, type OperationName } from '../../functions/common/operations';
import { ensureTable } from '../../local/table';
import { LOCAL_CREDENTIALS } from '../../local/dynamodb-local';
import { hasPreviousLinkIndexEntry, isPreviousCustomerIndexEntry, isPreviousGuard, previousItems, previousKeys } from '../../scripts/migration/previous-layout';
import { migrateTable, type MigrationOptions, type MigrationReport } from '../../scripts/migration/run';
import type { Task } from '../../scripts/migration/tasks';
import { call, type ApiResponse } from '../support/api';
import { MINIMAL_CUSTOMER, uniqueId } from '../support/fixtures';
import { walkPages } from '../support/pages';
import { LOCAL_ENDPOINT, snapshot, tableChange, usePrivateTable } from '../reliability/harness';

jest.setTimeout(300_000);

const DUPLICATE_NUMBER = 'OBP-30006: Customer Number already exists. Please specify a different value for BANK_ID or CUSTOMER_NUMBER.';

type Item = Record<string, any>;

const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: LOCAL_ENDPOINT, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }), {
  marshallOptions: { removeUndefinedValues: true },
});
afterAll(() => raw.destroy());

const putAll = async (table: string, items: Item[]): Promise<void> => {
  for (let i = 0; i < items.length; i += 25) {
    await raw.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
};

const scanAll = async (table: string): Promise<Item[]> => {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await raw.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

const getItem = async (table: string, Key: { PK: string; SK: string }): Promise<Item | undefined> =>
  (await raw.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }))).Item;

const migrate = (table: string, options: Partial<MigrationOptions> = {}): Promise<MigrationReport> =>
  migrateTable({ client: raw, table, phase: 'complete', segments: 3, concurrency: 4, ...options });

const pathOf = (name: OperationName, params: Record<string, string>, query?: string): string => {
  const path = (operationPaths(operationByName(name))[0] as string).replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(params[p] as string));
  return query ? `${path}?${query}` : path;
};

// ---- what the previous layout wrote

interface Seeded {
  bankId: string;
  customers: CustomerData[];
  /** Items to Put, in the previous layout's shapes. */
  items: Item[];
}

let clock = Date.parse('2024-03-01T09:00:00.000Z');
const nextInstant = (): string => new Date((clock += 1_000)).toISOString();

const bankItem = (bankId: string): Item =>
  previousItems.bank({ bankId, bankCode: 'OLD', fullName: 'Old Bank', logo: '', website: '', routingScheme: '', routingAddress: '', swiftBic: '', createdAt: nextInstant() });

/** A bank with customers of these numbers, each with its guard, as the previous createBank and createCustomer wrote them. */
const seedBank = (numbers: string[], linkCounts: number[] = []): Seeded => {
  const bankId = uniqueId('old');
  const customers = numbers.map((number) => buildCustomer(bankId, uniqueId('cust-'), number, { ...MINIMAL_CUSTOMER, legal_name: `Holder of ${number}` }));
  const items = [bankItem(bankId)];
  customers.forEach((customer, i) => {
    const createdAt = nextInstant();
    items.push(previousItems.customer(customer, createdAt, linkCounts[i] ?? 0), previousItems.customerNumberGuard(customer, createdAt));
  });
  return { bankId, customers, items };
};

const oldLink = (userId: string, customer: CustomerData): Item =>
  previousItems.link({ linkId: uniqueId('link-'), userId, customerId: customer.customer_id, bankId: customer.bank_id, dateInserted: nextInstant(), isActive: true });

const oldMessage = (customer: CustomerData, text: string): Item =>
  previousItems.message({
    messageId: uniqueId('msg-'),
    customerId: customer.customer_id,
    bankId: customer.bank_id,
    createdAt: nextInstant(),
    message: text,
    transport: 'SMS',
    fromDepartment: 'Cards',
    fromPerson: 'Tom',
  });

const oldEntitlement = (userId: string, roleName: string, bankId: string): Item =>
  previousItems.entitlement({ entitlementId: uniqueId('ent-'), userId, roleName, bankId, createdAt: nextInstant() });

/** Customers holding each number (bank and NFKC-equal numbers count as one), from the customer items themselves. */
const holdersByNumber = (items: Item[]): Map<string, string[]> => {
  const holders = new Map<string, string[]>();
  for (const item of items.filter((i) => i.entity === 'Customer')) {
    const key = `${item.customer.bank_id} ${String(item.customer.customer_number).normalize('NFKC')}`;
    holders.set(key, [...(holders.get(key) ?? []), item.customer.customer_id]);
  }
  return holders;
};

/** Numbers held twice, customers without their guard, guards naming nobody with that number, guards of the old layout. */
const numberFaults = (items: Item[]): string[] => {
  const faults: string[] = [];
  for (const [number, ids] of holdersByNumber(items)) if (ids.length > 1) faults.push(`number ${number} held by ${ids.join(', ')}`);
  const byKey = new Map(items.map((i) => [`${i.PK} ${i.SK}`, i]));
  for (const c of items.filter((i) => i.entity === 'Customer')) {
    const guard = customerNumberGuardKey(c.customer.bank_id, c.customer.customer_number);
    if (byKey.get(`${guard.PK} ${guard.SK}`)?.customerId !== c.customer.customer_id) faults.push(`customer ${c.customer.customer_id} has no guard of its number`);
  }
  for (const g of items.filter((i) => i.entity === 'CustomerNumber' && !isPreviousGuard(i))) {
    const holder = byKey.get(`${customerKey(g.customerId).PK} CUSTOMER`);
    if (!holder || customerNumberGuardKey(holder.customer.bank_id, holder.customer.customer_number).PK !== g.PK) faults.push(`guard ${g.PK} names ${g.customerId}, who has another number`);
  }
  for (const g of items.filter(isPreviousGuard)) faults.push(`previous-layout guard ${g.PK} ${g.SK} left`);
  return faults;
};

// ---------------------------------------------------------------------------------------------------------------

describe('migrating a table of the previous layout', () => {
  const table = usePrivateTable('migration');

  // Bank A: customers (one with a number in another Unicode form), links, messages and entitlements.
  const bankA = seedBank([...Array.from({ length: 22 }, (_, i) => `m-${i}`), 'Ｎ-７'], [2, 1, 1]);
  const [c0, c1, c2] = bankA.customers as [CustomerData, CustomerData, CustomerData];
  // Bank B holds a number bank A also holds: numbers are per bank.
  const bankB = seedBank(['m-0']);
  // Bank R: the race of the complete phase against the API.
  const bankR = seedBank(Array.from({ length: 24 }, (_, i) => `r-${i}`));

  const linkedUser = uniqueId('linked-');
  const otherLinkedUser = uniqueId('linked-');
  const staff = uniqueId('staff-');
  const revoked = uniqueId('revoked-');
  const auditor = uniqueId('auditor-');
  const STAFF_ROLES = [
    'CanGetCustomer',
    'CanCreateCustomer',
    'CanGetCustomers',
    'CanGetCustomersMinimal',
    'CanGetUserCustomerLink',
    'CanDeleteUserCustomerLink',
    'CanGetEntitlementsForOneBank',
    'CanDeleteEntitlementAtOneBank',
    'CanUpdateCustomerNumber',
  ];
  const links = { u0c0: oldLink(linkedUser, c0), u0c1: oldLink(linkedUser, c1), u1c0: oldLink(otherLinkedUser, c0), u1c2: oldLink(otherLinkedUser, c2) };
  const messages = [oldMessage(c0, 'first to c0'), oldMessage(c0, 'second to c0'), oldMessage(c1, 'to c1'), oldMessage(c2, 'to c2')];
  const revokedGrant = oldEntitlement(revoked, 'CanGetCustomer', bankA.bankId);
  const entitlements = [
    ...STAFF_ROLES.map((role) => oldEntitlement(staff, role, bankA.bankId)),
    ...['CanCreateCustomer', 'CanUpdateCustomerNumber', 'CanGetCustomer'].map((role) => oldEntitlement(staff, role, bankR.bankId)),
    revokedGrant,
    oldEntitlement(auditor, 'CanGetEntitlementsForAnyUserAtAnyBank', ''),
  ];
  const seeded = [...bankA.items, ...bankB.items, ...bankR.items, ...Object.values(links), ...messages, ...entitlements];
  const checkpointDir = mkdtempSync(join(tmpdir(), 'migrate-layout-'));

  beforeAll(async () => {
    await putAll(table.name, seeded);
  });

  const allCustomers = () => [...bankA.customers, ...bankB.customers, ...bankR.customers];

  it('a dry run finds every item of the previous layout and writes nothing', async () => {
    const before = await snapshot(table.name);
    const report = await migrate(table.name, { dryRun: true, checkpointFile: join(checkpointDir, 'dry.json') });
    expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [], changed: [] });
    expect(existsSync(join(checkpointDir, 'dry.json'))).toBe(false);
    const counts = Object.fromEntries(Object.entries(report.kinds).map(([k, c]) => [k, [c.found, c.migrated]]));
    const n = allCustomers().length;
    expect(counts).toEqual({ guard: [n, n], customer: [n, n], link: [4, 4], entitlement: [entitlements.length, entitlements.length] });
    expect(report.transactions).toBe(0);
  });

  it('the command line runs it (npm run migrate) and reports in its output', () => {
    const out = spawnSync('npm', ['run', '--silent', 'migrate', '--', '--table', table.name, '--endpoint', LOCAL_ENDPOINT, '--dry-run'], {
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
    });
    expect({ status: out.status, stderr: out.status === 0 ? '' : out.stderr }).toEqual({ status: 0, stderr: '' });
    expect(out.stdout).toContain(`DRY RUN (nothing written): phase complete of table ${table.name}`);
    expect(out.stdout).toMatch(new RegExp(`guard +found ${allCustomers().length}, to migrate ${allCustomers().length}`));
  });

  describe('expand (the previous code still serving, customer creation paused)', () => {
    let first: MigrationReport;
    let resumed: MigrationReport;

    beforeAll(async () => {
      const checkpointFile = join(checkpointDir, 'expand.json');
      first = await migrate(table.name, { phase: 'expand', pageSize: 10, stopAfterPages: 4, checkpointFile });
      expect(first.interrupted).toBe(true);
      const saved = JSON.parse(readFileSync(checkpointFile, 'utf8'));
      expect(saved.segments.some((s: { startKey?: unknown }) => s.startKey !== undefined)).toBe(true);
      resumed = await migrate(table.name, { phase: 'expand', pageSize: 10, checkpointFile });
      expect(existsSync(checkpointFile)).toBe(false);
    });

    it('an interrupted run resumes where it stopped, and the two together migrate everything once', async () => {
      const after = await scanAll(table.name);
      expect(resumed.interrupted).toBe(false);
      expect(first.scanned).toBeGreaterThan(0);
      // The resumed run did not start over: it scanned only what the interrupted one had not.
      expect(resumed.scanned).toBeLessThan(after.length);
      expect(first.scanned + resumed.scanned).toBeLessThanOrEqual(after.length);
      const migrated = (k: keyof MigrationReport['kinds']) => first.kinds[k].migrated + resumed.kinds[k].migrated;
      expect([migrated('guard'), migrated('customer'), migrated('link'), migrated('entitlement')]).toEqual([
        allCustomers().length,
        allCustomers().length,
        4,
        entitlements.length,
      ]);
      expect([...first.conflicts, ...resumed.conflicts]).toEqual([]);
    });

    it('leaves everything the previous code reads in place: old guards with their copy, links in the old user index, role items', async () => {
      for (const customer of allCustomers()) {
        const guard = await getItem(table.name, previousKeys.customerNumberGuard(customer.bank_id, customer.customer_number));
        expect(guard?.customer.customer_id).toBe(customer.customer_id);
      }
      const oldIndex = await raw.send(
        new QueryCommand({
          TableName: table.name,
          IndexName: GSI1,
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': previousKeys.linksOfUserIndex(linkedUser, '', '').GSI1PK },
        }),
      );
      expect(oldIndex.Items?.map((i) => i.customerId).sort()).toEqual([c0.customer_id, c1.customer_id].sort());
      for (const e of entitlements) expect((await getItem(table.name, { PK: e.PK, SK: e.SK }))?.entitlementId).toBe(e.entitlementId);
    });

    it('lets the new code find every customer by number already (so the deploy can follow)', async () => {
      // (staff holds roles at banks A and R)
      for (const customer of [...bankA.customers, ...bankR.customers]) {
        const res = await call('POST', pathOf('getCustomerByNumber', { BANK_ID: customer.bank_id }), { as: staff, body: { customer_number: customer.customer_number } });
        expect({ number: customer.customer_number, status: res.status, id: res.body.customer_id }).toEqual({ number: customer.customer_number, status: 200, id: customer.customer_id });
      }
      const mine = await call('GET', pathOf('getMyMessages', { BANK_ID: bankA.bankId }), { as: linkedUser });
      expect(mine.body.messages.map((m: { message: string }) => m.message).sort()).toEqual(['first to c0', 'second to c0', 'to c1']);
    });

    it('a second expand run writes nothing', async () => {
      const before = await snapshot(table.name);
      const again = await migrate(table.name, { phase: 'expand' });
      expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [], changed: [] });
      expect(again.transactions).toBe(0);
      expect(again.kinds.guard.already).toBe(allCustomers().length);
    });
  });

  describe('complete (the new code serving, creation resumed), racing the API', () => {
    let report: MigrationReport;
    const creates: { number: string; renamed: boolean; res: Promise<ApiResponse> }[] = [];
    const renames: { number: string; res: Promise<ApiResponse> }[] = [];
    const intrusions: { number: string; res: Promise<ApiResponse> }[] = [];
    /** Every third customer of bank R leaves its number while the migration is moving that number's guard. */
    const renamedAway = new Set(bankR.customers.filter((_, i) => i % 3 === 0).map((c) => c.customer_number));
    /** Of those, every other one has left it just before the move is sent (the move then finds the guard stale). */
    const renamedFirst = new Set(bankR.customers.filter((_, i) => i % 6 === 0).map((c) => c.customer_number));
    const bystanders: { id: string }[] = [];

    beforeAll(async () => {
      // Customers made by the new code before the migration, who will try to take the numbers being moved.
      for (let i = 0; i < 8; i++) {
        const res = await call('POST', pathOf('createCustomer', { BANK_ID: bankR.bankId }), { as: staff, body: { ...MINIMAL_CUSTOMER, customer_number: `bystander-${i}` } });
        expect(res.status).toBe(201);
        bystanders.push({ id: res.body.customer_id });
      }
      let intruder = 0;
      // At the very moment each guard of bank R is moved: two creates of its number, and either its customer moving
      // away to a new number or another customer trying to move onto it.
      const beforeWrite = async (task: Task): Promise<void> => {
        if (task.kind !== 'guard' || task.ids.bankId !== bankR.bankId) return;
        const { number, customerId } = task.ids as { number: string; customerId: string };
        const renamed = renamedAway.has(number);
        for (let k = 0; k < 2; k++) {
          creates.push({
            number,
            renamed,
            res: call('POST', pathOf('createCustomer', { BANK_ID: bankR.bankId }), { as: staff, body: { ...MINIMAL_CUSTOMER, legal_name: 'Racer', customer_number: number } }),
          });
        }
        if (renamed) {
          const res = call('PUT', pathOf('updateCustomerNumber', { BANK_ID: bankR.bankId, CUSTOMER_ID: customerId }), { as: staff, body: { customer_number: `${number}-moved` } });
          renames.push({ number, res });
          if (renamedFirst.has(number)) await res;
        } else {
          const bystander = bystanders[intruder++ % bystanders.length] as { id: string };
          intrusions.push({ number, res: call('PUT', pathOf('updateCustomerNumber', { BANK_ID: bankR.bankId, CUSTOMER_ID: bystander.id }), { as: staff, body: { customer_number: number } }) });
        }
      };
      report = await migrate(table.name, { phase: 'complete', pageSize: 8, beforeWrite });
      await Promise.all([...creates, ...renames, ...intrusions].map((r) => r.res));
    });

    it('raced every guard of bank R', () => {
      expect(new Set(creates.map((c) => c.number))).toEqual(new Set(bankR.customers.map((c) => c.customer_number)));
      // The moves of numbers whose customer had left them found their old guard stale and only removed it.
      expect(report.kinds.guard.stale).toBeGreaterThanOrEqual(renamedFirst.size);
      expect(report.conflicts).toEqual([]);
      expect(report.guardsMovedWithoutCopy).toBe(0);
    });

    it('never let a number be taken twice: creates and renames onto a held number are 400 OBP-30006', async () => {
      for (const c of creates.filter((x) => !x.renamed)) {
        const res = await c.res;
        expect({ number: c.number, status: res.status, body: res.body }).toEqual({ number: c.number, status: 400, body: { code: 400, message: DUPLICATE_NUMBER } });
      }
      for (const i of intrusions) {
        const res = await i.res;
        expect({ number: i.number, status: res.status, message: String(res.body?.message).slice(0, DUPLICATE_NUMBER.length) }).toEqual({ number: i.number, status: 400, message: DUPLICATE_NUMBER });
      }
      for (const r of renames) expect({ number: r.number, status: (await r.res).status }).toEqual({ number: r.number, status: 200 });
      // A number its customer left during the race may go to one of the racers, never to two.
      for (const number of renamedAway) {
        const won = [];
        for (const c of creates.filter((x) => x.number === number)) if ((await c.res).status === 201) won.push(c);
        expect({ number, winners: won.length <= 1 }).toEqual({ number, winners: true });
      }
    });

    it('leaves every number with exactly one guard, naming its one holder, and no guard of the previous layout', async () => {
      expect(numberFaults(await scanAll(table.name))).toEqual([]);
    });

    it('leaves no item of the previous layout', async () => {
      const items = await scanAll(table.name);
      expect(items.filter(isPreviousGuard).length).toBe(0);
      expect(items.filter(isPreviousCustomerIndexEntry).length).toBe(0);
      expect(items.filter(hasPreviousLinkIndexEntry).length).toBe(0);
      const byKey = new Set(items.map((i) => `${i.PK} ${i.SK}`));
      for (const e of items.filter((i) => i.entity === 'Entitlement' && String(i.PK).startsWith('USER#'))) {
        const byId = entitlementByIdKey(e.entitlementId);
        expect({ id: e.entitlementId, byId: byKey.has(`${byId.PK} ${byId.SK}`), indexed: e.bankId === '' || typeof e.GSI1PK === 'string' }).toEqual({ id: e.entitlementId, byId: true, indexed: true });
      }
      for (const l of Object.values(links)) {
        const byId = linkByIdKey(l.linkId);
        expect(byKey.has(`${byId.PK} ${byId.SK}`)).toBe(true);
      }
    });

    it('getCustomerByNumber finds every customer of bank A, in either Unicode form of its number', async () => {
      for (const customer of [...bankA.customers]) {
        const res = await call('POST', pathOf('getCustomerByNumber', { BANK_ID: bankA.bankId }), { as: staff, body: { customer_number: customer.customer_number } });
        expect({ number: customer.customer_number, status: res.status, id: res.body.customer_id }).toEqual({ number: customer.customer_number, status: 200, id: customer.customer_id });
      }
      const ascii = await call('POST', pathOf('getCustomerByNumber', { BANK_ID: bankA.bankId }), { as: staff, body: { customer_number: 'N-7' } });
      expect({ status: ascii.status, id: ascii.body.customer_id, number: ascii.body.customer_number }).toEqual({
        status: 200,
        id: (bankA.customers.at(-1) as CustomerData).customer_id,
        number: 'N-7',
      });
    });

    it('creating a customer with any migrated number is 400 OBP-30006, at its bank only', async () => {
      for (const number of [...bankA.customers.map((c) => c.customer_number), 'N-7']) {
        const res = await call('POST', pathOf('createCustomer', { BANK_ID: bankA.bankId }), { as: staff, body: { ...MINIMAL_CUSTOMER, customer_number: number } });
        expect({ number, status: res.status, body: res.body }).toEqual({ number, status: 400, body: { code: 400, message: DUPLICATE_NUMBER } });
      }
      // m-0 is also bank B's: at bank R (where staff may create) a fresh bank-A number is free.
      const elsewhere = await call('POST', pathOf('createCustomer', { BANK_ID: bankR.bankId }), { as: staff, body: { ...MINIMAL_CUSTOMER, customer_number: 'm-1' } });
      expect(elsewhere.status).toBe(201);
    });

    it('the customer lists show each customer of bank A exactly once, in creation order', async () => {
      const expected = bankA.customers.map((c) => c.customer_id);
      const full = await walkPages(pathOf('getCustomersAtOneBank', { BANK_ID: bankA.bankId }, 'limit=5&sort_direction=ASC'), 'customers', staff, { limit: 5 });
      expect(full.items.map((c: { customer_id: string }) => c.customer_id)).toEqual(expected);
      const minimal = await walkPages(pathOf('getCustomersMinimalAtOneBank', { BANK_ID: bankA.bankId }, 'limit=7'), 'customers', staff, { limit: 7 });
      expect(minimal.items.map((c: { customer_id: string }) => c.customer_id)).toEqual([...expected].reverse());
    });

    it('getMyMessages and the link lists read the migrated links', async () => {
      const mine = await call('GET', pathOf('getMyMessages', { BANK_ID: bankA.bankId }), { as: linkedUser });
      expect(mine.body.messages.map((m: { message: string }) => m.message)).toEqual(['to c1', 'second to c0', 'first to c0']);
      const ofUser = await call('GET', pathOf('getUserCustomerLinksByUserId', { BANK_ID: bankA.bankId, USER_ID: linkedUser }), { as: staff });
      expect(ofUser.body.user_customer_links.map((l: { user_customer_link_id: string }) => l.user_customer_link_id).sort()).toEqual([links.u0c0.linkId, links.u0c1.linkId].sort());
      const ofCustomer = await call('GET', pathOf('getUserCustomerLinksByCustomerId', { BANK_ID: bankA.bankId, CUSTOMER_ID: c0.customer_id }), { as: staff });
      expect(ofCustomer.body.user_customer_links.map((l: { user_customer_link_id: string }) => l.user_customer_link_id).sort()).toEqual([links.u0c0.linkId, links.u1c0.linkId].sort());
    });

    it('deleteUserCustomerLink removes a migrated link: its items, its count, its messages from getMyMessages', async () => {
      const res = await call('DELETE', pathOf('deleteUserCustomerLink', { BANK_ID: bankA.bankId, USER_CUSTOMER_LINK_ID: links.u0c1.linkId }), { as: staff });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: true });
      expect(await getItem(table.name, linkByIdKey(links.u0c1.linkId))).toBeUndefined();
      expect(await getItem(table.name, { PK: links.u0c1.PK, SK: links.u0c1.SK })).toBeUndefined();
      expect((await getItem(table.name, customerKey(c1.customer_id)))?.linkCount).toBe(0);
      const mine = await call('GET', pathOf('getMyMessages', { BANK_ID: bankA.bankId }), { as: linkedUser });
      expect(mine.body.messages.map((m: { message: string }) => m.message)).toEqual(['second to c0', 'first to c0']);
      const again = await call('DELETE', pathOf('deleteUserCustomerLink', { BANK_ID: bankA.bankId, USER_CUSTOMER_LINK_ID: links.u0c1.linkId }), { as: staff });
      expect(again.status).toBe(400);
    });

    it('getEntitlementsForBank lists the migrated grants, and deleteEntitlement revokes one at once', async () => {
      const review = await walkPages(pathOf('getEntitlementsForBank', { BANK_ID: bankA.bankId }, 'limit=50'), 'list', staff);
      const seededAtA = entitlements.filter((e) => e.bankId === bankA.bankId).map((e) => e.entitlementId);
      expect(review.items.map((e: { entitlement_id: string }) => e.entitlement_id).sort()).toEqual([...seededAtA].sort());
      const allowed = await call('GET', pathOf('getCustomerById', { BANK_ID: bankA.bankId, CUSTOMER_ID: c0.customer_id }), { as: revoked });
      expect(allowed.status).toBe(200);
      const res = await call('DELETE', pathOf('deleteEntitlement', { USER_ID: revoked, ENTITLEMENT_ID: revokedGrant.entitlementId }), { as: staff });
      expect(res.status).toBe(204);
      const refused = await call('GET', pathOf('getCustomerById', { BANK_ID: bankA.bankId, CUSTOMER_ID: c0.customer_id }), { as: revoked });
      expect(refused.status).toBe(403);
      expect(await getItem(table.name, entitlementByIdKey(revokedGrant.entitlementId))).toBeUndefined();
    });

    it('a second complete run, and a dry run after it, write nothing and find nothing to do', async () => {
      const before = await snapshot(table.name);
      const again = await migrate(table.name, { phase: 'complete' });
      const dry = await migrate(table.name, { phase: 'complete', dryRun: true });
      expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [], changed: [] });
      expect(again.transactions).toBe(0);
      for (const r of [again, dry]) {
        expect(Object.values(r.kinds).map((c) => c.migrated)).toEqual([0, 0, 0, 0]);
        expect(r.kinds.guard.found).toBe(0);
      }
    });
  });
});

describe('what the migration will not force', () => {
  const table = { name: `migration-conflicts-${uniqueId('')}` };
  const client = new DynamoDBClient({ endpoint: LOCAL_ENDPOINT, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  beforeAll(() => ensureTable(client, table.name));
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: table.name }));
    client.destroy();
  });

  it('two old customers whose numbers are one number in NFKC form: reported, and the second guard left as it was', async () => {
    const twins = seedBank(['７', '7']);
    await putAll(table.name, twins.items);
    const report = await migrate(table.name, { phase: 'complete', segments: 1 });
    expect(report.kinds.guard.conflicts).toBe(1);
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0]?.reason).toBe('the new guard of this number names another customer');
    const items = await scanAll(table.name);
    // One of the two moved; the other keeps its old guard until someone decides which customer keeps the number.
    expect(items.filter(isPreviousGuard).map((g) => g.customer.customer_id)).toHaveLength(1);
    const holder = items.find((i) => i.PK === customerNumberGuardKey(twins.bankId, '7').PK);
    expect(twins.customers.map((c) => c.customer_id)).toContain(holder?.customerId);
  });

  it('a number taken by the new code while an old guard still held it (creation not paused): the duplicate is reported with its holder', async () => {
    const old = seedBank(['dup-1']);
    await putAll(table.name, old.items);
    // What the new createCustomer writes when nothing told it the number was taken.
    const intruder = buildCustomer(old.bankId, uniqueId('cust-'), 'dup-1', MINIMAL_CUSTOMER);
    await raw.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: { ...customerKey(intruder.customer_id), entity: 'Customer', customer: intruder, createdAt: nextInstant(), linkCount: 0 } } },
          { Put: { TableName: table.name, Item: { ...customerNumberGuardKey(old.bankId, 'dup-1'), entity: 'CustomerNumber', customerId: intruder.customer_id } } },
        ],
      }),
    );
    const report = await migrate(table.name, { phase: 'complete', segments: 1 });
    const conflict = report.conflicts.find((c) => c.item.includes(old.customers[0]!.customer_id));
    expect(conflict?.holder?.customerId).toBe(intruder.customer_id);
    expect(report.guardsMovedWithoutCopy).toBe(0);
    // The old guard stays, so the customer it names is not silently left without one.
    expect(await getItem(table.name, previousKeys.customerNumberGuard(old.bankId, 'dup-1'))).toBeDefined();
  });

  it('a run that fails half-way (DynamoDB refusing a write) keeps its progress, and the next run finishes the job', async () => {
    const bank = seedBank(Array.from({ length: 30 }, (_, i) => `crash-${i}`));
    await putAll(table.name, bank.items);
    const checkpointFile = join(mkdtempSync(join(tmpdir(), 'migrate-layout-')), 'complete.json');
    const failing = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: LOCAL_ENDPOINT, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }));
    let transactions = 0;
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && ++transactions === 25) throw new Error('injected: service unavailable');
        return next(args);
      },
      { step: 'initialize', name: 'injectFault' },
    );
    await expect(migrateTable({ client: failing, table: table.name, phase: 'complete', segments: 2, concurrency: 2, pageSize: 6, checkpointFile })).rejects.toThrow('injected');
    failing.destroy();
    expect(existsSync(checkpointFile)).toBe(true);
    const finished = await migrate(table.name, { segments: 2, pageSize: 6, checkpointFile });
    expect(existsSync(checkpointFile)).toBe(false);
    const items = (await scanAll(table.name)).filter((i) => i.PK.includes(bank.bankId) || i.customer?.bank_id === bank.bankId);
    expect(numberFaults(items)).toEqual([]);
    expect(items.filter(isPreviousCustomerIndexEntry)).toEqual([]);
    expect(finished.interrupted).toBe(false);
  });
});
