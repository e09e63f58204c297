// The authorization matrix, derived from the operations list so a new operation is covered as soon as it is
// listed: for every operation whose roles are checked at the path's bank, callers with no role, with every other
// operation's roles, with its bank roles at another bank, the super admin, and each of its own roles — only its own
// roles succeed, and a refusal writes nothing. The operations whose roles depend on the body (addEntitlement) or on
// the item the path names (deleteEntitlement) have their own matrices. A customer of bank B is never readable,
// updatable, listable or messageable under bank A's path, whatever roles the caller holds.
import { isBankRole, type RoleName } from '../../functions/common/roles';
import { operationByName, OPERATIONS, type Operation } from '../../functions/common/operations';
import { call } from '../support/api';
import { newCustomer, uniqueId } from '../support/fixtures';
import {
  AUTH_OPERATIONS,
  bearer,
  buildWorld,
  checkObpError,
  expectObpError,
  grantRoles,
  invoke,
  MESSAGE_V4,
  pathParamsOf,
  spyOnTable,
  validRequest,
  type Request,
  type Response,
  type World,
} from './harness';

const SUPER_ADMIN = 'test-admin';
const ALL_ROLES = [...new Set(OPERATIONS.flatMap((op) => op.roles))].sort() as RoleName[];
/** Operations whose roles the chain checks at the path's bank; those checked against the body or another item have their own tests below. */
const ROLE_GUARDED = OPERATIONS.filter((op) => op.roles.length > 0 && (op.roleScope ?? 'path') === 'path');
const CUSTOMER_PATH_OPERATIONS = OPERATIONS.filter((op) => pathParamsOf(op).includes('CUSTOMER_ID'));
/** The operations the super admin may call without a role (docs/design.md, "Roles"): grant and revoke. */
const SUPER_ADMIN_OPERATIONS = OPERATIONS.filter((op) => op.superAdmin).map((op) => op.name);

let world: World;
let requestsMade = 0;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(() => {
  process.stdout.write(`authorization matrix: ${requestsMade} requests\n`);
});

/** A fresh user holding `roles` (bank roles at `bankId`). */
const userHolding = async (roles: RoleName[], bankId: string): Promise<string> => {
  const user = uniqueId('matrix-');
  await grantRoles(user, roles, bankId);
  return user;
};

/** Sends `request` to `op` as `caller`, and reports what it wrote (the request is built before the counting starts). */
const send = async (op: Operation, request: Request, caller: string): Promise<{ res: Response; writes: string[] }> => {
  const authorization = await bearer(caller);
  const table = spyOnTable();
  try {
    requestsMade++;
    const res = await invoke(op, { ...request, authorization });
    return { res, writes: table.writes() };
  } finally {
    table.restore();
  }
};

/** `op`'s valid request at bank A as `caller`. */
const attempt = async (op: Operation, caller: string) => send(op, await validRequest(op, world, 'A'), caller);

const expectRefused = (op: Operation, { res, writes }: { res: Response; writes: string[] }): void => {
  expectObpError(res, 403, 'OBP-20006: User is missing one or more roles: ');
  // The message names every acceptable role, and the bank when one of them is a bank role.
  for (const role of op.roles) expect(res.body.message).toContain(role);
  if (op.roles.some(isBankRole)) expect(res.body.message).toContain(world.bankA);
  expect(writes).toEqual([]);
};

describe.each(ROLE_GUARDED.map((op) => [op.name, op] as const))('%s', (_, op) => {
  const otherRoles = ALL_ROLES.filter((r) => !op.roles.includes(r));
  const bankRoles = op.roles.filter(isBankRole);

  it('a caller with no role is refused (403), and nothing is written', async () => {
    expectRefused(op, await attempt(op, await userHolding([], world.bankA)));
  });

  it('a caller with every role of the other operations (at this bank and system-wide) is refused', async () => {
    expect(otherRoles.length).toBeGreaterThan(0);
    expectRefused(op, await attempt(op, await userHolding(otherRoles, world.bankA)));
  });

  if (bankRoles.length > 0) {
    it.each(bankRoles)('a caller with %s at another bank only is refused', async (role) => {
      expectRefused(op, await attempt(op, await userHolding([role], world.bankB)));
    });
  }

  it('the super admin gets no bypass', async () => {
    expect(SUPER_ADMIN_OPERATIONS).not.toContain(op.name);
    expectRefused(op, await attempt(op, SUPER_ADMIN));
  });

  it.each(op.roles)('a caller with %s succeeds', async (role) => {
    const { res } = await attempt(op, await userHolding([role], world.bankA));
    expect({ status: res.status, message: res.body?.message }).toEqual({ status: op.response.status, message: undefined });
  });
});

describe('operations without a role checked at the path', () => {
  it('covers exactly the operations the list declares so', () => {
    const roleFree = AUTH_OPERATIONS.filter((op) => !ROLE_GUARDED.includes(op)).map((op) => op.name).sort();
    expect(roleFree).toEqual(['addEntitlement', 'deleteEntitlement', 'getCurrentUser', 'getMyMessages']);
    expect(SUPER_ADMIN_OPERATIONS.sort()).toEqual(['addEntitlement', 'deleteEntitlement']);
  });

  const addEntitlement = operationByName('addEntitlement');
  const grantAs = async (caller: string, bankId: string, roleName: RoleName) =>
    send(addEntitlement, { params: { USER_ID: uniqueId('grantee-') }, body: { bank_id: bankId, role_name: roleName } }, caller);
  const expectGrantRefused = ({ res, writes }: { res: Response; writes: string[] }) => {
    expectObpError(res, 403, 'OBP-20050: Current User is not a Super Admin!');
    expect(res.body.message).toContain('CanCreateEntitlementAtOneBank');
    expect(res.body.message).toContain('CanCreateEntitlementAtAnyBank');
    expect(writes).toEqual([]);
  };

  it('addEntitlement: the super admin may grant any role, at any bank', async () => {
    for (const [bankId, role] of [[world.bankA, 'CanCreateCustomer'], [world.bankB, 'CanGetCustomer'], ['', 'CanCreateBank']] as const) {
      expect((await grantAs(SUPER_ADMIN, bankId, role)).res.status).toBe(201);
    }
  });

  it('addEntitlement: CanCreateEntitlementAtOneBank grants bank roles at its own bank only', async () => {
    const admin = await userHolding(['CanCreateEntitlementAtOneBank'], world.bankA);
    expect((await grantAs(admin, world.bankA, 'CanCreateCustomer')).res.status).toBe(201);
    expectGrantRefused(await grantAs(admin, world.bankB, 'CanCreateCustomer'));
    expectGrantRefused(await grantAs(admin, '', 'CanCreateBank'));
  });

  it('addEntitlement: CanCreateEntitlementAtAnyBank grants anywhere', async () => {
    const admin = await userHolding(['CanCreateEntitlementAtAnyBank'], world.bankA);
    expect((await grantAs(admin, world.bankB, 'CanCreateCustomer')).res.status).toBe(201);
    expect((await grantAs(admin, '', 'CanCreateBank')).res.status).toBe(201);
  });

  it('addEntitlement: no role, or every other role, is refused', async () => {
    const others = ALL_ROLES.filter((r) => r !== 'CanCreateEntitlementAtOneBank' && r !== 'CanCreateEntitlementAtAnyBank');
    for (const caller of [await userHolding([], world.bankA), await userHolding(others, world.bankA)]) {
      expectGrantRefused(await grantAs(caller, world.bankA, 'CanCreateCustomer'));
      expectGrantRefused(await grantAs(caller, '', 'CanCreateBank'));
    }
  });

  it('addEntitlement: nobody can grant themselves a role they could not grant', async () => {
    const user = await userHolding(['CanCreateCustomer'], world.bankA);
    expectGrantRefused(await send(addEntitlement, { params: { USER_ID: user }, body: { bank_id: '', role_name: 'CanCreateEntitlementAtAnyBank' } }, user));
  });

  it('getCurrentUser: any logged-in user, and only about themselves', async () => {
    const user = await userHolding(['CanGetCustomer'], world.bankA);
    const { res } = await send(operationByName('getCurrentUser'), {}, user);
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(user);
    expect(res.body.entitlements.list.map((e: { role_name: string; bank_id: string }) => [e.role_name, e.bank_id])).toEqual([['CanGetCustomer', world.bankA]]);
  });

  it('getMyMessages: a user sees the messages of their own linked customers only', async () => {
    const op = operationByName('getMyMessages');
    const sender = await userHolding(['CanCreateCustomerMessage'], world.bankB);
    const marker = uniqueId('for-b-');
    const sent = await send(operationByName('createCustomerMessage'), { params: { BANK_ID: world.bankB, CUSTOMER_ID: world.customerB.customer_id }, body: { ...MESSAGE_V4, message: marker } }, sender);
    expect(sent.res.status).toBe(201);
    const mine = await send(op, { params: { BANK_ID: world.bankB } }, world.linkedUserB);
    expect(mine.res.body.messages.map((m: { message: string }) => m.message)).toContain(marker);
    for (const [user, bank] of [[world.linkedUserB, world.bankA], [world.linkedUserA, world.bankB], [SUPER_ADMIN, world.bankB], [uniqueId('nobody-'), world.bankB]] as const) {
      const { res } = await send(op, { params: { BANK_ID: bank } }, user);
      expect(res.status).toBe(200);
      expect(res.body.messages.map((m: { message: string }) => m.message)).not.toContain(marker);
    }
  });
});

describe('deleteEntitlement: the roles count at the bank of the entitlement revoked (there is no bank in the path)', () => {
  const op = operationByName('deleteEntitlement');

  /** A fresh entitlement of a fresh user: `role` at `bankId` ("" for a system role). */
  const entitlement = async (role: RoleName, bankId: string): Promise<{ USER_ID: string; ENTITLEMENT_ID: string }> => {
    const userId = uniqueId('holder-');
    const res = await call('POST', `/obp/v5.0.0/users/${userId}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: role } });
    expect(res.status).toBe(201);
    return { USER_ID: userId, ENTITLEMENT_ID: res.body.entitlement_id };
  };
  /** The ids of the entitlements the user holds now (read back through the API). */
  const entitlementIdsOf = async (userId: string): Promise<string[]> => {
    const reader = await userHolding(['CanGetEntitlementsForAnyUserAtAnyBank'], world.bankA);
    const res = await send(operationByName('getEntitlements'), { params: { USER_ID: userId } }, reader);
    expect(res.res.status).toBe(200);
    return res.res.body.list.map((e: { entitlement_id: string }) => e.entitlement_id);
  };
  const revoke = async (caller: string, target: { USER_ID: string; ENTITLEMENT_ID: string }) => send(op, { params: target }, caller);

  const expectRevoked = async (target: { USER_ID: string; ENTITLEMENT_ID: string }, { res, writes }: { res: Response; writes: string[] }) => {
    expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
    expect(writes).toEqual(['TransactWriteCommand']);
    expect(await entitlementIdsOf(target.USER_ID)).not.toContain(target.ENTITLEMENT_ID);
  };
  const expectRevokeRefused = async (target: { USER_ID: string; ENTITLEMENT_ID: string }, bankId: string, { res, writes }: { res: Response; writes: string[] }) => {
    // The super-admin alternative comes first, as for addEntitlement; the bank named is the entitlement's.
    expectObpError(res, 403, 'OBP-20050: Current User is not a Super Admin!');
    // A system role's entitlement names only the role that can revoke it; a bank role's names both.
    const named = bankId ? op.roles : op.roles.filter((r) => r !== 'CanDeleteEntitlementAtOneBank');
    for (const role of op.roles) expect(res.body.message.includes(role)).toBe(named.includes(role));
    if (bankId) expect(res.body.message).toContain(`BankId(${bankId})`);
    expect(writes).toEqual([]);
    expect(await entitlementIdsOf(target.USER_ID)).toContain(target.ENTITLEMENT_ID);
  };

  it('CanDeleteEntitlementAtOneBank at the entitlement’s bank may revoke it', async () => {
    const target = await entitlement('CanGetCustomer', world.bankA);
    await expectRevoked(target, await revoke(await userHolding(['CanDeleteEntitlementAtOneBank'], world.bankA), target));
  });

  it('CanDeleteEntitlementAtOneBank at another bank may not, whatever else the caller holds there', async () => {
    const target = await entitlement('CanGetCustomer', world.bankA);
    const others = ALL_ROLES.filter((r) => r !== 'CanDeleteEntitlementAtAnyBank');
    for (const caller of [await userHolding(['CanDeleteEntitlementAtOneBank'], world.bankB), await userHolding(others, world.bankB)]) {
      await expectRevokeRefused(target, world.bankA, await revoke(caller, target));
    }
  });

  it('CanDeleteEntitlementAtOneBank revokes no system role, at any bank', async () => {
    const target = await entitlement('CanCreateBank', '');
    await expectRevokeRefused(target, '', await revoke(await userHolding(['CanDeleteEntitlementAtOneBank'], world.bankA), target));
  });

  it('CanDeleteEntitlementAtAnyBank revokes bank and system roles', async () => {
    const caller = await userHolding(['CanDeleteEntitlementAtAnyBank'], world.bankA);
    for (const target of [await entitlement('CanGetCustomer', world.bankB), await entitlement('CanCreateBank', '')]) await expectRevoked(target, await revoke(caller, target));
  });

  it('the super admin revokes anything (its one bypass besides granting)', async () => {
    for (const target of [await entitlement('CanGetCustomer', world.bankB), await entitlement('CanCreateEntitlementAtAnyBank', '')]) {
      await expectRevoked(target, await revoke(SUPER_ADMIN, target));
    }
  });

  it('no role, or every role but the two, is refused', async () => {
    const target = await entitlement('CanGetCustomer', world.bankA);
    const others = ALL_ROLES.filter((r) => !op.roles.includes(r));
    const holdsAllOthers = await userHolding(others, world.bankA);
    await grantRoles(holdsAllOthers, others.filter(isBankRole), world.bankB);
    for (const caller of [await userHolding([], world.bankA), holdsAllOthers]) {
      await expectRevokeRefused(target, world.bankA, await revoke(caller, target));
    }
  });

  it('check order: unknown id 404 OBP-30212, then another user’s id 400 OBP-30213, then the roles', async () => {
    const target = await entitlement('CanGetCustomer', world.bankA);
    const nobody = await userHolding([], world.bankA);
    const unknown = await revoke(nobody, { USER_ID: target.USER_ID, ENTITLEMENT_ID: uniqueId('no-such-') });
    expectObpError(unknown.res, 404, 'OBP-30212: EntitlementId not found');
    const mismatch = await revoke(nobody, { USER_ID: uniqueId('someone-'), ENTITLEMENT_ID: target.ENTITLEMENT_ID });
    expectObpError(mismatch.res, 400, 'OBP-30213: USER_ID does not have the ENTITLEMENT_ID.');
    expect([...unknown.writes, ...mismatch.writes]).toEqual([]);
    expect(await entitlementIdsOf(target.USER_ID)).toContain(target.ENTITLEMENT_ID);
  });

  it('revocation is immediate: the holder’s very next request is refused', async () => {
    const holder = await userHolding(['CanGetCustomer'], world.bankA);
    const read = operationByName('getCustomerById');
    const request = await validRequest(read, world, 'A');
    expect((await send(read, request, holder)).res.status).toBe(200);
    const reader = await userHolding(['CanGetEntitlementsForAnyUserAtAnyBank'], world.bankA);
    const held = (await send(operationByName('getEntitlements'), { params: { USER_ID: holder } }, reader)).res.body.list as { entitlement_id: string }[];
    expect(held).toHaveLength(1);
    expect((await revoke(SUPER_ADMIN, { USER_ID: holder, ENTITLEMENT_ID: held[0]?.entitlement_id as string })).res.status).toBe(204);
    expectObpError((await send(read, request, holder)).res, 403, 'OBP-20006: User is missing one or more roles: ');
  });
});

describe('a customer of bank B under bank A’s path', () => {
  /** A caller who holds every role there is, at both banks. */
  let everything: string;
  beforeAll(async () => {
    everything = await userHolding(ALL_ROLES, world.bankA);
    await grantRoles(everything, ALL_ROLES.filter(isBankRole), world.bankB);
  });

  /** Customer B as bank B shows it, its messages and its links. */
  const stateOfB = async (): Promise<unknown> => {
    const params = { BANK_ID: world.bankB, CUSTOMER_ID: world.customerB.customer_id };
    const read = async (name: string) => {
      const { res } = await send(operationByName(name), { params, query: 'limit=500' }, everything);
      expect(res.status).toBe(200);
      return res.body;
    };
    return { customer: await read('getCustomerById'), messages: await read('getCustomerMessages'), links: await read('getUserCustomerLinksByCustomerId') };
  };

  it('covers every operation with a CUSTOMER_ID in its path', () => {
    expect(CUSTOMER_PATH_OPERATIONS.map((op) => op.name).sort()).toEqual([
      'addCustomerMessage',
      'createCustomerMessage',
      'getCustomerById',
      'getCustomerMessages',
      'getUserCustomerLinksByCustomerId',
      'updateCustomerBranch',
      'updateCustomerCreditLimit',
      'updateCustomerCreditRatingAndSource',
      'updateCustomerData',
      'updateCustomerEmail',
      'updateCustomerIdentity',
      'updateCustomerMobileNumber',
      'updateCustomerNumber',
    ]);
  });

  it.each(CUSTOMER_PATH_OPERATIONS.map((op) => [op.name, op] as const))('%s → 404 OBP-30046, and nothing is written', async (_, op) => {
    const before = await stateOfB();
    // B's own valid request (body and all), sent under A's path.
    const request = { ...(await validRequest(op, world, 'B')), params: { BANK_ID: world.bankA, CUSTOMER_ID: world.customerB.customer_id } };
    for (const caller of [everything, world.linkedUserB, SUPER_ADMIN]) {
      const { res, writes } = await send(op, request, caller);
      if (caller === everything) {
        expectObpError(res, 404, 'OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.');
        expect(res.body.message).toContain(`Current CustomerId(${world.customerB.customer_id})`);
        // Nothing of the customer leaks into the error.
        expect(res.text).not.toContain(world.customerB.customer_number);
      } else {
        // Without a role at A the refusal comes first (check order), and says nothing about the customer.
        expectObpError(res, 403, 'OBP-20006: User is missing one or more roles: ');
        expect(res.text).not.toContain(world.customerB.customer_id);
      }
      expect(writes).toEqual([]);
    }
    expect(await stateOfB()).toEqual(before);
  });

  it('the same requests under bank B’s own path succeed (the control)', async () => {
    for (const op of CUSTOMER_PATH_OPERATIONS) {
      const { res } = await send(op, await validRequest(op, world, 'B'), everything);
      expect({ op: op.name, status: res.status }).toEqual({ op: op.name, status: op.response.status });
    }
  });

  it('no list at bank A shows anything of bank B, for a caller holding every role at both', async () => {
    const read = async (name: string, params: Record<string, string>) => {
      const { res } = await send(operationByName(name), { params, query: 'limit=500' }, everything);
      expect(res.status).toBe(200);
      return res.body;
    };
    const customerB = world.customerB.customer_id;
    const customers = await read('getCustomersAtOneBank', { BANK_ID: world.bankA });
    expect(customers.customers.map((c: { customer_id: string }) => c.customer_id)).toContain(world.customerA.customer_id);
    for (const name of ['getCustomersAtOneBank', 'getCustomersMinimalAtOneBank']) {
      const body = await read(name, { BANK_ID: world.bankA });
      expect(body.customers.filter((c: { customer_id: string; bank_id: string }) => c.customer_id === customerB || c.bank_id !== world.bankA)).toEqual([]);
    }
    const entitlements = await read('getEntitlementsForBank', { BANK_ID: world.bankA });
    expect(entitlements.list.length).toBeGreaterThan(0);
    expect(entitlements.list.filter((e: { bank_id: string }) => e.bank_id !== world.bankA)).toEqual([]);
    // B's linked user has a link at B, none at A.
    expect((await read('getUserCustomerLinksByUserId', { BANK_ID: world.bankB, USER_ID: world.linkedUserB })).user_customer_links).toHaveLength(1);
    expect((await read('getUserCustomerLinksByUserId', { BANK_ID: world.bankA, USER_ID: world.linkedUserB })).user_customer_links).toEqual([]);
  });

  it('deleteUserCustomerLink with B’s link under A → 400 OBP-30035, and the link stays', async () => {
    const { params } = await validRequest(operationByName('deleteUserCustomerLink'), world, 'B');
    const before = await stateOfB();
    const { res, writes } = await send(operationByName('deleteUserCustomerLink'), { params: { ...params, BANK_ID: world.bankA } }, everything);
    expectObpError(res, 400, 'OBP-30035: User Customer Link not found');
    expect(writes).toEqual([]);
    expect(await stateOfB()).toEqual(before);
  });

  it('getCustomerByNumber with B’s customer number under A → 404 OBP-30002', async () => {
    const { res } = await send(operationByName('getCustomerByNumber'), { params: { BANK_ID: world.bankA }, body: { customer_number: world.customerB.customer_number } }, everything);
    expectObpError(res, 404, 'OBP-30002: Customer not found. Please specify a valid value for CUSTOMER_NUMBER.');
    expect(res.text).not.toContain(world.customerB.customer_id);
  });

  it('createUserCustomerLink with B’s customer under A is refused, and no link is made', async () => {
    const { res, writes } = await send(
      operationByName('createUserCustomerLink'),
      { params: { BANK_ID: world.bankA }, body: { user_id: uniqueId('cross-'), customer_id: world.customerB.customer_id } },
      everything,
    );
    checkObpError(res);
    expect(res.status).toBe(400);
    expect(writes).toEqual([]);
  });

  it('a customer number moved at B stays B’s: A cannot find it, nor take it away', async () => {
    const customer = (await newCustomer(world.bankB)) as { customer_id: string; customer_number: string };
    const { res } = await send(operationByName('updateCustomerNumber'), { params: { BANK_ID: world.bankA, CUSTOMER_ID: customer.customer_id }, body: { customer_number: uniqueId('n') } }, everything);
    expectObpError(res, 404, 'OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.');
    const found = await send(operationByName('getCustomerByNumber'), { params: { BANK_ID: world.bankB }, body: { customer_number: customer.customer_number } }, everything);
    expect({ status: found.res.status, id: found.res.body.customer_id }).toEqual({ status: 200, id: customer.customer_id });
  });
});
