// Access that can be taken away (docs/design.md, "Revocation" and "Audit"): deleteEntitlement
// in its check order and role matrix, getEntitlementsForBank as an access review, and revocation that holds from the
// very next request of the same token in the same warm function.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { entitlementByIdKey, entitlementKey, entitlementsOfBankPartition, GSI1 } from '../../functions/data/keys';
import { documentClient, tableName } from '../../functions/data/table-client';
import { findRoute } from '../../local/routes';
import { invoke, loadHandler } from '../../local/invoke';
import { call } from '../support/api';
import { expectDocumented } from '../support/openapi-responses';
import { MINIMAL_CUSTOMER, newBank, newCustomer, SUPER_ADMIN, uniqueId, userWith } from '../support/fixtures';
import { tokenFor } from '../support/tokens';

jest.setTimeout(120_000);

const PREFIXES = ['v4.0.0', 'v5.0.0', 'v5.1.0'];
const NOT_FOUND = { code: 404, message: 'OBP-30212: EntitlementId not found' };
const NOT_USERS = { code: 400, message: 'OBP-30213: USER_ID does not have the ENTITLEMENT_ID.' };
const NOT_LOGGED_IN = 'OBP-20001: User not logged in. Authentication is required!';

/** deleteEntitlement's 403: OBP's composed super-admin wording (addEntitlement's), naming the roles that could apply. */
const mayNotRevoke = (entitlementBankId: string) => ({
  code: 403,
  message:
    'OBP-20050: Current User is not a Super Admin! orOBP-20006: User is missing one or more roles: CanDeleteEntitlementAtAnyBank' +
    (entitlementBankId === '' ? '' : ` orOBP-20006: User is missing one or more roles: CanDeleteEntitlementAtOneBank BankId(${entitlementBankId}).`),
});
const mayNotReview = (bankId: string) => ({
  code: 403,
  message: `OBP-20006: User is missing one or more roles: CanGetEntitlementsForOneBank or CanGetEntitlementsForAnyBank for BankId(${bankId}).`,
});

/** The answer exactly as the function sent it (status, headers, body text), checked against the OpenAPI document. */
const raw = async (method: string, url: string, as?: string | { token: string }) => {
  const headers: Record<string, string> = {};
  if (as !== undefined) headers.authorization = `Bearer ${typeof as === 'string' ? await tokenFor(as) : as.token}`;
  const result = await invoke({ method, url, headers });
  if (!result) throw new Error(`No route for ${method} ${url}`);
  expectDocumented(result);
  return result;
};

const revokePath = (userId: string, entitlementId: string, prefix = 'v5.0.0') =>
  `/obp/${prefix}/users/${encodeURIComponent(userId)}/entitlement/${encodeURIComponent(entitlementId)}`;
const revoke = (as: string | undefined, userId: string, entitlementId: string, prefix?: string) =>
  call('DELETE', revokePath(userId, entitlementId, prefix), { as });

/** Grants a role (as the super admin) and returns the entitlement's id. */
const grantId = async (userId: string, roleName: string, bankId = ''): Promise<string> => {
  const res = await call('POST', `/obp/v5.0.0/users/${encodeURIComponent(userId)}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: roleName } });
  if (res.status !== 201) throw new Error(`grant ${roleName} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.entitlement_id as string;
};

/** What the table holds of an entitlement: its role-check item, its item by id, and its bank index entry. */
const storedEntitlement = async (userId: string, bankId: string, roleName: string, entitlementId: string) => {
  const client = documentClient();
  const roleItem = (await client.send(new GetCommand({ TableName: tableName(), Key: entitlementKey(userId, bankId, roleName), ConsistentRead: true }))).Item;
  const byId = (await client.send(new GetCommand({ TableName: tableName(), Key: entitlementByIdKey(entitlementId), ConsistentRead: true }))).Item;
  const indexed = bankId
    ? ((
        await client.send(
          new QueryCommand({ TableName: tableName(), IndexName: GSI1, KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': entitlementsOfBankPartition(bankId) } }),
        )
      ).Items ?? []).some((i) => i.entitlementId === entitlementId)
    : false;
  return { roleItem: roleItem !== undefined, byId: byId !== undefined, indexed };
};

/** The role names a user holds, as getEntitlements shows them (read by a reviewer with the system role). */
const rolesOf = async (userId: string): Promise<string[]> => {
  const reviewer = await userWith('', 'CanGetEntitlementsForAnyUserAtAnyBank');
  const res = await call('GET', `/obp/v5.0.0/users/${encodeURIComponent(userId)}/entitlements`, { as: reviewer });
  expect(res.status).toBe(200);
  return res.body.list.map((e: { role_name: string; bank_id: string }) => `${e.role_name}@${e.bank_id}`).sort();
};

describe('deleteEntitlement: success', () => {
  it.each(PREFIXES)('204 with an empty body under /obp/%s; the role, its item by id and its bank index entry are gone', async (prefix) => {
    const bankId = await newBank();
    const staff = uniqueId('staff-');
    const entitlementId = await grantId(staff, 'CanGetCustomer', bankId);
    const kept = await grantId(staff, 'CanCreateCustomer', bankId);
    expect(await storedEntitlement(staff, bankId, 'CanGetCustomer', entitlementId)).toEqual({ roleItem: true, byId: true, indexed: true });

    const res = await raw('DELETE', revokePath(staff, entitlementId, prefix), SUPER_ADMIN);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await storedEntitlement(staff, bankId, 'CanGetCustomer', entitlementId)).toEqual({ roleItem: false, byId: false, indexed: false });
    expect(await rolesOf(staff)).toEqual([`CanCreateCustomer@${bankId}`]);
    expect(await storedEntitlement(staff, bankId, 'CanCreateCustomer', kept)).toEqual({ roleItem: true, byId: true, indexed: true });
  });

  it('a second delete of the same entitlement is 404 OBP-30212', async () => {
    const bankId = await newBank();
    const staff = uniqueId('staff-');
    const entitlementId = await grantId(staff, 'CanGetCustomer', bankId);
    expect((await revoke(SUPER_ADMIN, staff, entitlementId)).status).toBe(204);
    expect(await revoke(SUPER_ADMIN, staff, entitlementId)).toMatchObject({ status: 404, body: NOT_FOUND });
  });

  it('10 concurrent deletes of one entitlement: exactly one 204, nine 404 OBP-30212', async () => {
    const bankId = await newBank();
    const staff = uniqueId('staff-');
    const entitlementId = await grantId(staff, 'CanGetCustomer', bankId);
    const results = await Promise.all(Array.from({ length: 10 }, () => revoke(SUPER_ADMIN, staff, entitlementId)));
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    expect(results.filter((r) => r.status === 404 && r.body.message === NOT_FOUND.message)).toHaveLength(9);
    expect(await storedEntitlement(staff, bankId, 'CanGetCustomer', entitlementId)).toEqual({ roleItem: false, byId: false, indexed: false });
  });

  it('a revoked role can be granted again (a new entitlement id), and then works again', async () => {
    const bankId = await newBank();
    const staff = uniqueId('staff-');
    const first = await grantId(staff, 'CanCreateCustomer', bankId);
    expect((await revoke(SUPER_ADMIN, staff, first)).status).toBe(204);
    expect((await call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: staff, body: MINIMAL_CUSTOMER })).status).toBe(403);
    const second = await grantId(staff, 'CanCreateCustomer', bankId);
    expect(second).not.toBe(first);
    expect((await call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: staff, body: MINIMAL_CUSTOMER })).status).toBe(201);
    // The old id names nothing any more.
    expect(await revoke(SUPER_ADMIN, staff, first)).toMatchObject({ status: 404, body: NOT_FOUND });
  });
});

describe('deleteEntitlement: check order 401 → 404 OBP-30212 → 400 OBP-30213 → 403', () => {
  it('401 before anything else: no token, a bad token, for a known and an unknown entitlement', async () => {
    const bankId = await newBank();
    const staff = uniqueId('staff-');
    const entitlementId = await grantId(staff, 'CanGetCustomer', bankId);
    for (const id of [entitlementId, 'no-such-entitlement']) {
      for (const res of [await revoke(undefined, staff, id), await call('DELETE', revokePath(staff, id), { as: { authorization: 'Bearer x.y.z' } })]) {
        expect(res.status).toBe(401);
        expect(res.body.message.startsWith(NOT_LOGGED_IN)).toBe(true);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
      }
    }
    expect(await storedEntitlement(staff, bankId, 'CanGetCustomer', entitlementId)).toEqual({ roleItem: true, byId: true, indexed: true });
  });

  it('404 OBP-30212 (exact) for an unknown id, for a caller with no role as for the super admin', async () => {
    const nobody = uniqueId('nobody-');
    for (const as of [nobody, SUPER_ADMIN]) {
      for (const id of [crypto.randomUUID(), 'not-a-uuid']) expect(await revoke(as, nobody, id)).toMatchObject({ status: 404, body: NOT_FOUND });
    }
  });

  it('400 OBP-30213 (exact) when the entitlement is not USER_ID’s, before the role check; nothing is deleted', async () => {
    const bankId = await newBank();
    const holder = uniqueId('holder-');
    const other = uniqueId('other-');
    const entitlementId = await grantId(holder, 'CanGetCustomer', bankId);
    const bankAdmin = await userWith(bankId, 'CanDeleteEntitlementAtOneBank');
    for (const as of [uniqueId('nobody-'), bankAdmin, SUPER_ADMIN]) {
      expect(await revoke(as, other, entitlementId)).toMatchObject({ status: 400, body: NOT_USERS });
    }
    expect(await storedEntitlement(holder, bankId, 'CanGetCustomer', entitlementId)).toEqual({ roleItem: true, byId: true, indexed: true });
  });

  it('403 (exact) for a caller with no role, with CanDeleteEntitlementAtOneBank at another bank, or with other roles at the bank', async () => {
    const bankId = await newBank();
    const otherBank = await newBank();
    const holder = uniqueId('holder-');
    const entitlementId = await grantId(holder, 'CanGetCustomer', bankId);
    const refused = [
      uniqueId('nobody-'),
      await userWith(otherBank, 'CanDeleteEntitlementAtOneBank'),
      // OBP's own near misses: granting at the bank, deleting links, a user-level entitlement reader.
      await userWith(bankId, 'CanCreateEntitlementAtOneBank', 'CanDeleteUserCustomerLink', 'CanGetEntitlementsForOneBank'),
      await userWith('', 'CanCreateEntitlementAtAnyBank', 'CanGetEntitlementsForAnyBank'),
    ];
    for (const as of refused) expect(await revoke(as, holder, entitlementId)).toMatchObject({ status: 403, body: mayNotRevoke(bankId) });
    expect(await storedEntitlement(holder, bankId, 'CanGetCustomer', entitlementId)).toEqual({ roleItem: true, byId: true, indexed: true });
  });

  it('a holder of CanDeleteEntitlementAtOneBank revokes bank roles at ITS bank only, and never a system role', async () => {
    const bankId = await newBank();
    const otherBank = await newBank();
    const bankAdmin = await userWith(bankId, 'CanDeleteEntitlementAtOneBank');
    const staff = uniqueId('staff-');
    const atBank = await grantId(staff, 'CanCreateCustomer', bankId);
    const atOtherBank = await grantId(staff, 'CanCreateCustomer', otherBank);
    const systemRole = await grantId(staff, 'CanCreateCustomerAtAnyBank');

    expect(await revoke(bankAdmin, staff, atOtherBank)).toMatchObject({ status: 403, body: mayNotRevoke(otherBank) });
    expect(await revoke(bankAdmin, staff, systemRole)).toMatchObject({ status: 403, body: mayNotRevoke('') });
    expect((await revoke(bankAdmin, staff, atBank)).status).toBe(204);
    expect(await rolesOf(staff)).toEqual([`CanCreateCustomer@${otherBank}`, 'CanCreateCustomerAtAnyBank@']);
  });

  it('CanDeleteEntitlementAtAnyBank and the super admins revoke any entitlement: bank roles at any bank and system roles', async () => {
    const bankA = await newBank();
    const bankB = await newBank();
    const anyBank = await userWith('', 'CanDeleteEntitlementAtAnyBank');
    for (const as of [anyBank, SUPER_ADMIN]) {
      const staff = uniqueId('staff-');
      const ids = [await grantId(staff, 'CanGetCustomer', bankA), await grantId(staff, 'CanGetCustomer', bankB), await grantId(staff, 'CanCreateBank')];
      for (const id of ids) expect((await revoke(as, staff, id)).status).toBe(204);
      expect(await rolesOf(staff)).toEqual([]);
    }
  });

  it('a caller may revoke its own role, and loses it', async () => {
    const bankId = await newBank();
    const bankAdmin = uniqueId('admin-');
    const own = await grantId(bankAdmin, 'CanDeleteEntitlementAtOneBank', bankId);
    const staff = uniqueId('staff-');
    const staffRole = await grantId(staff, 'CanGetCustomer', bankId);
    expect((await revoke(bankAdmin, bankAdmin, own)).status).toBe(204);
    expect(await revoke(bankAdmin, staff, staffRole)).toMatchObject({ status: 403, body: mayNotRevoke(bankId) });
  });
});

describe('getEntitlementsForBank', () => {
  /** A bank created by `creator` (who is granted CanCreateEntitlementAtOneBank and CanReadDynamicResourceDocsAtOneBank there). */
  const bankBy = async (creator: string): Promise<string> => {
    await grantId(creator, 'CanCreateBank');
    const bankId = uniqueId('bk');
    const res = await call('POST', '/obp/v5.0.0/banks', { as: creator, body: { id: bankId, bank_code: 'REV' } });
    if (res.status !== 201) throw new Error(`createBank failed: ${res.status}`);
    return bankId;
  };

  /** The bank's role items as the table holds them, in grant order (creation time, then id). */
  const storedBankRoles = async (bankId: string) => {
    const out = await documentClient().send(
      new QueryCommand({ TableName: tableName(), IndexName: GSI1, KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': entitlementsOfBankPartition(bankId) } }),
    );
    return (out.Items ?? [])
      .map((i) => ({ entitlement_id: i.entitlementId as string, role_name: i.roleName as string, bank_id: i.bankId as string, user_id: i.userId as string, at: i.createdAt as string }))
      .sort((a, b) => (a.at === b.at ? (a.entitlement_id < b.entitlement_id ? -1 : 1) : a.at < b.at ? -1 : 1))
      .map(({ at: _, ...e }) => e);
  };

  const list = (as: string, bankId: string, query = '', prefix = 'v5.0.0') => call('GET', `/obp/${prefix}/banks/${encodeURIComponent(bankId)}/entitlements${query}`, { as });

  it.each(PREFIXES)('under /obp/%s: {"list":[{entitlement_id, role_name, bank_id, user_id}]} of THIS bank’s roles only, by grant time', async (prefix) => {
    const creator = uniqueId('creator-');
    const bankId = await bankBy(creator);
    const otherBank = await newBank();
    const alice = uniqueId('alice-');
    const bob = uniqueId('bob-');
    const granted = [await grantId(alice, 'CanCreateCustomer', bankId), await grantId(bob, 'CanGetCustomer', bankId), await grantId(alice, 'CanGetCustomer', bankId)];
    // Not in this bank's list: a system role, and a role at another bank.
    await grantId(alice, 'CanCreateCustomerAtAnyBank');
    await grantId(bob, 'CanGetCustomer', otherBank);
    const reviewer = await userWith(bankId, 'CanGetEntitlementsForOneBank');

    const asc = await list(reviewer, bankId, '?sort_direction=ASC', prefix);
    expect(asc.status).toBe(200);
    expect(Object.keys(asc.body)).toEqual(['list']);
    for (const item of asc.body.list) expect(Object.keys(item)).toEqual(['entitlement_id', 'role_name', 'bank_id', 'user_id']);
    const stored = await storedBankRoles(bankId);
    expect(asc.body.list).toEqual(stored);
    // What the test granted, independently of the table: the creator's two roles, then the three grants in order.
    expect(asc.body.list.map((e: { user_id: string; role_name: string }) => `${e.user_id}:${e.role_name}`).sort()).toEqual(
      [
        `${creator}:CanCreateEntitlementAtOneBank`,
        `${creator}:CanReadDynamicResourceDocsAtOneBank`,
        `${alice}:CanCreateCustomer`,
        `${bob}:CanGetCustomer`,
        `${alice}:CanGetCustomer`,
        `${reviewer}:CanGetEntitlementsForOneBank`,
      ].sort(),
    );
    expect(asc.body.list.slice(2, 5).map((e: { entitlement_id: string }) => e.entitlement_id)).toEqual(granted);
    expect(asc.body.list.every((e: { bank_id: string }) => e.bank_id === bankId)).toBe(true);

    // The default order is newest first.
    const byDefault = await list(reviewer, bankId, '', prefix);
    expect(byDefault.body.list).toEqual([...stored].reverse());
  });

  it('is paged: limit 2 over 5 roles gives 2 + 2 + 1, a Link on every page but the last, every role exactly once', async () => {
    const bankId = await newBank();
    const reviewer = await userWith('', 'CanGetEntitlementsForAnyBank');
    for (let i = 0; i < 3; i++) await grantId(uniqueId('staff-'), 'CanGetCustomer', bankId);
    // The three grants and the two roles createBank gave the bank's creator.
    const all = await storedBankRoles(bankId);
    const pages: string[][] = [];
    const links: boolean[] = [];
    let url: string | undefined = `/obp/v5.0.0/banks/${bankId}/entitlements?limit=2&sort_direction=asc`;
    while (url) {
      const res = await call('GET', url, { as: reviewer });
      expect(res.status).toBe(200);
      pages.push(res.body.list.map((e: { entitlement_id: string }) => e.entitlement_id));
      const link = res.headers.link;
      links.push(link !== undefined);
      url = link ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] as string) : undefined;
    }
    expect(all).toHaveLength(5);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(links).toEqual([true, true, false]);
    expect(pages.flat()).toEqual(all.map((e) => e.entitlement_id));
  });

  it('404 OBP-30001 for an unknown bank, even with CanGetEntitlementsForAnyBank (the bank is checked first)', async () => {
    const reviewer = await userWith('', 'CanGetEntitlementsForAnyBank');
    const res = await list(reviewer, 'no-such-bank');
    expect(res).toMatchObject({ status: 404, body: { code: 404, message: 'OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is no-such-bank' } });
    const anonymous = await call('GET', '/obp/v5.0.0/banks/no-such-bank/entitlements');
    expect(anonymous.status).toBe(401);
  });

  it('roles: CanGetEntitlementsForOneBank at the bank or CanGetEntitlementsForAnyBank; everyone else 403 with OBP’s text', async () => {
    const bankId = await newBank();
    const otherBank = await newBank();
    for (const as of [await userWith(bankId, 'CanGetEntitlementsForOneBank'), await userWith('', 'CanGetEntitlementsForAnyBank')]) {
      expect((await list(as, bankId)).status).toBe(200);
    }
    const refused = [
      uniqueId('nobody-'),
      await userWith(otherBank, 'CanGetEntitlementsForOneBank'),
      await userWith(bankId, 'CanGetEntitlementsForAnyUserAtOneBank', 'CanDeleteEntitlementAtOneBank', 'CanCreateEntitlementAtOneBank'),
      await userWith('', 'CanGetEntitlementsForAnyUserAtAnyBank'),
      // The super admins may grant and revoke, nothing else.
      SUPER_ADMIN,
    ];
    for (const as of refused) expect(await list(as, bankId)).toMatchObject({ status: 403, body: mayNotReview(bankId) });
    expect((await call('GET', `/obp/v5.0.0/banks/${bankId}/entitlements`)).status).toBe(401);
  });

  it('an access review: three roles granted to staff are listed; one revoked by the bank’s admin is gone from the next list', async () => {
    const bankId = await newBank();
    const reviewer = await userWith(bankId, 'CanGetEntitlementsForOneBank', 'CanDeleteEntitlementAtOneBank');
    const staff = [uniqueId('teller-'), uniqueId('clerk-'), uniqueId('manager-')];
    const ids = [await grantId(staff[0] as string, 'CanCreateCustomer', bankId), await grantId(staff[1] as string, 'CanGetCustomer', bankId), await grantId(staff[2] as string, 'CanUpdateCustomerEmail', bankId)];
    const staffRoles = async () =>
      (await list(reviewer, bankId, '?sort_direction=asc')).body.list.filter((e: { user_id: string }) => staff.includes(e.user_id)).map((e: { user_id: string; role_name: string; entitlement_id: string }) => [e.user_id, e.role_name, e.entitlement_id]);
    expect(await staffRoles()).toEqual([
      [staff[0], 'CanCreateCustomer', ids[0]],
      [staff[1], 'CanGetCustomer', ids[1]],
      [staff[2], 'CanUpdateCustomerEmail', ids[2]],
    ]);
    expect((await revoke(reviewer, staff[1] as string, ids[1] as string)).status).toBe(204);
    expect(await staffRoles()).toEqual([
      [staff[0], 'CanCreateCustomer', ids[0]],
      [staff[2], 'CanUpdateCustomerEmail', ids[2]],
    ]);
  });
});

describe('revocation is immediate, in the same warm function', () => {
  /** The handler the invoker holds for a route: the same function object means the same loaded module. */
  const handlerOf = async (method: string, path: string) => loadHandler((findRoute(method, path)?.route.entry) as string);

  it('a role deleted: the very next request with the same token is 403, and granting it again restores it at once', async () => {
    const bankId = await newBank();
    const staff = uniqueId('staff-');
    const token = await tokenFor(staff);
    const as = { authorization: `Bearer ${token}` };
    const createPath = `/obp/v5.0.0/banks/${bankId}/customers`;
    const warm = await handlerOf('POST', createPath);

    let entitlementId = await grantId(staff, 'CanCreateCustomer', bankId);
    for (let round = 0; round < 3; round++) {
      expect((await call('POST', createPath, { as, body: MINIMAL_CUSTOMER })).status).toBe(201);
      expect((await call('DELETE', revokePath(staff, entitlementId), { as: SUPER_ADMIN })).status).toBe(204);
      const refused = await call('POST', createPath, { as, body: MINIMAL_CUSTOMER });
      expect(refused).toMatchObject({
        status: 403,
        body: { code: 403, message: `OBP-20006: User is missing one or more roles: CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(${bankId}).` },
      });
      entitlementId = await grantId(staff, 'CanCreateCustomer', bankId);
    }
    // Every request above went to one loaded handler module (nothing was reloaded between them).
    expect(await handlerOf('POST', createPath)).toBe(warm);
  });

  it('a read role revoked by the bank’s own admin: the next read by the same token is 403', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const bankAdmin = await userWith(bankId, 'CanDeleteEntitlementAtOneBank');
    const staff = uniqueId('staff-');
    const as = { authorization: `Bearer ${await tokenFor(staff)}` };
    const readPath = `/obp/v5.0.0/banks/${bankId}/customers/${customer.customer_id}`;
    const warm = await handlerOf('GET', readPath);
    const entitlementId = await grantId(staff, 'CanGetCustomer', bankId);
    expect((await call('GET', readPath, { as })).status).toBe(200);
    expect((await revoke(bankAdmin, staff, entitlementId)).status).toBe(204);
    expect(await call('GET', readPath, { as })).toMatchObject({ status: 403, body: { code: 403, message: `OBP-20006: User is missing one or more roles: CanGetCustomer at Bank(${bankId})` } });
    expect(await handlerOf('GET', readPath)).toBe(warm);
  });

  it('a link removed: the linked user’s next getMyMessages lists none of the customer’s messages, and addCustomerMessage is 400 OBP-30008 again', async () => {
    const bankId = await newBank();
    const customerId = (await newCustomer(bankId)).customer_id as string;
    const otherCustomerId = (await newCustomer(bankId)).customer_id as string;
    const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
    const unlinker = await userWith(bankId, 'CanDeleteUserCustomerLink');
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');
    const user = uniqueId('customer-user-');
    const as = { authorization: `Bearer ${await tokenFor(user)}` };
    const link = await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: user, customer_id: customerId } });
    expect(link.status).toBe(201);
    // The user keeps another link, whose messages stay visible.
    expect((await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: user, customer_id: otherCustomerId } })).status).toBe(201);
    const post = (cid: string, message: string) =>
      call('POST', `/obp/v1.4.0/banks/${bankId}/customer/${cid}/messages`, { as: sender, body: { message, from_department: 'Cards', from_person: 'Tom' } });
    expect((await post(customerId, 'for the unlinked customer')).status).toBe(201);
    expect((await post(otherCustomerId, 'for the other customer')).status).toBe(201);

    const myMessagesPath = `/obp/v1.4.0/banks/${bankId}/customer/messages`;
    const warm = await handlerOf('GET', myMessagesPath);
    const texts = async () => (await call('GET', myMessagesPath, { as })).body.messages.map((m: { message: string }) => m.message).sort();
    expect(await texts()).toEqual(['for the other customer', 'for the unlinked customer']);

    const removed = await raw('DELETE', `/obp/v5.0.0/banks/${bankId}/user_customer_links/${link.body.user_customer_link_id}`, unlinker);
    expect({ status: removed.status, text: removed.text }).toEqual({ status: 200, text: 'true' });
    expect(await texts()).toEqual(['for the other customer']);
    expect(await handlerOf('GET', myMessagesPath)).toBe(warm);

    const refused = await post(customerId, 'nobody is linked');
    expect(refused).toMatchObject({ status: 400, body: { code: 400, message: `OBP-30008: User Customer Link not found by USER_ID Current customerId (${customerId})` } });
    expect((await post(otherCustomerId, 'still linked')).status).toBe(201);
  });
});
