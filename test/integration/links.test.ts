// createUserCustomerLink (OBP v4.0.0; docs/design.md, "Operations" and "Deliberate differences from OBP").
import { call } from '../support/api';
import { newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';

jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OBP_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const INVALID_JSON = 'OBP-10001: Incorrect json format.';
const ALREADY_LINKED = 'OBP-30007: The User is already linked to a Customer at the bank specified by BANK_ID';

const linksPath = (bankId: string, prefix = 'v5.0.0') => `/obp/${prefix}/banks/${bankId}/user_customer_links`;
const createLink = (as: string | undefined, bankId: string, body: unknown, prefix = 'v5.0.0') => call('POST', linksPath(bankId, prefix), { as, body });
const missingRoles = (bankId: string) => ({
  code: 403,
  message: `OBP-20006: User is missing one or more roles: CanCreateUserCustomerLinkAtAnyBank or CanCreateUserCustomerLink for BankId(${bankId}).`,
});

/** A bank with one customer, and a user allowed to link at that bank. */
const scene = async () => {
  const bankId = await newBank();
  const customerId = (await newCustomer(bankId)).customer_id as string;
  const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
  return { bankId, customerId, linker };
};

/** Whether `userId` sees `customerId`'s messages: the observable effect of a link (getMyMessages). */
const myMessageTexts = async (bankId: string, userId: string): Promise<string[]> => {
  const res = await call('GET', `/obp/v5.0.0/banks/${bankId}/customer/messages`, { as: userId });
  return res.body.messages.map((m: { message: string }) => m.message);
};

describe('createUserCustomerLink: success', () => {
  it.each(['v4.0.0', 'v5.0.0', 'v5.1.0'])('201 under /obp/%s with the UserCustomerLinkJson shape', async (prefix) => {
    const { bankId, customerId, linker } = await scene();
    const userId = uniqueId('user-');
    const before = Date.now();
    const res = await createLink(linker, bankId, { user_id: userId, customer_id: customerId }, prefix);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['user_customer_link_id', 'customer_id', 'user_id', 'date_inserted', 'is_active']);
    expect(res.body).toEqual({
      user_customer_link_id: expect.stringMatching(UUID),
      customer_id: customerId,
      user_id: userId,
      date_inserted: expect.stringMatching(OBP_DATE),
      is_active: true,
    });
    const inserted = Date.parse(res.body.date_inserted);
    expect(inserted).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(inserted).toBeLessThanOrEqual(Date.now());
  });

  it('links a user never seen before (users are not pre-registered), and the link takes effect', async () => {
    const { bankId, customerId, linker } = await scene();
    const userId = `someone-${crypto.randomUUID()}`;
    expect(await myMessageTexts(bankId, userId)).toEqual([]);
    expect((await createLink(linker, bankId, { user_id: userId, customer_id: customerId })).status).toBe(201);
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');
    await call('POST', `/obp/v5.0.0/banks/${bankId}/customers/${customerId}/messages`, {
      as: sender,
      body: { message: 'linked', transport: '', from_department: 'd', from_person: 'p' },
    });
    expect(await myMessageTexts(bankId, userId)).toEqual(['linked']);
  });

  it('CanCreateUserCustomerLinkAtAnyBank works at any bank', async () => {
    const a = await scene();
    const b = await scene();
    const linker = await userWith('', 'CanCreateUserCustomerLinkAtAnyBank');
    const userId = uniqueId('user-');
    expect((await createLink(linker, a.bankId, { user_id: userId, customer_id: a.customerId })).status).toBe(201);
    expect((await createLink(linker, b.bankId, { user_id: userId, customer_id: b.customerId })).status).toBe(201);
  });

  it('a user may be linked to several customers, and a customer to several users', async () => {
    const { bankId, customerId, linker } = await scene();
    const second = (await newCustomer(bankId)).customer_id;
    const alice = uniqueId('alice-');
    const bob = uniqueId('bob-');
    const ids = new Set<string>();
    for (const body of [
      { user_id: alice, customer_id: customerId },
      { user_id: alice, customer_id: second },
      { user_id: bob, customer_id: customerId },
    ]) {
      const res = await createLink(linker, bankId, body);
      expect(res.status).toBe(201);
      ids.add(res.body.user_customer_link_id);
    }
    expect(ids.size).toBe(3);
  });

  it('ignores unknown body fields', async () => {
    const { bankId, customerId, linker } = await scene();
    const res = await createLink(linker, bankId, { user_id: uniqueId('u-'), customer_id: customerId, is_active: false, bank_id: 'x' });
    expect(res.status).toBe(201);
    expect(res.body.is_active).toBe(true);
  });
});

describe('createUserCustomerLink: refusals', () => {
  it('duplicate (user, customer) pair → 400 with the exact OBP-30007 text', async () => {
    const { bankId, customerId, linker } = await scene();
    const body = { user_id: uniqueId('user-'), customer_id: customerId };
    expect((await createLink(linker, bankId, body)).status).toBe(201);
    const again = await createLink(await userWith('', 'CanCreateUserCustomerLinkAtAnyBank'), bankId, body, 'v4.0.0');
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 400, message: ALREADY_LINKED });
  });

  it('unknown customer → 404 OBP-30046 with the double period', async () => {
    const { bankId, linker } = await scene();
    const missing = crypto.randomUUID();
    const res = await createLink(linker, bankId, { user_id: uniqueId('user-'), customer_id: missing });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 404,
      message: `OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.. Current CustomerId(${missing})`,
    });
  });

  it("another bank's customer → 400 with an OBP code (never OBP-50005), and no link is made", async () => {
    const home = await scene();
    const other = await scene();
    const userId = uniqueId('user-');
    const res = await createLink(home.linker, home.bankId, { user_id: userId, customer_id: other.customerId });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(400);
    expect(res.body.message).toMatch(/^OBP-\d{5}: /);
    expect(res.body.message).not.toMatch(/OBP-50005/);
    expect(res.body.message.startsWith('OBP-10020: Incorrect json.')).toBe(true);
    // Not linked: the user is not linked at either bank, and the pair can still be linked at the right bank.
    expect(await myMessageTexts(home.bankId, userId)).toEqual([]);
    expect((await createLink(other.linker, other.bankId, { user_id: userId, customer_id: other.customerId })).status).toBe(201);
  });

  it('403 with the exact text without a link role (no role, role at another bank, other roles)', async () => {
    const { bankId, customerId } = await scene();
    const elsewhere = await userWith(await newBank(), 'CanCreateUserCustomerLink');
    const otherRoles = await userWith(bankId, 'CanCreateCustomer', 'CanGetCustomer', 'CanGetUserCustomerLink');
    for (const as of [uniqueId('user-'), elsewhere, otherRoles]) {
      const res = await createLink(as, bankId, { user_id: uniqueId('u-'), customer_id: customerId });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(missingRoles(bankId));
    }
  });

  it('401 without a token (also for malformed JSON); 404 OBP-30001 for an unknown bank, before roles', async () => {
    const { bankId, customerId } = await scene();
    const anonymous = await createLink(undefined, bankId, { user_id: 'u', customer_id: customerId });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ code: 401, message: 'OBP-20001: User not logged in. Authentication is required!' });
    expect((await call('POST', linksPath(bankId), { rawBody: '{"user_id":' })).status).toBe(401);
    const missingBank = uniqueId('nobank');
    const res = await createLink(uniqueId('user-'), missingBank, { user_id: 'u', customer_id: customerId });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, message: `OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${missingBank}` });
  });

  it('403 comes before any body check', async () => {
    const { bankId } = await scene();
    const noRole = uniqueId('user-');
    for (const options of [{ rawBody: '{"user_id":' }, { body: { user_id: 'u' } }, { body: { user_id: 'u', customer_id: 'bad id!' } }]) {
      const res = await call('POST', linksPath(bankId), { as: noRole, ...options });
      expect(res.body).toEqual(missingRoles(bankId));
    }
  });

  it.each([
    ['user_id', { customer_id: 'c' }],
    ['customer_id', { user_id: 'u' }],
    ['customer_id', { user_id: 'u', customer_id: '' }],
    ['user_id', { user_id: '', customer_id: 'c' }],
    ['customer_id', { user_id: 'u', customer_id: 'has space' }],
    ['customer_id', { user_id: 'u', customer_id: 'x'.repeat(37) }],
    ['customer_id', { user_id: 'u', customer_id: true }],
  ])('400 OBP-10001 naming %s for the body %p', async (field, body) => {
    const { bankId, linker } = await scene();
    const res = await createLink(linker, bankId, body);
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(res.body.message).toContain(field);
  });

  it('400 OBP-10001 for malformed JSON from a caller with the role', async () => {
    const { bankId, linker } = await scene();
    const res = await call('POST', linksPath(bankId), { as: linker, rawBody: '{"user_id": "u", ' });
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
  });
});
