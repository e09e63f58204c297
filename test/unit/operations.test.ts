// The operations list: version prefixes, roles, and one meaning per (method, path) (docs/design.md).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE_SCOPES } from '../../functions/shared/roles';
import { API_PREFIXES, handlerEntry, handlerSource, operationByName, operationPaths, OPERATIONS } from '../../functions/shared/operations';

const prefixesOf = (name: string): string[] => operationPaths(operationByName(name)).map((p) => /^\/obp\/(v[\d.]+)\//.exec(p)?.[1] as string);

describe('operationPaths (version prefixes)', () => {
  it('serves exactly the four prefixes', () => {
    expect([...API_PREFIXES]).toEqual(['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0']);
  });

  it.each([
    ['createCustomer', ['v5.0.0', 'v5.1.0']],
    ['createBank', ['v5.0.0', 'v5.1.0']],
    ['getBank', ['v5.0.0', 'v5.1.0']],
    ['addCustomerMessage', ['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['getMyMessages', ['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['root', ['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['createCustomerMessage', ['v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['getCustomerMessages', ['v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['getCustomerById', ['v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['getCustomerByNumber', ['v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['addEntitlement', ['v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['getEntitlements', ['v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['getCurrentUser', ['v4.0.0', 'v5.0.0', 'v5.1.0']],
    ['createUserCustomerLink', ['v4.0.0', 'v5.0.0', 'v5.1.0']],
  ])('%s answers under %j', (name, prefixes) => {
    expect(prefixesOf(name)).toEqual(prefixes);
  });

  it('lists every operation and no other', () => {
    expect(OPERATIONS.map((o) => o.name).sort()).toEqual(
      [
        'root',
        'createBank',
        'getBank',
        'addEntitlement',
        'getEntitlements',
        'getCurrentUser',
        'createCustomer',
        'addCustomerMessage',
        'createCustomerMessage',
        'getCustomerMessages',
        'getMyMessages',
        'getCustomerById',
        'getCustomerByNumber',
        'createUserCustomerLink',
      ].sort(),
    );
  });

  it('builds each path as /obp/<version><path>', () => {
    expect(operationPaths(operationByName('createCustomer'))).toEqual([
      '/obp/v5.0.0/banks/{BANK_ID}/customers',
      '/obp/v5.1.0/banks/{BANK_ID}/customers',
    ]);
    expect(operationPaths(operationByName('addCustomerMessage'))).toEqual(
      API_PREFIXES.map((v) => `/obp/${v}/banks/{BANK_ID}/customer/{CUSTOMER_ID}/messages`),
    );
  });

  it('gives each (method, path) exactly one operation', () => {
    const routes = OPERATIONS.flatMap((op) => operationPaths(op).map((p) => `${op.method} ${p}`));
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('roles per operation', () => {
    const roles = Object.fromEntries(OPERATIONS.map((o) => [o.name, o.roles]));
    expect(roles).toEqual({
      root: [],
      createBank: ['CanCreateBank'],
      getBank: [],
      addEntitlement: ['CanCreateEntitlementAtOneBank', 'CanCreateEntitlementAtAnyBank'],
      getEntitlements: ['CanGetEntitlementsForAnyUserAtAnyBank'],
      getCurrentUser: [],
      createCustomer: ['CanCreateCustomer', 'CanCreateCustomerAtAnyBank'],
      addCustomerMessage: [],
      createCustomerMessage: ['CanCreateCustomerMessage'],
      getCustomerMessages: ['CanGetCustomerMessages'],
      getMyMessages: [],
      getCustomerById: ['CanGetCustomer'],
      getCustomerByNumber: ['CanGetCustomer'],
      createUserCustomerLink: ['CanCreateUserCustomerLinkAtAnyBank', 'CanCreateUserCustomerLink'],
    });
    for (const op of OPERATIONS) for (const role of op.roles) expect(Object.hasOwn(ROLE_SCOPES, role)).toBe(true);
    // addEntitlement's roles are held at the body's bank, and the super admins may grant too.
    expect(OPERATIONS.filter((o) => o.roleScope === 'body' || o.superAdmin).map((o) => o.name)).toEqual(['addEntitlement']);
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
