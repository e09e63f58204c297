// Customer messages (docs/design.md, "Operations" and "Deliberate differences from OBP" 3–5): createCustomerMessage (v4.0.0),
// addCustomerMessage (v1.4.0), getCustomerMessages (v4.0.0) and getMyMessages (v1.4.0), one message store.
import { call } from '../support/api';
import { newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';
import { walkPages } from '../support/pages';
import { tokenFor } from '../support/tokens';

jest.setTimeout(240_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OBP_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SUCCESS = { success: 'Success' };
const INVALID_JSON = 'OBP-10001: Incorrect json format.';
const CUSTOMER_MESSAGE_FIELDS = ['id', 'date', 'transport', 'message', 'from_department', 'from_person'];
const MY_MESSAGE_FIELDS = ['id', 'date', 'message', 'from_department', 'from_person'];

const V4_BODY = { message: '123456', transport: 'SMS', from_department: 'Open Bank', from_person: 'Tom' };
const V14_BODY = { message: 'Your card is on its way', from_department: 'Cards', from_person: 'Ann' };

const customerNotFound = (customerId: string) => ({
  code: 404,
  message: `OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.. Current CustomerId(${customerId})`,
});
const bankNotFound = (bankId: string) => ({
  code: 404,
  message: `OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${bankId}`,
});

type As = string | { authorization: string };

const createMessage = (as: As | undefined, bankId: string, customerId: string, body: unknown, prefix = 'v4.0.0') =>
  call('POST', `/obp/${prefix}/banks/${bankId}/customers/${customerId}/messages`, { as, body });
const addMessage = (as: As | undefined, bankId: string, customerId: string, body: unknown, prefix = 'v1.4.0') =>
  call('POST', `/obp/${prefix}/banks/${bankId}/customer/${customerId}/messages`, { as, body });
const customerMessages = (as: As | undefined, bankId: string, customerId: string, prefix = 'v4.0.0') =>
  call('GET', `/obp/${prefix}/banks/${bankId}/customers/${customerId}/messages`, { as });
const myMessages = (as: As | undefined, bankId: string, prefix = 'v1.4.0') => call('GET', `/obp/${prefix}/banks/${bankId}/customer/messages`, { as });

const link = async (bankId: string, userId: string, customerId: string): Promise<void> => {
  const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
  const res = await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: userId, customer_id: customerId } });
  if (res.status !== 201) throw new Error(`link failed: ${res.status} ${JSON.stringify(res.body)}`);
};

/** A bank, one of its customers, a user linked to it, a message sender (v4) and a message reader. */
const scene = async () => {
  const bankId = await newBank();
  const customer = await newCustomer(bankId);
  const customerId = customer.customer_id as string;
  const linkedUser = uniqueId('holder-');
  await link(bankId, linkedUser, customerId);
  const sender = await userWith(bankId, 'CanCreateCustomerMessage');
  const reader = await userWith(bankId, 'CanGetCustomerMessages');
  return { bankId, customerId, linkedUser, sender, reader };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const messageTexts = (res: { body: { messages: Array<{ message: string }> } }) => res.body.messages.map((m) => m.message);

describe('createCustomerMessage v4.0.0', () => {
  it.each(['v4.0.0', 'v5.0.0', 'v5.1.0'])('201 {"success":"Success"} under /obp/%s, and the message is stored', async (prefix) => {
    const { bankId, customerId, sender, reader } = await scene();
    const before = Date.now();
    const res = await createMessage(sender, bankId, customerId, V4_BODY, prefix);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(SUCCESS);
    expect(res.headers['content-type']).toBe('application/json');

    const list = await customerMessages(reader, bankId, customerId, prefix);
    expect(list.status).toBe(200);
    expect(list.body.messages).toHaveLength(1);
    const [m] = list.body.messages;
    expect(Object.keys(m)).toEqual(CUSTOMER_MESSAGE_FIELDS);
    expect(m).toEqual({ id: expect.stringMatching(UUID), date: expect.stringMatching(OBP_DATE), ...V4_BODY });
    const date = Date.parse(m.date);
    expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(date).toBeLessThanOrEqual(Date.now());
  });

  it('accepts an empty transport and stores it as ""', async () => {
    const { bankId, customerId, sender, reader } = await scene();
    expect((await createMessage(sender, bankId, customerId, { ...V4_BODY, transport: '' })).status).toBe(201);
    expect((await customerMessages(reader, bankId, customerId)).body.messages[0].transport).toBe('');
  });

  it('stores numbers sent for text fields as their decimal text, and ignores unknown fields', async () => {
    const { bankId, customerId, sender, reader } = await scene();
    const res = await createMessage(sender, bankId, customerId, { ...V4_BODY, message: 123456, priority: 'high' });
    expect(res.status).toBe(201);
    const [m] = (await customerMessages(reader, bankId, customerId)).body.messages;
    expect(m.message).toBe('123456');
    expect(m).not.toHaveProperty('priority');
  });

  it.each(['message', 'transport', 'from_department', 'from_person'])('400 OBP-10001 naming %s when it is missing; nothing stored', async (field) => {
    const { bankId, customerId, sender, reader } = await scene();
    const { [field]: _, ...body } = V4_BODY as Record<string, string>;
    const res = await createMessage(sender, bankId, customerId, body);
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(res.body.message).toContain(field);
    const nulled = await createMessage(sender, bankId, customerId, { ...V4_BODY, [field]: null });
    expect(nulled.status).toBe(400);
    const wrongType = await createMessage(sender, bankId, customerId, { ...V4_BODY, [field]: true });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.message).toContain(field);
    expect((await customerMessages(reader, bankId, customerId)).body).toEqual({ messages: [] });
  });

  it.each([
    ['message', 1024],
    ['transport', 64],
    ['from_department', 64],
    ['from_person', 64],
  ])('%s: %i characters → 201, one more → 400 OBP-10001 naming the field', async (field, limit) => {
    const { bankId, customerId, sender, reader } = await scene();
    const ok = await createMessage(sender, bankId, customerId, { ...V4_BODY, [field]: 'a'.repeat(limit) });
    expect(ok.status).toBe(201);
    const over = await createMessage(sender, bankId, customerId, { ...V4_BODY, [field]: 'b'.repeat(limit + 1) });
    expect(over.status).toBe(400);
    expect(over.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(over.body.message).toContain(field);
    const list = await customerMessages(reader, bankId, customerId);
    expect(list.body.messages).toHaveLength(1);
    expect(list.body.messages[0][field]).toBe('a'.repeat(limit));
  });

  it('403 with the exact text without CanCreateCustomerMessage at the bank (no role, role at another bank, other roles)', async () => {
    const { bankId, customerId, reader } = await scene();
    const elsewhere = await userWith(await newBank(), 'CanCreateCustomerMessage');
    const expected = { code: 403, message: `OBP-20006: User is missing one or more roles: CanCreateCustomerMessage for BankId(${bankId}).` };
    for (const as of [uniqueId('user-'), elsewhere, reader]) {
      const res = await createMessage(as, bankId, customerId, V4_BODY);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(expected);
    }
    expect((await customerMessages(reader, bankId, customerId)).body).toEqual({ messages: [] });
  });

  it('404 OBP-30046 (double period) for an unknown customer', async () => {
    const { bankId, sender } = await scene();
    const missing = crypto.randomUUID();
    const res = await createMessage(sender, bankId, missing, V4_BODY);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(customerNotFound(missing));
  });

  it("404 OBP-30046 for another bank's customer, and nothing is stored for it (docs/design.md difference 3)", async () => {
    const home = await scene();
    const other = await scene();
    const res = await createMessage(home.sender, home.bankId, other.customerId, V4_BODY);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(customerNotFound(other.customerId));
    expect((await customerMessages(other.reader, other.bankId, other.customerId)).body).toEqual({ messages: [] });
  });

  it('check order: 401 (also for anonymous malformed JSON) → 404 bank → 403 → 404 customer → 400 body', async () => {
    const { bankId, customerId, sender } = await scene();
    const missingBank = uniqueId('nobank');
    const missingCustomer = crypto.randomUUID();
    expect((await createMessage(undefined, bankId, customerId, V4_BODY)).body).toEqual({
      code: 401,
      message: 'OBP-20001: User not logged in. Authentication is required!',
    });
    expect((await call('POST', `/obp/v4.0.0/banks/${bankId}/customers/${customerId}/messages`, { rawBody: '{' })).status).toBe(401);
    expect((await createMessage(uniqueId('user-'), missingBank, customerId, V4_BODY)).body).toEqual(bankNotFound(missingBank));
    const noRole = await call('POST', `/obp/v4.0.0/banks/${bankId}/customers/${missingCustomer}/messages`, { as: uniqueId('user-'), rawBody: '{' });
    expect(noRole.status).toBe(403);
    const missing = await createMessage(sender, bankId, missingCustomer, { message: 'no transport' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(customerNotFound(missingCustomer));
    const badBody = await createMessage(sender, bankId, customerId, { message: 'no transport' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.message.startsWith(INVALID_JSON)).toBe(true);
  });

  it('needs no user–customer link', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');
    expect((await createMessage(sender, bankId, customer.customer_id, V4_BODY)).status).toBe(201);
  });
});

describe('addCustomerMessage v1.4.0', () => {
  it.each(['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0'])('201 under /obp/%s for a holder of CanCreateCustomerMessage once the customer has a linked user', async (prefix) => {
    const { bankId, customerId, sender, reader } = await scene();
    const res = await addMessage(sender, bankId, customerId, V14_BODY, prefix);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(SUCCESS);
    const [m] = (await customerMessages(reader, bankId, customerId)).body.messages;
    expect(m).toEqual({ id: expect.stringMatching(UUID), date: expect.stringMatching(OBP_DATE), transport: '', ...V14_BODY });
  });

  it('403 with the exact text without CanCreateCustomerMessage at the bank (no role, role at another bank, other roles); nothing stored', async () => {
    const { bankId, customerId, linkedUser, reader } = await scene();
    const elsewhere = await userWith(await newBank(), 'CanCreateCustomerMessage');
    const expected = { code: 403, message: `OBP-20006: User is missing one or more roles: CanCreateCustomerMessage for BankId(${bankId}).` };
    for (const as of [uniqueId('user-'), linkedUser, elsewhere, reader]) {
      expect((await addMessage(as, bankId, customerId, V14_BODY)).body).toEqual(expected);
    }
    expect((await customerMessages(reader, bankId, customerId)).body).toEqual({ messages: [] });
  });

  it('400 OBP-30008 when the customer has no linked user, and nothing is stored; 201 after a link exists', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const customerId = customer.customer_id as string;
    const caller = await userWith(bankId, 'CanCreateCustomerMessage');
    const res = await addMessage(caller, bankId, customerId, V14_BODY);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message: `OBP-30008: User Customer Link not found by USER_ID Current customerId (${customerId})` });
    const reader = await userWith(bankId, 'CanGetCustomerMessages');
    expect((await customerMessages(reader, bankId, customerId)).body).toEqual({ messages: [] });

    await link(bankId, uniqueId('holder-'), customerId);
    expect((await addMessage(caller, bankId, customerId, V14_BODY)).status).toBe(201);
    expect((await customerMessages(reader, bankId, customerId)).body.messages).toHaveLength(1);
  });

  it('404 OBP-30046 for an unknown customer', async () => {
    const bankId = await newBank();
    const missing = crypto.randomUUID();
    const res = await addMessage(await userWith(bankId, 'CanCreateCustomerMessage'), bankId, missing, V14_BODY);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(customerNotFound(missing));
  });

  it("404 OBP-30046 for another bank's (linked) customer, and nothing is stored for it", async () => {
    const home = await scene();
    const other = await scene();
    const res = await addMessage(home.sender, home.bankId, other.customerId, V14_BODY);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(customerNotFound(other.customerId));
    expect((await customerMessages(other.reader, other.bankId, other.customerId)).body).toEqual({ messages: [] });
  });

  it('404 OBP-30001 for an unknown bank; 401 without a token, also for malformed JSON', async () => {
    const { customerId } = await scene();
    const missingBank = uniqueId('nobank');
    expect((await addMessage(uniqueId('user-'), missingBank, customerId, V14_BODY)).body).toEqual(bankNotFound(missingBank));
    const anonymous = await addMessage(undefined, missingBank, customerId, V14_BODY);
    expect(anonymous.status).toBe(401);
    expect((await call('POST', `/obp/v1.4.0/banks/${missingBank}/customer/${customerId}/messages`, { rawBody: '{' })).status).toBe(401);
  });

  it.each(['message', 'from_department', 'from_person'])('400 OBP-10001 naming %s when it is missing; nothing stored', async (field) => {
    const { bankId, customerId, sender, reader } = await scene();
    const { [field]: _, ...body } = V14_BODY as Record<string, string>;
    const res = await addMessage(sender, bankId, customerId, body);
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(res.body.message).toContain(field);
    expect((await customerMessages(reader, bankId, customerId)).body).toEqual({ messages: [] });
  });

  it.each([
    ['message', 1024],
    ['from_department', 64],
    ['from_person', 64],
  ])('%s: %i characters → 201, one more → 400 OBP-10001 naming the field', async (field, limit) => {
    const { bankId, customerId, sender, reader } = await scene();
    expect((await addMessage(sender, bankId, customerId, { ...V14_BODY, [field]: 'a'.repeat(limit) })).status).toBe(201);
    const over = await addMessage(sender, bankId, customerId, { ...V14_BODY, [field]: 'b'.repeat(limit + 1) });
    expect(over.status).toBe(400);
    expect(over.body.message).toContain(field);
    expect((await customerMessages(reader, bankId, customerId)).body.messages).toHaveLength(1);
  });

  it('ignores a transport in the body: v1.4.0 messages have transport ""', async () => {
    const { bankId, customerId, sender, reader } = await scene();
    expect((await addMessage(sender, bankId, customerId, { ...V14_BODY, transport: 'SMS' })).status).toBe(201);
    expect((await customerMessages(reader, bankId, customerId)).body.messages[0].transport).toBe('');
  });
});

describe('getCustomerMessages v4.0.0', () => {
  it('{"messages":[]} for a customer without messages, under v4.0.0, v5.0.0 and v5.1.0', async () => {
    const { bankId, customerId, reader } = await scene();
    for (const prefix of ['v4.0.0', 'v5.0.0', 'v5.1.0']) {
      const res = await customerMessages(reader, bankId, customerId, prefix);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ messages: [] });
    }
  });

  it('403 with the exact text without CanGetCustomerMessages at the bank', async () => {
    const { bankId, customerId, sender } = await scene();
    const elsewhere = await userWith(await newBank(), 'CanGetCustomerMessages');
    for (const as of [uniqueId('user-'), elsewhere, sender]) {
      const res = await customerMessages(as, bankId, customerId);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 403, message: `OBP-20006: User is missing one or more roles: CanGetCustomerMessages for BankId(${bankId}).` });
    }
  });

  it("404 OBP-30046 for an unknown customer and for another bank's customer; 404 bank; 401", async () => {
    const home = await scene();
    const other = await scene();
    expect((await createMessage(other.sender, other.bankId, other.customerId, V4_BODY)).status).toBe(201);
    const missing = crypto.randomUUID();
    expect((await customerMessages(home.reader, home.bankId, missing)).body).toEqual(customerNotFound(missing));
    const foreign = await customerMessages(home.reader, home.bankId, other.customerId);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(customerNotFound(other.customerId));
    const missingBank = uniqueId('nobank');
    expect((await customerMessages(home.reader, missingBank, home.customerId)).body).toEqual(bankNotFound(missingBank));
    expect((await customerMessages(undefined, home.bankId, home.customerId)).status).toBe(401);
  });

  it("lists only the customer's own messages", async () => {
    const bankId = await newBank();
    const a = await newCustomer(bankId);
    const b = await newCustomer(bankId);
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');
    const reader = await userWith(bankId, 'CanGetCustomerMessages');
    await createMessage(sender, bankId, a.customer_id, { ...V4_BODY, message: 'to a' });
    await createMessage(sender, bankId, b.customer_id, { ...V4_BODY, message: 'to b' });
    expect(messageTexts(await customerMessages(reader, bankId, a.customer_id))).toEqual(['to a']);
    expect(messageTexts(await customerMessages(reader, bankId, b.customer_id))).toEqual(['to b']);
  });
});

describe('getMyMessages v1.4.0', () => {
  it('{"messages":[]} for a user with no linked customer, under every prefix', async () => {
    const { bankId } = await scene();
    for (const prefix of ['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0']) {
      const res = await myMessages(uniqueId('lonely-'), bankId, prefix);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ messages: [] });
    }
  });

  it('lists, newest first, the messages of every customer linked to the caller at that bank, without transport', async () => {
    const bankId = await newBank();
    const me = uniqueId('me-');
    const mine1 = (await newCustomer(bankId)).customer_id;
    const mine2 = (await newCustomer(bankId)).customer_id;
    const notMine = (await newCustomer(bankId)).customer_id;
    await link(bankId, me, mine1);
    await link(bankId, me, mine2);
    await link(bankId, uniqueId('other-'), notMine);
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');

    const posts: Array<[string, 'v1.4.0' | 'v4.0.0', string]> = [
      [mine1, 'v4.0.0', 'one'],
      [notMine, 'v4.0.0', 'not for me'],
      [mine2, 'v1.4.0', 'two'],
      [mine1, 'v1.4.0', 'three'],
      [notMine, 'v1.4.0', 'not for me either'],
      [mine2, 'v4.0.0', 'four'],
    ];
    for (const [customerId, version, text] of posts) {
      const res =
        version === 'v4.0.0'
          ? await createMessage(sender, bankId, customerId, { ...V4_BODY, message: text })
          : await addMessage(sender, bankId, customerId, { ...V14_BODY, message: text });
      expect(res.status).toBe(201);
      await pause(5);
    }

    for (const prefix of ['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0']) {
      const res = await myMessages(me, bankId, prefix);
      expect(res.status).toBe(200);
      expect(messageTexts(res)).toEqual(['four', 'three', 'two', 'one']);
      for (const m of res.body.messages) {
        expect(Object.keys(m)).toEqual(MY_MESSAGE_FIELDS);
        expect(m.id).toMatch(UUID);
        expect(m.date).toMatch(OBP_DATE);
      }
      expect(res.body.messages[0]).toMatchObject({ from_department: 'Open Bank', from_person: 'Tom' });
      expect(res.body.messages[1]).toMatchObject({ from_department: 'Cards', from_person: 'Ann' });
    }
  });

  it('leaves out customers linked to the caller at another bank', async () => {
    const bankA = await newBank();
    const bankB = await newBank();
    const me = uniqueId('me-');
    const atA = (await newCustomer(bankA)).customer_id;
    const atB = (await newCustomer(bankB)).customer_id;
    await link(bankA, me, atA);
    await link(bankB, me, atB);
    expect((await createMessage(await userWith(bankA, 'CanCreateCustomerMessage'), bankA, atA, { ...V4_BODY, message: 'at A' })).status).toBe(201);
    expect((await createMessage(await userWith(bankB, 'CanCreateCustomerMessage'), bankB, atB, { ...V4_BODY, message: 'at B' })).status).toBe(201);
    expect(messageTexts(await myMessages(me, bankA))).toEqual(['at A']);
    expect(messageTexts(await myMessages(me, bankB, 'v5.0.0'))).toEqual(['at B']);
    expect((await myMessages(me, await newBank())).body).toEqual({ messages: [] });
  });

  it('404 OBP-30001 for an unknown bank; 401 without a token', async () => {
    const missingBank = uniqueId('nobank');
    const res = await myMessages(uniqueId('me-'), missingBank);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(bankNotFound(missingBank));
    expect((await myMessages(undefined, missingBank)).status).toBe(401);
  });
});

describe('one message store (docs/design.md difference 4)', () => {
  it('both posts are visible through both reads, in the same newest-first order', async () => {
    const { bankId, customerId, linkedUser, sender, reader } = await scene();
    const before = Date.now();
    const texts: string[] = [];
    for (let i = 0; i < 6; i++) {
      const text = `message ${i}`;
      const res =
        i % 2 === 0
          ? await createMessage(sender, bankId, customerId, { ...V4_BODY, message: text, transport: `T${i}` })
          : await addMessage(sender, bankId, customerId, { ...V14_BODY, message: text });
      expect(res.status).toBe(201);
      texts.push(text);
      await pause(5);
    }
    const after = Date.now();
    const newestFirst = [...texts].reverse();

    const forCustomer = await customerMessages(reader, bankId, customerId);
    expect(messageTexts(forCustomer)).toEqual(newestFirst);
    expect(forCustomer.body.messages.map((m: { transport: string }) => m.transport)).toEqual(['', 'T4', '', 'T2', '', 'T0']);

    const forMe = await myMessages(linkedUser, bankId);
    expect(messageTexts(forMe)).toEqual(newestFirst);
    // The same messages: same ids and dates, the v1.4.0 shape being the v4.0.0 one without transport.
    expect(forMe.body.messages).toEqual(forCustomer.body.messages.map(({ transport: _, ...rest }: Record<string, string>) => rest));

    const ids = forCustomer.body.messages.map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(6);
    for (const m of forCustomer.body.messages) {
      const t = Date.parse(m.date);
      expect(t).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(t).toBeLessThanOrEqual(after);
    }
  });

  it('1,000 concurrent posts to one customer (500 v1.4.0 + 500 v4.0.0): 1,000 × 201 and 1,000 distinct messages listed, page by page', async () => {
    const { bankId, customerId, linkedUser, sender, reader } = await scene();
    const senderAuth = { authorization: `Bearer ${await tokenFor(sender)}` };
    const posterAuth = { authorization: `Bearer ${await tokenFor(await userWith(bankId, 'CanCreateCustomerMessage'))}` };
    const total = 1000;
    const results = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        i % 2 === 0
          ? createMessage(senderAuth, bankId, customerId, { ...V4_BODY, message: `bulk ${i}` }, i % 4 === 0 ? 'v4.0.0' : 'v5.1.0')
          : addMessage(posterAuth, bankId, customerId, { ...V14_BODY, message: `bulk ${i}` }, i % 3 === 0 ? 'v1.4.0' : 'v5.0.0'),
      ),
    );
    const statuses = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(statuses).toEqual({ 201: total });
    for (const r of results) expect(r.body).toEqual(SUCCESS);

    // Lists are paged (at most 50 items by default): follow the Link headers to the end.
    const expectedTexts = Array.from({ length: total }, (_, i) => `bulk ${i}`).sort();
    const forCustomer = await walkPages(`/obp/v4.0.0/banks/${bankId}/customers/${customerId}/messages`, 'messages', reader, { limit: 50 });
    expect(forCustomer.pages).toHaveLength(total / 50);
    expect(forCustomer.items).toHaveLength(total);
    expect(new Set(forCustomer.items.map((m: { id: string }) => m.id)).size).toBe(total);
    expect(forCustomer.items.map((m: { message: string }) => m.message).sort()).toEqual(expectedTexts);
    const dates = forCustomer.items.map((m: { date: string }) => Date.parse(m.date));
    for (let i = 1; i < dates.length; i++) expect(dates[i]).toBeLessThanOrEqual(dates[i - 1]);

    const forMe = await walkPages(`/obp/v1.4.0/banks/${bankId}/customer/messages`, 'messages', linkedUser, { limit: 50 });
    expect(forMe.items).toHaveLength(total);
    expect(new Set(forMe.items.map((m: { id: string }) => m.id))).toEqual(new Set(forCustomer.items.map((m: { id: string }) => m.id)));
  });
});
