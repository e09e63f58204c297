// The authorization matrix, derived from the operations list so a new operation is covered as soon as it is
// listed: for every operation, callers with no role, with its role at another bank, with every other operation's
// roles, the super admin, and each of its own roles — only its own roles succeed, and a refusal writes nothing.
// A customer of bank B is never readable or messageable under bank A's path, whatever roles the caller holds.
import { isBankRole, type RoleName } from '../../functions/shared/roles';
import { OPERATIONS, type Operation } from '../../functions/shared/operations';
import { uniqueId } from '../support/fixtures';
import {
  AUTH_OPERATIONS,
  bearer,
  buildWorld,
  checkObpError,
  expectObpError,
  grantRoles,
  invoke,
  MESSAGE_V14,
  MESSAGE_V4,
  pathParamsOf,
  spyOnTable,
  validRequest,
  type Response,
  type World,
} from './harness';

const SUPER_ADMIN = 'test-admin';
const ALL_ROLES = [...new Set(OPERATIONS.flatMap((op) => op.roles))].sort() as RoleName[];
/** Operations whose roles the chain checks at the path's bank; those checked against the body or another item have their own tests below. */
const ROLE_GUARDED = OPERATIONS.filter((op) => op.roles.length > 0 && (op.roleScope ?? 'path') === 'path');
const CUSTOMER_PATH_OPERATIONS = OPERATIONS.filter((op) => pathParamsOf(op).includes('CUSTOMER_ID'));

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);

/** A fresh user holding `roles` (bank roles at `bankId`). */
const userHolding = async (roles: RoleName[], bankId: string): Promise<string> => {
  const user = uniqueId('matrix-');
  await grantRoles(user, roles, bankId);
  return user;
};

/** Calls `op`'s valid request at bank A as `caller`, and reports what it wrote. */
const attempt = async (op: Operation, caller: string): Promise<{ res: Response; writes: string[] }> => {
  const table = spyOnTable();
  try {
    const res = await invoke(op, { ...(await validRequest(op, world, 'A')), authorization: await bearer(caller) });
    return { res, writes: table.writes() };
  } finally {
    table.restore();
  }
};

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
    expect(roleFree).toEqual(['addCustomerMessage', 'addEntitlement', 'getCurrentUser', 'getMyMessages']);
  });

  const addEntitlement = OPERATIONS.find((op) => op.name === 'addEntitlement') as Operation;
  const grantAs = async (caller: string, bankId: string, roleName: RoleName) => {
    const table = spyOnTable();
    try {
      const res = await invoke(addEntitlement, {
        params: { USER_ID: uniqueId('grantee-') },
        body: { bank_id: bankId, role_name: roleName },
        authorization: await bearer(caller),
      });
      return { res, writes: table.writes() };
    } finally {
      table.restore();
    }
  };
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
    const res = await invoke(addEntitlement, {
      params: { USER_ID: user },
      body: { bank_id: '', role_name: 'CanCreateEntitlementAtAnyBank' },
      authorization: await bearer(user),
    });
    expectGrantRefused({ res, writes: [] });
  });

  it('getCurrentUser: any logged-in user, and only about themselves', async () => {
    const op = OPERATIONS.find((o) => o.name === 'getCurrentUser') as Operation;
    const user = await userHolding(['CanGetCustomer'], world.bankA);
    const res = await invoke(op, { authorization: await bearer(user) });
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(user);
    expect(res.body.entitlements.list.map((e: { role_name: string; bank_id: string }) => [e.role_name, e.bank_id])).toEqual([['CanGetCustomer', world.bankA]]);
  });

  it('getMyMessages: a user sees the messages of their own linked customers only', async () => {
    const op = OPERATIONS.find((o) => o.name === 'getMyMessages') as Operation;
    const post = OPERATIONS.find((o) => o.name === 'createCustomerMessage') as Operation;
    const sender = await userHolding(['CanCreateCustomerMessage'], world.bankB);
    const marker = uniqueId('for-b-');
    const sent = await invoke(post, {
      params: { BANK_ID: world.bankB, CUSTOMER_ID: world.customerB.customer_id },
      body: { ...MESSAGE_V4, message: marker },
      authorization: await bearer(sender),
    });
    expect(sent.status).toBe(201);
    const mine = await invoke(op, { params: { BANK_ID: world.bankB }, authorization: await bearer(world.linkedUserB) });
    expect(mine.body.messages.map((m: { message: string }) => m.message)).toContain(marker);
    for (const [user, bank] of [[world.linkedUserB, world.bankA], [world.linkedUserA, world.bankB], [SUPER_ADMIN, world.bankB], [uniqueId('nobody-'), world.bankB]] as const) {
      const res = await invoke(op, { params: { BANK_ID: bank }, authorization: await bearer(user) });
      expect(res.status).toBe(200);
      expect(res.body.messages.map((m: { message: string }) => m.message)).not.toContain(marker);
    }
  });
});

describe('a customer of bank B under bank A’s path', () => {
  /** A caller who holds every role there is, at both banks, and is linked to both customers. */
  let everything: string;
  beforeAll(async () => {
    everything = await userHolding(ALL_ROLES, world.bankA);
    await grantRoles(everything, ALL_ROLES.filter(isBankRole), world.bankB);
  });

  const messagesOfB = async (): Promise<string[]> => {
    const op = OPERATIONS.find((o) => o.name === 'getCustomerMessages') as Operation;
    const res = await invoke(op, {
      params: { BANK_ID: world.bankB, CUSTOMER_ID: world.customerB.customer_id },
      authorization: await bearer(everything),
    });
    expect(res.status).toBe(200);
    return res.body.messages.map((m: { id: string }) => m.id);
  };

  it('covers every operation with a CUSTOMER_ID in its path', () => {
    expect(CUSTOMER_PATH_OPERATIONS.map((op) => op.name).sort()).toEqual(['addCustomerMessage', 'createCustomerMessage', 'getCustomerById', 'getCustomerMessages']);
  });

  it.each(CUSTOMER_PATH_OPERATIONS.map((op) => [op.name, op] as const))('%s → 404 OBP-30046, and nothing is written', async (_, op) => {
    const before = await messagesOfB();
    for (const caller of [everything, world.linkedUserB, SUPER_ADMIN]) {
      const table = spyOnTable();
      try {
        const res = await invoke(op, {
          params: { BANK_ID: world.bankA, CUSTOMER_ID: world.customerB.customer_id },
          body: op.name === 'addCustomerMessage' ? MESSAGE_V14 : MESSAGE_V4,
          authorization: await bearer(caller),
        });
        if (caller === everything || op.roles.length === 0) {
          expectObpError(res, 404, 'OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.');
          expect(res.body.message).toContain(`Current CustomerId(${world.customerB.customer_id})`);
          // Nothing of the customer leaks into the error.
          expect(res.text).not.toContain(world.customerB.customer_number);
        } else {
          checkObpError(res);
          expect(res.status).toBe(403);
        }
        expect(table.writes()).toEqual([]);
      } finally {
        table.restore();
      }
    }
    expect(await messagesOfB()).toEqual(before);
  });

  it('the same requests under bank B’s own path succeed (the control)', async () => {
    for (const op of CUSTOMER_PATH_OPERATIONS) {
      const caller = op.name === 'addCustomerMessage' ? world.linkedUserB : everything;
      const res = await invoke(op, { ...(await validRequest(op, world, 'B')), authorization: await bearer(caller) });
      expect({ op: op.name, status: res.status }).toEqual({ op: op.name, status: op.response.status });
    }
  });

  it('getCustomerByNumber with B’s customer number under A → 404 OBP-30002', async () => {
    const op = OPERATIONS.find((o) => o.name === 'getCustomerByNumber') as Operation;
    const res = await invoke(op, {
      params: { BANK_ID: world.bankA },
      body: { customer_number: world.customerB.customer_number },
      authorization: await bearer(everything),
    });
    expectObpError(res, 404, 'OBP-30002: Customer not found. Please specify a valid value for CUSTOMER_NUMBER.');
    expect(res.text).not.toContain(world.customerB.customer_id);
  });

  it('createUserCustomerLink with B’s customer under A is refused, and no link is made', async () => {
    const op = OPERATIONS.find((o) => o.name === 'createUserCustomerLink') as Operation;
    const table = spyOnTable();
    try {
      const res = await invoke(op, {
        params: { BANK_ID: world.bankA },
        body: { user_id: uniqueId('cross-'), customer_id: world.customerB.customer_id },
        authorization: await bearer(everything),
      });
      checkObpError(res);
      expect(res.status).toBe(400);
      expect(table.writes()).toEqual([]);
    } finally {
      table.restore();
    }
  });
});
