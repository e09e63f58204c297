// The data and the requests of figures 1 and 2: one bank with enough data that every list returns a full page, and
// for every operation of the operations list a request that succeeds, built afresh for each repetition (an update
// changes something, a delete has something to delete). The setup writes through the repositories and domain
// functions directly (not measured); only the requests returned here are measured.
import { randomBytes, randomUUID } from 'node:crypto';
import { insertEntitlement } from '../functions/data/entitlements-repository';
import { insertLink } from '../functions/data/links-repository';
import { insertMessage } from '../functions/data/messages-repository';
import type { CustomerData } from '../functions/data/records';
import { createBank } from '../functions/domain/banks';
import { createCustomer } from '../functions/domain/customers';
import type { WriteContext } from '../functions/domain/write-context';
import { DEFAULT_LIMIT } from '../functions/http/paging';
import { ROLE_SCOPES, type RoleName } from '../functions/common/roles';

export const uid = (prefix: string): string => `${prefix}${randomBytes(5).toString('hex')}`;

export interface BenchRequest {
  method: string;
  path: string;
  /** The caller's user id (a token is made for it); anonymous when absent. */
  as?: string;
  body?: unknown;
}

export interface OperationCase {
  operation: string;
  /** A fresh request for one repetition (its unmeasured setup done). */
  next: (rep: number) => Promise<BenchRequest>;
  /** What the scenario is, for the table. */
  scenario: string;
}

/** Items every seeded list holds: more than one default page, so each list page is full and has a next page. */
export const LIST_ITEMS = DEFAULT_LIMIT + 10;
/** Customers at the bank: more than a page in each of the 16 index shards, so a page reads its worst case. */
export const BANK_CUSTOMERS = 1_200;

const ctx = (actor: string): WriteContext => ({ actor, now: new Date() });

/** Runs fn(0) … fn(count − 1), `width` at a time: few enough that a busy machine's DynamoDB Local keeps up. */
const inParallel = async (count: number, fn: (i: number) => Promise<unknown>, width = 4): Promise<void> => {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await fn(next++);
  }));
};

const grantAll = async (userId: string, bankId: string, roles: RoleName[]): Promise<void> => {
  for (const roleName of roles) {
    await insertEntitlement({
      entitlementId: randomUUID(),
      userId,
      roleName,
      bankId: ROLE_SCOPES[roleName] === 'bank' ? bankId : '',
      createdAt: new Date().toISOString(),
      grantedBy: 'benchsetup',
    });
  }
};

const MESSAGE = { message: 'Your new card is on its way.', transport: 'SMS', from_department: 'Cards', from_person: 'Tom' };
const MINIMAL_CUSTOMER = { legal_name: 'Bench Customer', mobile_phone_number: '+44 07972 444 876' };

/** Messages for a customer, `count` of them, one second apart (their order is their creation time). */
export const seedMessages = async (customer: CustomerData, count: number, start = Date.now() - count * 1000): Promise<void> =>
  inParallel(count, (i) =>
    insertMessage({
      messageId: randomUUID(),
      customerId: customer.customer_id,
      bankId: customer.bank_id,
      createdAt: new Date(start + i * 1000).toISOString(),
      message: `${MESSAGE.message} (${i})`,
      transport: MESSAGE.transport,
      fromDepartment: MESSAGE.from_department,
      fromPerson: MESSAGE.from_person,
      postedBy: 'benchsetup',
    }),
  );

const link = (userId: string, customer: CustomerData) => {
  const record = {
    linkId: randomUUID(),
    userId,
    customerId: customer.customer_id,
    bankId: customer.bank_id,
    dateInserted: new Date().toISOString(),
    isActive: true,
    createdBy: 'benchsetup',
  };
  return insertLink(record).then(() => record);
};

/**
 * The roles the bank's member of staff holds: every bank role the measured operations need, and of the system roles
 * only the one getEntitlements requires (an "at any bank" role would make no check cheaper: every candidate role is read).
 */
export const STAFF_ROLES: RoleName[] = [
  'CanCreateEntitlementAtOneBank',
  'CanCreateCustomer',
  'CanGetCustomer',
  'CanGetCustomers',
  'CanGetCustomersMinimal',
  'CanCreateCustomerMessage',
  'CanGetCustomerMessages',
  'CanCreateUserCustomerLink',
  'CanDeleteUserCustomerLink',
  'CanGetUserCustomerLink',
  'CanGetEntitlementsForOneBank',
  'CanUpdateCustomerNumber',
  'CanUpdateCustomerEmail',
  'CanUpdateCustomerMobilePhoneNumber',
  'CanUpdateCustomerIdentity',
  'CanUpdateCustomerCreditLimit',
  'CanUpdateCustomerCreditRatingAndSource',
  'CanUpdateCustomerBranch',
  'CanUpdateCustomerData',
  'CanGetEntitlementsForAnyUserAtAnyBank',
];

export interface Workload {
  bankId: string;
  cases: OperationCase[];
  /** The data the scenarios were built on, for the table's notes. */
  description: string[];
}

export const buildWorkload = async (): Promise<Workload> => {
  const bankId = uid('rt');
  const staff = uid('staff');
  const banker = uid('banker');
  const revoker = uid('revoker');
  const me = uid('me');
  const manyLinks = uid('manylinks');
  const holder = uid('holder');
  await createBank(ctx(banker), { id: bankId, bank_code: 'BENCH' });
  await grantAll(staff, bankId, STAFF_ROLES);
  await grantAll(banker, bankId, ['CanCreateBank']);
  // Only the bank role: deleteEntitlement then reads the entitlement first and the caller's roles at its bank next.
  await grantAll(revoker, bankId, ['CanDeleteEntitlementAtOneBank']);

  const customers: CustomerData[] = [];
  await inParallel(BANK_CUSTOMERS, async () => customers.push(await createCustomer(ctx(staff), bankId, MINIMAL_CUSTOMER)));
  const [c1, c2, updated] = customers as [CustomerData, CustomerData, CustomerData];
  await seedMessages(c1, LIST_ITEMS);
  await seedMessages(c2, LIST_ITEMS);
  await link(me, c1);
  await link(me, c2);
  await inParallel(LIST_ITEMS, (i) => link(manyLinks, customers[3 + i] as CustomerData));
  await inParallel(LIST_ITEMS, () => link(uid('linked'), c1));
  // A user holding a page and more of entitlements (one role at many banks), and a bank with as many grants.
  await inParallel(LIST_ITEMS, (i) =>
    insertEntitlement({ entitlementId: randomUUID(), userId: holder, roleName: 'CanGetCustomer', bankId: `${bankId}x${i}`, createdAt: new Date().toISOString() }),
  );
  await inParallel(LIST_ITEMS, () =>
    insertEntitlement({ entitlementId: randomUUID(), userId: uid('grantee'), roleName: 'CanGetCustomer', bankId, createdAt: new Date().toISOString() }),
  );

  const v5 = '/obp/v5.0.0';
  const bank = `${v5}/banks/${bankId}`;
  const fixed = (request: BenchRequest) => async () => request;
  const update = (field: string, body: (rep: number) => unknown) => async (rep: number): Promise<BenchRequest> => ({
    method: 'PUT',
    path: `${bank}/customers/${updated.customer_id}/${field}`,
    as: staff,
    body: body(rep),
  });
  const page = `a page of ${DEFAULT_LIMIT} (the default limit) of ${LIST_ITEMS}`;

  const cases: OperationCase[] = [
    { operation: 'root', next: fixed({ method: 'GET', path: `${v5}/root` }), scenario: 'anonymous' },
    {
      operation: 'createBank',
      next: async () => ({ method: 'POST', path: `${v5}/banks`, as: banker, body: { id: uid('nb'), bank_code: 'NEW', full_name: 'New Bank' } }),
      scenario: 'a new bank id each time',
    },
    { operation: 'getBank', next: fixed({ method: 'GET', path: bank }), scenario: 'anonymous' },
    {
      operation: 'addEntitlement',
      next: async () => ({ method: 'POST', path: `${v5}/users/${uid('newuser')}/entitlements`, as: staff, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }),
      scenario: 'a bank role, granted by a holder of CanCreateEntitlementAtOneBank',
    },
    { operation: 'getEntitlements', next: fixed({ method: 'GET', path: `${v5}/users/${holder}/entitlements`, as: staff }), scenario: `${page} entitlements` },
    { operation: 'getCurrentUser', next: fixed({ method: 'GET', path: `${v5}/users/current`, as: staff }), scenario: `a caller holding ${STAFF_ROLES.length} entitlements` },
    {
      operation: 'createCustomer',
      next: async () => ({ method: 'POST', path: `${bank}/customers`, as: staff, body: { ...MINIMAL_CUSTOMER, customer_number: uid('n') } }),
      scenario: 'with a customer_number',
    },
    { operation: 'addCustomerMessage', next: fixed({ method: 'POST', path: `${bank}/customer/${c1.customer_id}/messages`, as: staff, body: { message: 'Hello', from_department: 'Cards', from_person: 'Tom' } }), scenario: 'v1.4.0 body' },
    { operation: 'createCustomerMessage', next: fixed({ method: 'POST', path: `${bank}/customers/${c1.customer_id}/messages`, as: staff, body: MESSAGE }), scenario: 'v4.0.0 body' },
    { operation: 'getCustomerMessages', next: fixed({ method: 'GET', path: `${bank}/customers/${c1.customer_id}/messages`, as: staff }), scenario: `${page}+ messages` },
    {
      operation: 'getMyMessages',
      next: fixed({ method: 'GET', path: `${bank}/customer/messages`, as: me }),
      scenario: `a user linked to 2 customers with ${LIST_ITEMS}+ messages each (2 Queries in parallel)`,
    },
    { operation: 'getCustomerById', next: fixed({ method: 'GET', path: `${bank}/customers/${c1.customer_id}`, as: staff }), scenario: '' },
    {
      operation: 'getCustomerByNumber',
      next: fixed({ method: 'POST', path: `${bank}/customers/customer-number`, as: staff, body: { customer_number: c1.customer_number } }),
      scenario: '',
    },
    {
      operation: 'createUserCustomerLink',
      next: async () => ({ method: 'POST', path: `${bank}/user_customer_links`, as: staff, body: { user_id: uid('newuser'), customer_id: c2.customer_id } }),
      scenario: 'a new user each time',
    },
    { operation: 'updateCustomerNumber', next: update('number', () => ({ customer_number: uid('n') })), scenario: 'a new number each time (3-item transaction)' },
    { operation: 'updateCustomerEmail', next: update('email', (rep) => ({ email: `${uid('e')}${rep}@example.com` })), scenario: '' },
    { operation: 'updateCustomerMobileNumber', next: update('mobile-number', (rep) => ({ mobile_phone_number: `+44 07972 444 ${800 + rep}` })), scenario: '' },
    {
      operation: 'updateCustomerIdentity',
      next: update('identity', (rep) => ({ legal_name: `Eveline Tripman ${rep}`, date_of_birth: '1985-03-09T00:00:00Z', title: 'Dr.', name_suffix: 'Sr' })),
      scenario: '',
    },
    { operation: 'updateCustomerCreditLimit', next: update('credit-limit', (rep) => ({ credit_limit: { currency: 'EUR', amount: String(1000 + rep) } })), scenario: '' },
    {
      operation: 'updateCustomerCreditRatingAndSource',
      next: update('credit-rating-and-source', (rep) => ({ credit_rating: 'Good', credit_source: `Bank ${rep}` })),
      scenario: '',
    },
    { operation: 'updateCustomerBranch', next: update('branch', (rep) => ({ branch_id: `DERBY${rep}` })), scenario: '' },
    {
      operation: 'updateCustomerData',
      next: update('data', (rep) => ({
        face_image: { url: `www.openbankproject.com/${rep}`, date: '2017-09-19T00:00:00Z' },
        relationship_status: 'married',
        dependants: 0,
        highest_education_attained: 'Bachelor',
        employment_status: 'employed',
      })),
      scenario: '',
    },
    {
      operation: 'getCustomersAtOneBank',
      next: fixed({ method: 'GET', path: `${bank}/customers`, as: staff }),
      scenario: `a page of ${DEFAULT_LIMIT} of ${BANK_CUSTOMERS}+ customers (16 index shards read in parallel)`,
    },
    {
      operation: 'getCustomersMinimalAtOneBank',
      next: fixed({ method: 'GET', path: `${bank}/customers-minimal`, as: staff }),
      scenario: `a page of ${DEFAULT_LIMIT} of ${BANK_CUSTOMERS}+ customers (16 index shards read in parallel)`,
    },
    {
      operation: 'deleteEntitlement',
      next: async () => {
        const userId = uid('revoked');
        const entitlementId = randomUUID();
        await insertEntitlement({ entitlementId, userId, roleName: 'CanGetCustomer', bankId, createdAt: new Date().toISOString() });
        return { method: 'DELETE', path: `${v5}/users/${userId}/entitlement/${entitlementId}`, as: revoker };
      },
      scenario: 'a bank role, revoked by a holder of CanDeleteEntitlementAtOneBank only (the longest path)',
    },
    { operation: 'getEntitlementsForBank', next: fixed({ method: 'GET', path: `${bank}/entitlements`, as: staff }), scenario: `${page}+ grants` },
    {
      operation: 'deleteUserCustomerLink',
      next: async () => {
        const made = await link(uid('unlinked'), c2);
        return { method: 'DELETE', path: `${bank}/user_customer_links/${made.linkId}`, as: staff };
      },
      scenario: '',
    },
    { operation: 'getUserCustomerLinksByUserId', next: fixed({ method: 'GET', path: `${bank}/user_customer_links/users/${manyLinks}`, as: staff }), scenario: `${page} links` },
    {
      operation: 'getUserCustomerLinksByCustomerId',
      next: fixed({ method: 'GET', path: `${bank}/user_customer_links/customers/${c1.customer_id}`, as: staff }),
      scenario: `${page}+ links`,
    },
  ];
  return {
    bankId,
    cases,
    description: [
      `One bank with ${BANK_CUSTOMERS} customers (every one of the 16 index shards holds more than a page), customers with ${LIST_ITEMS} messages and ${LIST_ITEMS}+ links, a user with ${LIST_ITEMS} links, ${LIST_ITEMS}+ grants at the bank; every list request asks for the default page (${DEFAULT_LIMIT}), so each answer is a full page with a next page.`,
      `The callers hold only the roles the operation needs at the bank (the bank's staff: ${STAFF_ROLES.length} roles), none of the super-admin ids.`,
    ],
  };
};
