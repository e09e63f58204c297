// createBank, getBank, addEntitlement, getEntitlements and getCurrentUser (docs/design.md, "Operations", "Roles" and "Deliberate differences from OBP"; otherwise as OBP behaves).
import { ALL_ROLE_NAMES } from '../../functions/common/roles';
import { call } from '../support/api';
import { grant, MINIMAL_CUSTOMER, newBank, newCustomer, SUPER_ADMIN, uniqueId, userWith } from '../support/fixtures';
import { tokenFor } from '../support/tokens';

jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOT_LOGGED_IN = { code: 401, message: 'OBP-20001: User not logged in. Authentication is required!' };

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random bank id of `length` characters (createBank allows 4–16). */
const bankIdOf = (length: number): string =>
  Array.from({ length }, () => ID_CHARS[Math.floor(Math.random() * ID_CHARS.length)]).join('');

const bankCreator = async (): Promise<string> => userWith('', 'CanCreateBank');

const createBank = (as: string | undefined, body: unknown) => call('POST', '/obp/v5.0.0/banks', { as, body });
const getBank = (bankId: string, prefix = 'v5.0.0') => call('GET', `/obp/${prefix}/banks/${bankId}`);
const addEntitlement = (as: string, userId: string, body: unknown, prefix = 'v5.0.0') =>
  call('POST', `/obp/${prefix}/users/${encodeURIComponent(userId)}/entitlements`, { as, body });
const getEntitlements = (as: string, userId: string, prefix = 'v5.0.0') =>
  call('GET', `/obp/${prefix}/users/${encodeURIComponent(userId)}/entitlements`, { as });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const permissionDenied = (bankId: string) =>
  `OBP-20050: Current User is not a Super Admin! orOBP-20006: User is missing one or more roles: CanCreateEntitlementAtOneBank BankId(${bankId}). orOBP-20006: User is missing one or more roles: CanCreateEntitlementAtAnyBank`;

describe('createBank v5.0.0', () => {
  it('201 BankJson500; a bank without routings reads the OBP routings on create and on read', async () => {
    const creator = await bankCreator();
    const id = bankIdOf(10);
    const res = await createBank(creator, { id, bank_code: 'CGHZ' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['id', 'bank_code', 'full_name', 'logo', 'website', 'bank_routings', 'attributes']);
    expect(res.body).toEqual({
      id,
      bank_code: 'CGHZ',
      full_name: null,
      logo: null,
      website: null,
      bank_routings: [
        { scheme: 'OBP', address: id },
        { scheme: 'BIC', address: '' },
        { scheme: '', address: '' },
      ],
      attributes: [],
    });

    const read = await getBank(id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      ...res.body,
      bank_routings: [
        { scheme: 'BIC', address: '' },
        { scheme: 'OBP', address: id },
      ],
    });
  });

  it('keeps the full example body, and answers under /obp/v5.1.0 too', async () => {
    const creator = await bankCreator();
    const id = bankIdOf(12);
    const body = {
      id,
      bank_code: 'CGHZ',
      full_name: 'full name string',
      logo: 'logo url',
      website: 'www.openbankproject.com',
      bank_routings: [{ scheme: 'scheme value', address: '' }],
    };
    const res = await call('POST', '/obp/v5.1.0/banks', { as: creator, body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id,
      bank_code: 'CGHZ',
      full_name: 'full name string',
      logo: 'logo url',
      website: 'www.openbankproject.com',
      bank_routings: [
        { scheme: 'OBP', address: id },
        { scheme: 'BIC', address: '' },
        { scheme: 'scheme value', address: '' },
      ],
      attributes: [],
    });
    const read = await getBank(id, 'v5.1.0');
    expect(read.status).toBe(200);
    // On read an empty routing address is the bank id (as in OBP).
    expect(read.body.bank_routings).toEqual([
      { scheme: 'OBP', address: id },
      { scheme: 'BIC', address: '' },
      { scheme: 'scheme value', address: id },
    ]);
    expect(read.body.full_name).toBe('full name string');
  });

  it('renders an OBP routing and a BIC routing as [BIC, OBP], on create and read alike', async () => {
    const creator = await bankCreator();
    const id = bankIdOf(8);
    const res = await createBank(creator, {
      id,
      bank_code: 'X',
      bank_routings: [
        { scheme: 'BIC', address: 'GENODEF1ABC' },
        { scheme: 'OBP', address: 'obp-address' },
      ],
    });
    expect(res.status).toBe(201);
    const expected = [
      { scheme: 'BIC', address: 'GENODEF1ABC' },
      { scheme: 'OBP', address: 'obp-address' },
    ];
    expect(res.body.bank_routings).toEqual(expected);
    expect((await getBank(id)).body.bank_routings).toEqual(expected);
  });

  it('with only a BIC routing: stored scheme "" echoed on create, read as OBP with the bank id', async () => {
    const creator = await bankCreator();
    const id = bankIdOf(9);
    const res = await createBank(creator, { id, bank_code: 'X', bank_routings: [{ scheme: 'BIC', address: 'BICBIC' }] });
    expect(res.body.bank_routings).toEqual([
      { scheme: 'OBP', address: id },
      { scheme: 'BIC', address: 'BICBIC' },
      { scheme: '', address: '' },
    ]);
    expect((await getBank(id)).body.bank_routings).toEqual([
      { scheme: 'BIC', address: 'BICBIC' },
      { scheme: 'OBP', address: id },
    ]);
  });

  it.each([
    ['17 characters', () => bankIdOf(17), 'OBP-20010: Value too long.'],
    ['a space', () => 'bad id1', 'OBP-20011: Value contains invalid characters.'],
    ['a slash', () => 'bad/id1', 'OBP-20011: Value contains invalid characters.'],
    ['::::', () => 'a::::b', 'OBP-20011: Value contains invalid characters.'],
    ['empty', () => '', 'OBP-20011: Value contains invalid characters.'],
    ['3 characters', () => 'abc', 'OBP-10001: Incorrect json format. Min length of BANK_ID should be greater than 3 characters.'],
    ['1 character', () => 'a', 'OBP-10001: Incorrect json format. Min length of BANK_ID should be greater than 3 characters.'],
  ])('refuses an id with %s → 400 with the exact text', async (_, makeId, message) => {
    const creator = await bankCreator();
    const id = makeId();
    const res = await createBank(creator, { id, bank_code: 'X' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message });
  });

  it('a refused id creates no bank and grants nothing', async () => {
    const creator = await bankCreator();
    for (const id of [bankIdOf(17), bankIdOf(3)]) {
      expect((await createBank(creator, { id, bank_code: 'X' })).status).toBe(400);
      expect((await getBank(id)).status).toBe(404);
    }
    const me = await call('GET', '/obp/v5.0.0/users/current', { as: creator });
    expect(me.body.entitlements.list.map((e: { role_name: string }) => e.role_name)).toEqual(['CanCreateBank']);
  });

  it('accepts ids of 4 and of 16 characters of letters, digits, -, . and _', async () => {
    const creator = await bankCreator();
    for (const id of [bankIdOf(4), `${bankIdOf(13)}-._`]) {
      const res = await createBank(creator, { id, bank_code: 'X' });
      expect({ id, status: res.status }).toEqual({ id, status: 201 });
      expect((await getBank(id)).body.id).toBe(id);
    }
  });

  it('refuses an existing id with 400 OBP-34000 and keeps the first bank; ids are case-sensitive', async () => {
    const creator = await bankCreator();
    const id = `${bankIdOf(10)}Ab`;
    expect((await createBank(creator, { id, bank_code: 'FIRST' })).status).toBe(201);
    const again = await createBank(await bankCreator(), { id, bank_code: 'SECOND', full_name: 'Second' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 400, message: 'OBP-34000: Bank Id already exists. Please specify a different value.' });
    expect((await getBank(id)).body).toMatchObject({ bank_code: 'FIRST', full_name: null });
    const other = await createBank(creator, { id: id.toUpperCase(), bank_code: 'UPPER' });
    expect(other.status).toBe(201);
  });

  it('403 with the exact text without CanCreateBank (bank roles do not help)', async () => {
    const id = bankIdOf(10);
    const user = await userWith(await newBank(), 'CanCreateEntitlementAtOneBank', 'CanCreateCustomer');
    const res = await createBank(user, { id, bank_code: 'X' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, message: 'OBP-20006: User is missing one or more roles: CanCreateBank' });
    expect((await getBank(id)).status).toBe(404);
  });

  it('401 without a token, also for malformed JSON; 403 before body checks', async () => {
    expect((await createBank(undefined, { id: bankIdOf(10), bank_code: 'X' })).body).toEqual(NOT_LOGGED_IN);
    expect((await call('POST', '/obp/v5.0.0/banks', { rawBody: '{"id":' })).status).toBe(401);
    const noRole = uniqueId('user-');
    expect((await call('POST', '/obp/v5.0.0/banks', { as: noRole, rawBody: '{"id":' })).status).toBe(403);
    expect((await createBank(noRole, { id: 'x' })).status).toBe(403);
  });

  it('400 OBP-10001 for a body without bank_code or with wrong types', async () => {
    const creator = await bankCreator();
    for (const body of [{ id: bankIdOf(10) }, { id: bankIdOf(10), bank_code: true }, { id: bankIdOf(10), bank_code: 'X', bank_routings: [{ scheme: 'BIC' }] }]) {
      const res = await createBank(creator, body);
      expect(res.status).toBe(400);
      expect(res.body.message.startsWith('OBP-10001: Incorrect json format.')).toBe(true);
    }
  });

  it("grants the creator CanCreateEntitlementAtOneBank at the new bank, and it works there", async () => {
    const creator = await bankCreator();
    const id = bankIdOf(11);
    expect((await createBank(creator, { id, bank_code: 'X' })).status).toBe(201);

    const me = await call('GET', '/obp/v5.0.0/users/current', { as: creator });
    expect(me.body.entitlements.list).toEqual(
      expect.arrayContaining([{ entitlement_id: expect.stringMatching(UUID), role_name: 'CanCreateEntitlementAtOneBank', bank_id: id }]),
    );
    const clerk = uniqueId('clerk-');
    const granted = await addEntitlement(creator, clerk, { bank_id: id, role_name: 'CanCreateCustomer' });
    expect(granted.status).toBe(201);
    expect((await call('POST', `/obp/v5.0.0/banks/${id}/customers`, { as: clerk, body: MINIMAL_CUSTOMER })).status).toBe(201);
  });
});

describe('getBank v5.0.0', () => {
  it('answers anonymously with 200', async () => {
    const bankId = await newBank();
    const res = await getBank(bankId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: bankId, bank_code: 'TEST', attributes: [] });
  });

  it('404 OBP-30001 with the "Current BankId is" suffix for an unknown bank', async () => {
    const missing = uniqueId('nobank');
    const res = await getBank(missing);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, message: `OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${missing}` });
  });
});

describe('addEntitlement', () => {
  it('the super admin can grant any role to a never-seen user: 201 {entitlement_id, role_name, bank_id}', async () => {
    const bankId = await newBank();
    const target = uniqueId('fresh-');
    const system = await addEntitlement(SUPER_ADMIN, target, { bank_id: '', role_name: 'CanCreateEntitlementAtAnyBank' });
    expect(system.status).toBe(201);
    expect(Object.keys(system.body)).toEqual(['entitlement_id', 'role_name', 'bank_id']);
    expect(system.body).toEqual({ entitlement_id: expect.stringMatching(UUID), role_name: 'CanCreateEntitlementAtAnyBank', bank_id: '' });
    const bankRole = await addEntitlement(SUPER_ADMIN, target, { bank_id: bankId, role_name: 'CanGetCustomer' }, 'v4.0.0');
    expect(bankRole.status).toBe(201);
    expect(bankRole.body).toEqual({ entitlement_id: expect.stringMatching(UUID), role_name: 'CanGetCustomer', bank_id: bankId });
    expect(bankRole.body.entitlement_id).not.toBe(system.body.entitlement_id);
  });

  it('CanCreateEntitlementAtOneBank works only for the body bank', async () => {
    const bankA = await newBank();
    const bankB = await newBank();
    const admin = await userWith(bankA, 'CanCreateEntitlementAtOneBank');
    const target = uniqueId('user-');

    expect((await addEntitlement(admin, target, { bank_id: bankA, role_name: 'CanCreateCustomer' })).status).toBe(201);

    const atB = await addEntitlement(admin, target, { bank_id: bankB, role_name: 'CanCreateCustomer' });
    expect(atB.status).toBe(403);
    expect(atB.body).toEqual({ code: 403, message: permissionDenied(bankB) });

    const system = await addEntitlement(admin, target, { bank_id: '', role_name: 'CanCreateBank' });
    expect(system.status).toBe(403);
    expect(system.body).toEqual({ code: 403, message: permissionDenied('') });

    const list = await getEntitlements(await userWith('', 'CanGetEntitlementsForAnyUserAtAnyBank'), target);
    expect(list.body.list.map((e: { role_name: string; bank_id: string }) => [e.role_name, e.bank_id])).toEqual([['CanCreateCustomer', bankA]]);
  });

  it('CanCreateEntitlementAtAnyBank can grant bank roles at any bank and system roles', async () => {
    const bankA = await newBank();
    const bankB = await newBank();
    const admin = await userWith('', 'CanCreateEntitlementAtAnyBank');
    const target = uniqueId('user-');
    expect((await addEntitlement(admin, target, { bank_id: bankA, role_name: 'CanGetCustomer' })).status).toBe(201);
    expect((await addEntitlement(admin, target, { bank_id: bankB, role_name: 'CanGetCustomer' })).status).toBe(201);
    expect((await addEntitlement(admin, target, { bank_id: '', role_name: 'CanCreateCustomerAtAnyBank' })).status).toBe(201);
  });

  it('a caller without permission gets 403 with the exact combined text', async () => {
    const bankId = await newBank();
    const caller = await userWith(bankId, 'CanCreateCustomer', 'CanGetCustomer');
    const res = await addEntitlement(caller, uniqueId('user-'), { bank_id: bankId, role_name: 'CanGetCustomer' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, message: permissionDenied(bankId) });
    // No self-service either.
    expect((await addEntitlement(caller, caller, { bank_id: bankId, role_name: 'CanCreateEntitlementAtOneBank' })).status).toBe(403);
  });

  it.each(['CanCreateCustomers', 'cancreatecustomer', 'SuperAdmin', ''])('400 OBP-10007 for the unknown role name %p', async (roleName) => {
    const bankId = await newBank();
    const res = await addEntitlement(SUPER_ADMIN, uniqueId('user-'), { bank_id: bankId, role_name: roleName });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(400);
    expect(res.body.message.startsWith(`OBP-10007: Incorrect Role name:${roleName}. Possible roles are `)).toBe(true);
    expect(res.body.message).toContain(ALL_ROLE_NAMES.join(', '));
  });

  it('checks the permission before the role name and its scope (docs/design.md check order: 403 before 400)', async () => {
    const bankId = await newBank();
    const nobody = uniqueId('user-');
    for (const body of [{ bank_id: bankId, role_name: 'NoSuchRole' }, { bank_id: '', role_name: 'CanCreateCustomer' }]) {
      const res = await addEntitlement(nobody, nobody, body);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/^OBP-20050: Current User is not a Super Admin! orOBP-20006: /);
    }
  });

  it('400 OBP-30205 for a bank role without bank_id, 400 OBP-30206 for a system role with one', async () => {
    const bankId = await newBank();
    const target = uniqueId('user-');
    const bankRole = await addEntitlement(SUPER_ADMIN, target, { bank_id: '', role_name: 'CanCreateCustomer' });
    expect(bankRole.status).toBe(400);
    expect(bankRole.body).toEqual({ code: 400, message: 'OBP-30205: This entitlement is a Bank Role. Please set bank_id to a valid bank id.' });
    const systemRole = await addEntitlement(SUPER_ADMIN, target, { bank_id: bankId, role_name: 'CanCreateBank' });
    expect(systemRole.status).toBe(400);
    expect(systemRole.body).toEqual({ code: 400, message: 'OBP-30206: This entitlement is a System Role. Please set bank_id to empty string.' });
  });

  it('400 with the bare OBP-30001 text for an unknown body bank', async () => {
    const res = await addEntitlement(SUPER_ADMIN, uniqueId('user-'), { bank_id: uniqueId('nobank'), role_name: 'CanCreateCustomer' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message: 'OBP-30001: Bank not found. Please specify a valid value for BANK_ID.' });
  });

  it('400 OBP-30216 for a role the user already holds there; the same role at another bank is fine', async () => {
    const bankA = await newBank();
    const bankB = await newBank();
    const target = uniqueId('user-');
    expect((await addEntitlement(SUPER_ADMIN, target, { bank_id: bankA, role_name: 'CanGetCustomer' })).status).toBe(201);
    const again = await addEntitlement(SUPER_ADMIN, target, { bank_id: bankA, role_name: 'CanGetCustomer' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 400, message: 'OBP-30216: Entitlement already exists for the user.' });
    expect((await addEntitlement(SUPER_ADMIN, target, { bank_id: bankB, role_name: 'CanGetCustomer' })).status).toBe(201);
    expect((await addEntitlement(SUPER_ADMIN, target, { bank_id: '', role_name: 'CanCreateBank' })).status).toBe(201);
    const systemAgain = await addEntitlement(SUPER_ADMIN, target, { bank_id: '', role_name: 'CanCreateBank' });
    expect(systemAgain.body.message).toBe('OBP-30216: Entitlement already exists for the user.');
  });

  it('401 without a token; 400 OBP-10001 for a body without role_name or bank_id', async () => {
    const bankId = await newBank();
    const noToken = await call('POST', `/obp/v5.0.0/users/${uniqueId('u')}/entitlements`, { body: { bank_id: bankId, role_name: 'CanGetCustomer' } });
    expect(noToken.body).toEqual(NOT_LOGGED_IN);
    for (const body of [{ bank_id: bankId }, { role_name: 'CanCreateBank' }, { bank_id: null, role_name: 'CanCreateBank' }]) {
      const res = await addEntitlement(SUPER_ADMIN, uniqueId('user-'), body);
      expect(res.status).toBe(400);
      expect(res.body.message.startsWith('OBP-10001: Incorrect json format.')).toBe(true);
    }
  });

  it('the super admin gets no other bypass: bank-role operations answer 403', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const byId = await call('GET', `/obp/v5.0.0/banks/${bankId}/customers/${customer.customer_id}`, { as: SUPER_ADMIN });
    expect(byId.status).toBe(403);
    expect(byId.body.message).toBe(`OBP-20006: User is missing one or more roles: CanGetCustomer at Bank(${bankId})`);
    const message = await call('POST', `/obp/v5.0.0/banks/${bankId}/customers/${customer.customer_id}/messages`, {
      as: SUPER_ADMIN,
      body: { message: 'm', transport: 'SMS', from_department: 'd', from_person: 'p' },
    });
    expect(message.status).toBe(403);
  });
});

describe('getEntitlements v4.0.0', () => {
  it('403 with the exact text without CanGetEntitlementsForAnyUserAtAnyBank', async () => {
    const bankId = await newBank();
    const caller = await userWith(bankId, 'CanCreateEntitlementAtOneBank', 'CanGetEntitlementsForAnyUserAtOneBank');
    const res = await getEntitlements(caller, caller);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, message: 'OBP-20006: User is missing one or more roles: CanGetEntitlementsForAnyUserAtAnyBank' });
  });

  it("lists a user's entitlements by bank id then role name (descending by default), three fields each", async () => {
    const bankA = await newBank();
    const bankB = await newBank();
    const target = uniqueId('user-');
    const grants = [
      { bank_id: bankA, role_name: 'CanCreateCustomer' },
      { bank_id: '', role_name: 'CanCreateBank' },
      { bank_id: bankB, role_name: 'CanGetCustomer' },
      { bank_id: bankA, role_name: 'CanGetCustomerMessages' },
    ];
    const ids: string[] = [];
    for (const g of grants) {
      const res = await addEntitlement(SUPER_ADMIN, target, g);
      expect(res.status).toBe(201);
      ids.push(res.body.entitlement_id);
      await pause(5);
    }
    const reader = await userWith('', 'CanGetEntitlementsForAnyUserAtAnyBank');
    // The list is paged, so its order is a stable key: (bank id, role name), not the grant time.
    const byBankThenRole = grants
      .map((g, i) => ({ entitlement_id: ids[i], role_name: g.role_name, bank_id: g.bank_id }))
      .sort((a, b) => (a.bank_id !== b.bank_id ? (a.bank_id < b.bank_id ? -1 : 1) : a.role_name < b.role_name ? -1 : 1));
    for (const prefix of ['v4.0.0', 'v5.0.0', 'v5.1.0']) {
      const res = await getEntitlements(reader, target, prefix);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ list: [...byBankThenRole].reverse() });
      for (const item of res.body.list) expect(Object.keys(item)).toEqual(['entitlement_id', 'role_name', 'bank_id']);
    }
    const ascending = await call('GET', `/obp/v5.1.0/users/${target}/entitlements?sort_direction=asc`, { as: reader });
    expect(ascending.body).toEqual({ list: byBankThenRole });
  });

  it('answers {"list":[]} for an unknown user, and no SuperAdmin pseudo-entry for the super admin', async () => {
    const reader = await userWith('', 'CanGetEntitlementsForAnyUserAtAnyBank');
    const unknown = await getEntitlements(reader, uniqueId('nobody-'));
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ list: [] });
    const admin = await getEntitlements(reader, SUPER_ADMIN);
    expect(admin.status).toBe(200);
    expect(admin.body.list.map((e: { role_name: string }) => e.role_name)).not.toContain('SuperAdmin');
  });

  it('401 without a token', async () => {
    expect((await call('GET', `/obp/v5.0.0/users/${uniqueId('u')}/entitlements`)).body).toEqual(NOT_LOGGED_IN);
  });
});

describe('getCurrentUser v3.0.0', () => {
  it('answers the UserJsonV300 shape with the caller\'s entitlements, newest first', async () => {
    const bankId = await newBank();
    const user = uniqueId('me-');
    await grant(user, 'CanCreateCustomer', bankId);
    await pause(5);
    await grant(user, 'CanCreateBank', '');
    const token = await tokenFor(user, { claims: { email: 'Me@Example.com', preferred_username: 'me-user' } });
    for (const prefix of ['v4.0.0', 'v5.0.0', 'v5.1.0']) {
      const res = await call('GET', `/obp/${prefix}/users/current`, { as: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['user_id', 'email', 'provider_id', 'provider', 'username', 'entitlements', 'views']);
      expect(res.body).toEqual({
        user_id: user,
        email: 'Me@Example.com',
        provider_id: user,
        provider: process.env.JWT_ISSUER,
        username: 'me-user',
        entitlements: {
          list: [
            { entitlement_id: expect.stringMatching(UUID), role_name: 'CanCreateBank', bank_id: '' },
            { entitlement_id: expect.stringMatching(UUID), role_name: 'CanCreateCustomer', bank_id: bankId },
          ],
        },
        views: { list: [] },
      });
    }
  });

  it('a user unknown to the table: empty entitlements, email "" and username null without those claims', async () => {
    const user = uniqueId('new-');
    const res = await call('GET', '/obp/v5.0.0/users/current', { as: user });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: user, email: '', provider_id: user, username: null, entitlements: { list: [] }, views: { list: [] } });
  });

  it('401 without a token', async () => {
    const res = await call('GET', '/obp/v5.0.0/users/current');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(NOT_LOGGED_IN);
  });
});
