// The operations list: the 29 operations, their version prefixes, roles and where those are held, and one meaning
// per (method, path) (docs/design.md, "Operations" and "Roles"). The expected values are written out from the
// contract, not read from the list.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE_SCOPES } from '../../functions/common/roles';
import {
  API_PREFIXES,
  handlerEntry,
  handlerSource,
  operationByName,
  operationPaths,
  OPERATIONS,
  takesIdempotencyKey,
} from '../../functions/common/operations';

const prefixesOf = (name: string): string[] => operationPaths(operationByName(name)).map((p) => /^\/obp\/(v[\d.]+)\//.exec(p)?.[1] as string);

const ALL = ['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0'];
const SINCE_V4 = ['v4.0.0', 'v5.0.0', 'v5.1.0'];
const SINCE_V5 = ['v5.0.0', 'v5.1.0'];

/** Every operation: method, path under the prefix, the prefixes it answers under, and its roles (any one). */
const CONTRACT: Record<string, { method: string; path: string; prefixes: string[]; roles: string[] }> = {
  root: { method: 'GET', path: '/root', prefixes: ALL, roles: [] },
  createBank: { method: 'POST', path: '/banks', prefixes: SINCE_V5, roles: ['CanCreateBank'] },
  getBank: { method: 'GET', path: '/banks/{BANK_ID}', prefixes: SINCE_V5, roles: [] },
  addEntitlement: {
    method: 'POST',
    path: '/users/{USER_ID}/entitlements',
    prefixes: SINCE_V4,
    roles: ['CanCreateEntitlementAtOneBank', 'CanCreateEntitlementAtAnyBank'],
  },
  getEntitlements: { method: 'GET', path: '/users/{USER_ID}/entitlements', prefixes: SINCE_V4, roles: ['CanGetEntitlementsForAnyUserAtAnyBank'] },
  getCurrentUser: { method: 'GET', path: '/users/current', prefixes: SINCE_V4, roles: [] },
  createCustomer: { method: 'POST', path: '/banks/{BANK_ID}/customers', prefixes: SINCE_V5, roles: ['CanCreateCustomer', 'CanCreateCustomerAtAnyBank'] },
  addCustomerMessage: { method: 'POST', path: '/banks/{BANK_ID}/customer/{CUSTOMER_ID}/messages', prefixes: ALL, roles: ['CanCreateCustomerMessage'] },
  createCustomerMessage: {
    method: 'POST',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/messages',
    prefixes: SINCE_V4,
    roles: ['CanCreateCustomerMessage'],
  },
  getCustomerMessages: { method: 'GET', path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/messages', prefixes: SINCE_V4, roles: ['CanGetCustomerMessages'] },
  getMyMessages: { method: 'GET', path: '/banks/{BANK_ID}/customer/messages', prefixes: ALL, roles: [] },
  getCustomerById: { method: 'GET', path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}', prefixes: SINCE_V4, roles: ['CanGetCustomer'] },
  getCustomerByNumber: { method: 'POST', path: '/banks/{BANK_ID}/customers/customer-number', prefixes: SINCE_V4, roles: ['CanGetCustomer'] },
  createUserCustomerLink: {
    method: 'POST',
    path: '/banks/{BANK_ID}/user_customer_links',
    prefixes: SINCE_V4,
    roles: ['CanCreateUserCustomerLinkAtAnyBank', 'CanCreateUserCustomerLink'],
  },
  updateCustomerNumber: { method: 'PUT', path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/number', prefixes: SINCE_V4, roles: ['CanUpdateCustomerNumber'] },
  updateCustomerEmail: { method: 'PUT', path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/email', prefixes: SINCE_V4, roles: ['CanUpdateCustomerEmail'] },
  updateCustomerMobileNumber: {
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/mobile-number',
    prefixes: SINCE_V4,
    roles: ['CanUpdateCustomerMobilePhoneNumber'],
  },
  updateCustomerIdentity: { method: 'PUT', path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/identity', prefixes: SINCE_V4, roles: ['CanUpdateCustomerIdentity'] },
  updateCustomerCreditLimit: {
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/credit-limit',
    prefixes: SINCE_V4,
    roles: ['CanUpdateCustomerCreditLimit'],
  },
  updateCustomerCreditRatingAndSource: {
    method: 'PUT',
    path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/credit-rating-and-source',
    prefixes: SINCE_V4,
    roles: ['CanUpdateCustomerCreditRatingAndSource', 'CanUpdateCustomerCreditRatingAndSourceAtAnyBank'],
  },
  updateCustomerBranch: { method: 'PUT', path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/branch', prefixes: SINCE_V4, roles: ['CanUpdateCustomerBranch'] },
  updateCustomerData: { method: 'PUT', path: '/banks/{BANK_ID}/customers/{CUSTOMER_ID}/data', prefixes: SINCE_V4, roles: ['CanUpdateCustomerData'] },
  getCustomersAtOneBank: { method: 'GET', path: '/banks/{BANK_ID}/customers', prefixes: SINCE_V5, roles: ['CanGetCustomers'] },
  getCustomersMinimalAtOneBank: { method: 'GET', path: '/banks/{BANK_ID}/customers-minimal', prefixes: SINCE_V5, roles: ['CanGetCustomersMinimal'] },
  deleteEntitlement: {
    method: 'DELETE',
    path: '/users/{USER_ID}/entitlement/{ENTITLEMENT_ID}',
    prefixes: SINCE_V4,
    roles: ['CanDeleteEntitlementAtAnyBank', 'CanDeleteEntitlementAtOneBank'],
  },
  getEntitlementsForBank: {
    method: 'GET',
    path: '/banks/{BANK_ID}/entitlements',
    prefixes: SINCE_V4,
    roles: ['CanGetEntitlementsForOneBank', 'CanGetEntitlementsForAnyBank'],
  },
  deleteUserCustomerLink: {
    method: 'DELETE',
    path: '/banks/{BANK_ID}/user_customer_links/{USER_CUSTOMER_LINK_ID}',
    prefixes: SINCE_V4,
    roles: ['CanDeleteUserCustomerLink'],
  },
  getUserCustomerLinksByUserId: {
    method: 'GET',
    path: '/banks/{BANK_ID}/user_customer_links/users/{USER_ID}',
    prefixes: SINCE_V4,
    roles: ['CanGetUserCustomerLink'],
  },
  getUserCustomerLinksByCustomerId: {
    method: 'GET',
    path: '/banks/{BANK_ID}/user_customer_links/customers/{CUSTOMER_ID}',
    prefixes: SINCE_V4,
    roles: ['CanGetUserCustomerLink'],
  },
};

const LISTS = [
  'getCustomersAtOneBank',
  'getCustomersMinimalAtOneBank',
  'getCustomerMessages',
  'getMyMessages',
  'getEntitlements',
  'getEntitlementsForBank',
  'getUserCustomerLinksByUserId',
  'getUserCustomerLinksByCustomerId',
];

describe('the operations list', () => {
  it('serves exactly the four prefixes', () => {
    expect([...API_PREFIXES]).toEqual(ALL);
  });

  it('lists the 29 operations of the contract and no other', () => {
    expect(OPERATIONS).toHaveLength(29);
    expect(OPERATIONS.map((o) => o.name).sort()).toEqual(Object.keys(CONTRACT).sort());
  });

  it.each(Object.entries(CONTRACT))('%s: method, path and version prefixes', (name, { method, path, prefixes }) => {
    const op = operationByName(name);
    expect({ method: op.method, path: op.path }).toEqual({ method, path });
    expect(prefixesOf(name)).toEqual(prefixes);
  });

  it('builds each path as /obp/<version><path>', () => {
    expect(operationPaths(operationByName('createCustomer'))).toEqual(['/obp/v5.0.0/banks/{BANK_ID}/customers', '/obp/v5.1.0/banks/{BANK_ID}/customers']);
    expect(operationPaths(operationByName('addCustomerMessage'))).toEqual(ALL.map((v) => `/obp/${v}/banks/{BANK_ID}/customer/{CUSTOMER_ID}/messages`));
  });

  it('gives each (method, path) exactly one operation', () => {
    const routes = OPERATIONS.flatMap((op) => operationPaths(op).map((p) => `${op.method} ${p}`));
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('roles per operation, each a role the API knows', () => {
    expect(Object.fromEntries(OPERATIONS.map((o) => [o.name, o.roles]))).toEqual(Object.fromEntries(Object.entries(CONTRACT).map(([n, c]) => [n, c.roles])));
    for (const op of OPERATIONS) for (const role of op.roles) expect(Object.hasOwn(ROLE_SCOPES, role)).toBe(true);
  });

  it("roles are held at the path's bank, except addEntitlement's (the body's bank) and deleteEntitlement's (the entitlement's bank)", () => {
    const scopes = Object.fromEntries(OPERATIONS.filter((o) => (o.roleScope ?? 'path') !== 'path').map((o) => [o.name, o.roleScope]));
    expect(scopes).toEqual({ addEntitlement: 'body', deleteEntitlement: 'entitlement' });
    // The super admins may grant and revoke any role, and do nothing else without roles.
    expect(OPERATIONS.filter((o) => o.superAdmin).map((o) => o.name).sort()).toEqual(['addEntitlement', 'deleteEntitlement']);
  });

  it('the lists, the success statuses, and which operations take an Idempotency-Key', () => {
    expect(OPERATIONS.filter((o) => o.list).map((o) => o.name).sort()).toEqual([...LISTS].sort());
    const statuses = Object.fromEntries(OPERATIONS.map((o) => [o.name, o.response.status]));
    for (const [name, status] of Object.entries(statuses)) {
      const expected = name === 'deleteEntitlement' ? 204 : CONTRACT[name]?.method === 'POST' && name !== 'getCustomerByNumber' ? 201 : 200;
      expect({ name, status }).toEqual({ name, status: expected });
    }
    expect(operationByName('deleteEntitlement').response.schema).toBeUndefined(); // 204: no body
    // Every POST and PUT that writes; getCustomerByNumber is a read sent as a POST.
    const idempotent = OPERATIONS.filter(takesIdempotencyKey).map((o) => o.name);
    const expected = Object.entries(CONTRACT)
      .filter(([name, c]) => (c.method === 'POST' || c.method === 'PUT') && name !== 'getCustomerByNumber')
      .map(([name]) => name);
    expect(idempotent.sort()).toEqual(expected.sort());
    expect(idempotent).toHaveLength(14);
  });

  it('every operation but root and getBank needs a logged-in user, and every handler file and generated entry exists', () => {
    for (const op of OPERATIONS) {
      expect({ name: op.name, auth: op.auth }).toEqual({ name: op.name, auth: !['root', 'getBank'].includes(op.name) });
      expect(existsSync(join(__dirname, '..', '..', handlerSource(op)))).toBe(true);
      expect(existsSync(join(__dirname, '..', '..', handlerEntry(op)))).toBe(true);
    }
  });

  it('operationByName throws for an unknown name', () => {
    expect(() => operationByName('deleteCustomer')).toThrow('deleteCustomer');
  });
});
