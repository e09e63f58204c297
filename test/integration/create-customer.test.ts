// createCustomer (OBP v5.0.0), docs/design.md ("Operations", "Request bodies", "Deliberate differences from OBP") and OBP's createCustomer, against the real handler and DynamoDB Local.
import { call } from '../support/api';
import { storedAtBank } from '../support/storage';
import { tokenFor } from '../support/tokens';
import { MINIMAL_CUSTOMER, newBank, SUPER_ADMIN, uniqueId, userWith } from '../support/fixtures';
import { CUSTOMER_FIELDS, FULL_EXAMPLE } from '../support/customer-shape';

jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OBP_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const INVALID_JSON = 'OBP-10001: Incorrect json format.';
const DUPLICATE_NUMBER =
  'OBP-30006: Customer Number already exists. Please specify a different value for BANK_ID or CUSTOMER_NUMBER.';
const CUSTOMER_NOT_FOUND_BY_NUMBER = 'OBP-30002: Customer not found. Please specify a valid value for CUSTOMER_NUMBER.';



const customersPath = (bankId: string, prefix = 'v5.0.0') => `/obp/${prefix}/banks/${bankId}/customers`;

/** A bank and a user holding CanCreateCustomer there. */
const bankAndCreator = async (): Promise<{ bankId: string; user: string }> => {
  const bankId = await newBank();
  return { bankId, user: await userWith(bankId, 'CanCreateCustomer') };
};

const create = (bankId: string, user: string, body: unknown) => call('POST', customersPath(bankId), { as: user, body });

const getByNumber = async (bankId: string, customerNumber: unknown) =>
  call('POST', `/obp/v5.0.0/banks/${bankId}/customers/customer-number`, {
    as: await userWith(bankId, 'CanGetCustomer'),
    body: { customer_number: customerNumber },
  });

/** Sets `path` (dot-separated) in a deep copy of `body`. */
const withField = (body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> => {
  const copy = structuredClone(body);
  const parts = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  target[parts[parts.length - 1] as string] = value;
  return copy;
};

const fieldAt = (body: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown>)[part], body);

describe('createCustomer v5.0.0: success', () => {
  it('answers a minimal body with exactly the OBP defaults, every field present in OBP order', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, MINIMAL_CUSTOMER);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(Object.keys(res.body)).toEqual(CUSTOMER_FIELDS);
    const { customer_id, customer_number, ...rest } = res.body;
    expect(customer_id).toMatch(UUID);
    expect(customer_number).toMatch(/^(0|[1-9]\d*)$/);
    expect(Number(customer_number)).toBeGreaterThanOrEqual(0);
    expect(Number(customer_number)).toBeLessThanOrEqual(2_147_483_646);
    expect(rest).toEqual({
      bank_id: bankId,
      legal_name: 'Legal Name',
      mobile_phone_number: '+44 07972 444 876',
      email: '',
      face_image: { url: '', date: null },
      date_of_birth: null,
      relationship_status: '',
      dependants: 0,
      dob_of_dependants: [],
      credit_rating: { rating: '', source: '' },
      credit_limit: { currency: '', amount: '' },
      highest_education_attained: '',
      employment_status: '',
      kyc_status: false,
      last_ok_date: null,
      title: '',
      branch_id: '',
      name_suffix: '',
    });
  });

  it('answers under the /obp/v5.1.0 alias too', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await call('POST', customersPath(bankId, 'v5.1.0'), { as: user, body: { ...MINIMAL_CUSTOMER, customer_number: 'alias-1' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ bank_id: bankId, customer_number: 'alias-1', legal_name: 'Legal Name' });
    expect((await getByNumber(bankId, 'alias-1')).body.customer_id).toBe(res.body.customer_id);
  });

  it('round-trips the full API Explorer example body', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, FULL_EXAMPLE);
    expect(res.status).toBe(201);
    expect(res.body.customer_id).toMatch(UUID);
    expect(res.body).toEqual({ bank_id: bankId, customer_id: res.body.customer_id, ...FULL_EXAMPLE });
    expect(Object.keys(res.body)).toEqual(CUSTOMER_FIELDS);
  });

  it('reads the customer back by id and by number: the create response plus customer_attributes []', async () => {
    const { bankId, user } = await bankAndCreator();
    const created = await create(bankId, user, { ...FULL_EXAMPLE, customer_number: 'read-back-1' });
    expect(created.status).toBe(201);
    const reader = await userWith(bankId, 'CanGetCustomer');
    const expected = { ...created.body, customer_attributes: [] };

    const byId = await call('GET', `/obp/v5.0.0/banks/${bankId}/customers/${created.body.customer_id}`, { as: reader });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(expected);
    expect(Object.keys(byId.body)).toEqual([...CUSTOMER_FIELDS, 'customer_attributes']);

    const byNumber = await call('POST', `/obp/v5.0.0/banks/${bankId}/customers/customer-number`, {
      as: reader,
      body: { customer_number: 'read-back-1' },
    });
    expect(byNumber.status).toBe(200);
    expect(byNumber.body).toEqual(expected);
  });

  it('reads a minimal-body customer back with the same defaults', async () => {
    const { bankId, user } = await bankAndCreator();
    const created = await create(bankId, user, MINIMAL_CUSTOMER);
    const reader = await userWith(bankId, 'CanGetCustomer');
    const byId = await call('GET', `/obp/v4.0.0/banks/${bankId}/customers/${created.body.customer_id}`, { as: reader });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({ ...created.body, customer_attributes: [] });
    const byNumber = await getByNumber(bankId, created.body.customer_number);
    expect(byNumber.body).toEqual({ ...created.body, customer_attributes: [] });
  });

  it('lower-cases and trims the email, in the response and in storage', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: 'mail-1', email: '  Felix.Smith@Example.COM \t' });
    expect(res.status).toBe(201);
    expect(res.body.email).toBe('felix.smith@example.com');
    expect((await getByNumber(bankId, 'mail-1')).body.email).toBe('felix.smith@example.com');
  });

  it('stores a customer_number sent as a JSON number as its decimal text', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: 5987953 });
    expect(res.status).toBe(201);
    expect(res.body.customer_number).toBe('5987953');
    const found = await getByNumber(bankId, '5987953');
    expect(found.status).toBe(200);
    expect(found.body.customer_id).toBe(res.body.customer_id);
    // The lookup body gets the same coercion.
    expect((await getByNumber(bankId, 5987953)).body.customer_id).toBe(res.body.customer_id);
  });

  it('also stores other string fields sent as whole JSON numbers as text (no other coercion)', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { legal_name: 'Numbers', mobile_phone_number: 4930901820, credit_limit: { currency: 'EUR', amount: 1500 } });
    expect(res.status).toBe(201);
    expect(res.body.mobile_phone_number).toBe('4930901820');
    expect(res.body.credit_limit).toEqual({ currency: 'EUR', amount: '1500' });
  });

  it.each([
    ['a fraction', '1500.5', 'credit_limit.amount'],
    ['an exponent', '1e3', 'credit_limit.amount'],
    ['a whole number written with a fraction', '5.0', 'customer_number'],
    ['a number JSON parsing would round (12345678901234567891)', '12345678901234567891', 'customer_number'],
    ['2^53, just past the safe integers', '9007199254740992', 'mobile_phone_number'],
    ['1e400', '1e400', 'legal_name'],
  ])('refuses %s in a text field, naming the field, and stores nothing', async (_label, literal, field) => {
    const { bankId, user } = await bankAndCreator();
    const [outer, inner] = field.split('.') as [string, string | undefined];
    const others = { legal_name: '"L"', mobile_phone_number: '"+44"', customer_number: '"9"' } as Record<string, string>;
    delete others[outer];
    const value = inner ? `{"currency": "EUR", "${inner}": ${literal}}` : literal;
    const text = `{${Object.entries(others).map(([k, v]) => `"${k}": ${v}`).join(', ')}, "${outer}": ${value}}`;
    const res = await call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: user, rawBody: text });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      `OBP-10001: Incorrect json format. The Json body should be the PostCustomerJsonV500: ${field} must be text, or a whole number between -(2^53 - 1) and 2^53 - 1 written without a fraction or exponent.`,
    );
    expect(await storedAtBank(bankId)).toEqual({ customers: 0, guards: 0 });
  });

  it('generates distinct customer numbers when none is given', async () => {
    const { bankId, user } = await bankAndCreator();
    const numbers = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const res = await create(bankId, user, MINIMAL_CUSTOMER);
      expect(res.status).toBe(201);
      expect(res.body.customer_number).toMatch(/^(0|[1-9]\d*)$/);
      numbers.add(res.body.customer_number);
    }
    expect(numbers.size).toBe(10);
    expect(await storedAtBank(bankId)).toEqual({ customers: 10, guards: 10 });
  });

  it('treats null optional fields as absent (defaults apply)', async () => {
    const { bankId, user } = await bankAndCreator();
    // Every optional field of the body (the response's fields minus ids, required fields and bank_id) set to null.
    const optional = CUSTOMER_FIELDS.filter((f) => !['bank_id', 'customer_id', 'legal_name', 'mobile_phone_number'].includes(f));
    const nulls = Object.fromEntries(optional.map((f) => [f, null]));
    const withNulls = await create(bankId, user, { ...MINIMAL_CUSTOMER, ...nulls });
    const minimal = await create(bankId, user, MINIMAL_CUSTOMER);
    expect(withNulls.status).toBe(201);
    expect(withNulls.body.customer_number).toMatch(/^(0|[1-9]\d*)$/);
    const strip = ({ customer_id: _i, customer_number: _n, ...rest }: Record<string, unknown>) => rest;
    expect(strip(withNulls.body)).toEqual(strip(minimal.body));
  });

  it('accepts a null face_image.date inside a present face_image', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, face_image: { url: 'https://img.example/1.png', date: null } });
    expect(res.status).toBe(201);
    expect(res.body.face_image).toEqual({ url: 'https://img.example/1.png', date: null });
  });

  it('ignores unknown fields, at the top level and nested', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, {
      ...MINIMAL_CUSTOMER,
      customer_number: 'unknown-fields',
      favourite_colour: 'blue',
      user_id: 'someone',
      face_image: { url: 'u', date: '2020-01-01T00:00:00Z', width: 10 },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(CUSTOMER_FIELDS);
    expect(res.body.face_image).toEqual({ url: 'u', date: '2020-01-01T00:00:00Z' });
    const read = await getByNumber(bankId, 'unknown-fields');
    expect(read.body).not.toHaveProperty('favourite_colour');
  });

  it('accepts a customer_number with three colons (only four are refused)', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: 'a:::b' });
    expect(res.status).toBe(201);
    expect(res.body.customer_number).toBe('a:::b');
  });
});

describe('createCustomer v5.0.0: dates (docs/design.md, "Dates")', () => {
  const cases: Array<[string, string]> = [
    ['2013-01-21T23:08:00Z', '2013-01-21T23:08:00Z'],
    ['2023-11-14T18:28:59.077Z', '2023-11-14T18:28:59Z'],
    ['2023-11-14T18:28:59.999999Z', '2023-11-14T18:28:59Z'],
    ['2013-01-21T23:08:00+01:00', '2013-01-21T22:08:00Z'],
    ['2013-01-21T23:08:00-02:30', '2013-01-22T01:38:00Z'],
    ['2023-11-14T00:10:00.5+05:30', '2023-11-13T18:40:00Z'],
    ['2018-03-09', '2018-03-09T00:00:00Z'],
    ['2012-02-29', '2012-02-29T00:00:00Z'],
    ['2013-01-21t23:08:00z', '2013-01-21T23:08:00Z'],
  ];

  it.each(cases)('renders %s as %s in every date field', async (sent, rendered) => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, {
      ...MINIMAL_CUSTOMER,
      face_image: { url: 'x', date: sent },
      date_of_birth: sent,
      dependants: 2,
      dob_of_dependants: [sent, '2000-01-01'],
      last_ok_date: sent,
    });
    expect(res.status).toBe(201);
    expect(res.body.face_image.date).toBe(rendered);
    expect(res.body.date_of_birth).toBe(rendered);
    expect(res.body.dob_of_dependants).toEqual([rendered, '2000-01-01T00:00:00Z']);
    expect(res.body.last_ok_date).toBe(rendered);
    for (const d of [res.body.face_image.date, res.body.date_of_birth, res.body.last_ok_date]) expect(d).toMatch(OBP_DATE);
    // Stored as rendered: the read gives the same text.
    const read = await getByNumber(bankId, res.body.customer_number);
    expect(read.body.date_of_birth).toBe(rendered);
  });

  const impossible = [
    '2013-02-30',
    '2013-02-29',
    '2013-02-30T00:00:00Z',
    '2013-13-01T00:00:00Z',
    '2013-01-32',
    '2013-01-21T24:00:01Z',
    '2013-01-21T23:61:00Z',
    '2013-01-21T23:08:00',
    '21/01/2013',
    'yesterday',
    '',
  ];
  const dateFields: Array<[string, (d: unknown) => Record<string, unknown>]> = [
    ['date_of_birth', (d) => ({ date_of_birth: d })],
    ['last_ok_date', (d) => ({ last_ok_date: d })],
    ['face_image.date', (d) => ({ face_image: { url: 'x', date: d } })],
    ['dob_of_dependants', (d) => ({ dependants: 1, dob_of_dependants: [d] })],
  ];

  it.each(dateFields)('refuses impossible or malformed dates in %s with 400 OBP-10001 and stores nothing', async (field, bodyFor) => {
    const { bankId, user } = await bankAndCreator();
    for (const bad of impossible) {
      const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, ...bodyFor(bad) });
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      expect(res.body.code).toBe(400);
      expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
      expect(res.body.message).toContain(field);
    }
    expect(await storedAtBank(bankId)).toEqual({ customers: 0, guards: 0 });
  });

  it('refuses a date sent as a JSON number (epoch) with 400', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, date_of_birth: 1358809680000 });
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
  });
});

describe('createCustomer v5.0.0: body rules', () => {
  it.each([
    [2, ['2000-01-01'], 'OBP-10020: Incorrect json. The field dependants(2) not equal the length(1) of dob_of_dependants array'],
    [1, undefined, 'OBP-10020: Incorrect json. The field dependants(1) not equal the length(0) of dob_of_dependants array'],
    [undefined, ['2000-01-01', '2001-01-01'], 'OBP-10020: Incorrect json. The field dependants(0) not equal the length(2) of dob_of_dependants array'],
    [0, ['2000-01-01T00:00:00Z'], 'OBP-10020: Incorrect json. The field dependants(0) not equal the length(1) of dob_of_dependants array'],
  ])('dependants %p with dob_of_dependants %p → 400 with the exact OBP-10020 text', async (dependants, dobs, message) => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: 'deps', dependants, dob_of_dependants: dobs });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message });
    expect((await getByNumber(bankId, 'deps')).status).toBe(404);
    expect(await storedAtBank(bankId)).toEqual({ customers: 0, guards: 0 });
  });

  it.each(['a::::b', '::::', '12::::::'])('refuses customer_number %p (contains ::::) with the exact text', async (number) => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: number });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message: 'OBP-10001: Incorrect json format. customer_number can not contain `::::` characters' });
    expect(await storedAtBank(bankId)).toEqual({ customers: 0, guards: 0 });
  });

  // docs/design.md difference 5 (OBP's column sizes) and OBP's id syntax check; branch_id is bounded by the OBP id syntax (36).
  const limits: Array<[string, number]> = [
    ['customer_number', 50],
    ['legal_name', 255],
    ['mobile_phone_number', 50],
    ['email', 200],
    ['face_image.url', 2000],
    ['relationship_status', 16],
    ['highest_education_attained', 32],
    ['employment_status', 32],
    ['credit_rating.rating', 100],
    ['credit_rating.source', 100],
    ['credit_limit.currency', 100],
    ['credit_limit.amount', 100],
    ['title', 255],
    ['branch_id', 36],
    ['name_suffix', 255],
  ];

  it.each(limits)('%s: %i characters → 201, one more → 400 OBP-10001 naming the field', async (field, limit) => {
    const { bankId, user } = await bankAndCreator();
    const atLimit = withField({ ...FULL_EXAMPLE }, field, 'a'.repeat(limit));
    const ok = await create(bankId, user, atLimit);
    expect(ok.status).toBe(201);
    expect(fieldAt(ok.body, field)).toBe('a'.repeat(limit));

    const over = withField({ ...FULL_EXAMPLE, customer_number: 'over-limit' }, field, 'b'.repeat(limit + 1));
    const res = await create(bankId, user, over);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(res.body.message).toContain(field);
    expect(await storedAtBank(bankId)).toEqual({ customers: 1, guards: 1 });
  });

  it.each([
    ['kyc_status', 'true'],
    ['kyc_status', 1],
    ['dependants', '1'],
    ['dependants', 1.5],
    ['dependants', true],
    ['legal_name', true],
    ['legal_name', { text: 'x' }],
    ['email', ['a@b.c']],
    ['dob_of_dependants', '2000-01-01'],
    ['face_image', 'https://img.example/x.png'],
    ['credit_limit', 100],
  ])('refuses %s = %p (wrong type) with 400 OBP-10001 naming the field', async (field, value) => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, [field]: value });
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(res.body.message).toContain(field);
    expect(await storedAtBank(bankId)).toEqual({ customers: 0, guards: 0 });
  });

  it.each([
    ['legal_name', { mobile_phone_number: '+44 1' }],
    ['mobile_phone_number', { legal_name: 'No Phone' }],
    ['face_image.date', { ...MINIMAL_CUSTOMER, face_image: { url: 'x' } }],
    ['face_image.url', { ...MINIMAL_CUSTOMER, face_image: { date: '2020-01-01' } }],
    ['credit_rating.source', { ...MINIMAL_CUSTOMER, credit_rating: { rating: 'A' } }],
    ['credit_limit.currency', { ...MINIMAL_CUSTOMER, credit_limit: { amount: '1' } }],
  ])('refuses a body without %s with 400 OBP-10001 naming it', async (field, body) => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, body);
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(res.body.message).toContain(field);
  });

  it.each([[[]], ['a text'], [42], [null]])('refuses a body that is not a JSON object (%p) with 400', async (body) => {
    const { bankId, user } = await bankAndCreator();
    const res = await call('POST', customersPath(bankId), { as: user, rawBody: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
  });

  it.each(['DERBY 6', 'a/b', 'x#y', 'ünïcode', "o'brien"])('refuses branch_id %p (bad characters) with 400 OBP-10001', async (branchId) => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, branch_id: branchId });
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(res.body.message).toContain('branch_id');
    expect(await storedAtBank(bankId)).toEqual({ customers: 0, guards: 0 });
  });

  it('accepts branch_id with letters, digits, -, . and _', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, branch_id: 'Derby-6.branch_01' });
    expect(res.status).toBe(201);
    expect(res.body.branch_id).toBe('Derby-6.branch_01');
  });
});

describe('createCustomer v5.0.0: customer number uniqueness (docs/design.md, "Uniqueness")', () => {
  it('refuses a duplicate number at the same bank with 400 and the exact OBP-30006 text, keeping the first customer', async () => {
    const { bankId, user } = await bankAndCreator();
    const first = await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: 'dup-1', legal_name: 'First' });
    expect(first.status).toBe(201);
    const second = await create(bankId, user, { ...FULL_EXAMPLE, customer_number: 'dup-1', legal_name: 'Second' });
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ code: 400, message: DUPLICATE_NUMBER });

    const read = await getByNumber(bankId, 'dup-1');
    expect(read.body.legal_name).toBe('First');
    expect(read.body.customer_id).toBe(first.body.customer_id);
    expect(await storedAtBank(bankId)).toEqual({ customers: 1, guards: 1 });
  });

  it('collides on the decimal text: 77 then "77"', async () => {
    const { bankId, user } = await bankAndCreator();
    expect((await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: 77 })).status).toBe(201);
    const res = await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: '77' });
    expect(res.body).toEqual({ code: 400, message: DUPLICATE_NUMBER });
  });

  it('accepts the same number at another bank', async () => {
    const a = await bankAndCreator();
    const b = await bankAndCreator();
    expect((await create(a.bankId, a.user, { ...MINIMAL_CUSTOMER, customer_number: 'shared-7' })).status).toBe(201);
    const res = await create(b.bankId, b.user, { ...MINIMAL_CUSTOMER, customer_number: 'shared-7' });
    expect(res.status).toBe(201);
    expect(res.body.bank_id).toBe(b.bankId);
    expect(await storedAtBank(a.bankId)).toEqual({ customers: 1, guards: 1 });
    expect(await storedAtBank(b.bankId)).toEqual({ customers: 1, guards: 1 });
  });

  it('treats numbers as case-sensitive text; edge white space is refused, not a different number', async () => {
    const { bankId, user } = await bankAndCreator();
    for (const n of ['AbC', 'abc']) {
      expect((await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: n })).status).toBe(201);
    }
    const spaced = await create(bankId, user, { ...MINIMAL_CUSTOMER, customer_number: ' abc' });
    expect(spaced.status).toBe(400);
    expect(spaced.body.message.startsWith(INVALID_JSON)).toBe(true);
    expect(spaced.body.message).toContain('customer_number');
    expect(await storedAtBank(bankId)).toEqual({ customers: 2, guards: 2 });
  });
});

describe('createCustomer v5.0.0: check order 401 → 404 → 403 → 400 (docs/design.md, "Check order")', () => {
  it('401 without a token, with the OBP-20001 text and a Bearer challenge', async () => {
    const bankId = await newBank();
    const res = await call('POST', customersPath(bankId), { body: MINIMAL_CUSTOMER });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 401, message: 'OBP-20001: User not logged in. Authentication is required!' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('401 for malformed JSON from an anonymous caller, even at an unknown bank', async () => {
    const bankId = await newBank();
    for (const path of [customersPath(bankId), customersPath(uniqueId('nobank'))]) {
      const res = await call('POST', path, { rawBody: '{"legal_name": "x",' });
      expect(res.status).toBe(401);
      expect(res.body.message.startsWith('OBP-20001: User not logged in. Authentication is required!')).toBe(true);
    }
  });

  it('401 for a garbage, expired or foreign-audience token', async () => {
    const bankId = await newBank();
    const user = await userWith(bankId, 'CanCreateCustomer');
    const tokens = [
      'Bearer not-a-jwt',
      `Bearer ${await tokenFor(user, { expiresIn: -120 })}`,
      `Bearer ${await tokenFor(user, { audience: 'someone-else' })}`,
      `Bearer ${await tokenFor(user, { issuer: 'https://evil.example' })}`,
    ];
    for (const authorization of tokens) {
      const res = await call('POST', customersPath(bankId), { as: { authorization }, body: MINIMAL_CUSTOMER });
      expect(res.status).toBe(401);
      expect(res.body.message.startsWith('OBP-20001: User not logged in. Authentication is required!')).toBe(true);
    }
    expect(await storedAtBank(bankId)).toEqual({ customers: 0, guards: 0 });
  });

  it('404 OBP-30001 with the "Current BankId is <id>" suffix for an unknown bank, before roles and body', async () => {
    const missing = uniqueId('nobank');
    const noRole = uniqueId('user-');
    const anyBank = await userWith('', 'CanCreateCustomerAtAnyBank');
    const expected = { code: 404, message: `OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${missing}` };
    for (const options of [
      { as: noRole, body: MINIMAL_CUSTOMER },
      { as: noRole, rawBody: '{not json' },
      { as: anyBank, body: MINIMAL_CUSTOMER },
      { as: anyBank, body: { legal_name: 7 } },
    ]) {
      const res = await call('POST', customersPath(missing), options);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(expected);
    }
  });

  it('403 before any body check: malformed JSON or an invalid body from a caller without the role', async () => {
    const bankId = await newBank();
    const user = uniqueId('user-');
    const expected = {
      code: 403,
      message: `OBP-20006: User is missing one or more roles: CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(${bankId}).`,
    };
    for (const options of [{ rawBody: '{"legal_name":' }, { body: { branch_id: 'bad branch' } }, { body: { ...MINIMAL_CUSTOMER, dependants: 3 } }]) {
      const res = await call('POST', customersPath(bankId), { as: user, ...options });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(expected);
    }
  });

  it('400 OBP-10001 for malformed JSON from a caller with the role', async () => {
    const { bankId, user } = await bankAndCreator();
    const res = await call('POST', customersPath(bankId), { as: user, rawBody: '{"legal_name": "x",' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(400);
    expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
  });
});

describe('createCustomer v5.0.0: role matrix', () => {
  it('no role → 403 with the exact text naming both roles and the bank', async () => {
    const bankId = await newBank();
    const res = await create(bankId, uniqueId('user-'), MINIMAL_CUSTOMER);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      code: 403,
      message: `OBP-20006: User is missing one or more roles: CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(${bankId}).`,
    });
  });

  it('CanCreateCustomer at another bank → 403', async () => {
    const bankId = await newBank();
    const other = await newBank();
    const user = await userWith(other, 'CanCreateCustomer');
    const res = await create(bankId, user, MINIMAL_CUSTOMER);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      `OBP-20006: User is missing one or more roles: CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(${bankId}).`,
    );
  });

  it('other roles at the bank do not help → 403', async () => {
    const bankId = await newBank();
    const user = await userWith(bankId, 'CanGetCustomer', 'CanCreateCustomerMessage', 'CanCreateEntitlementAtOneBank');
    expect((await create(bankId, user, MINIMAL_CUSTOMER)).status).toBe(403);
  });

  it('CanCreateCustomer at the bank → 201', async () => {
    const { bankId, user } = await bankAndCreator();
    expect((await create(bankId, user, MINIMAL_CUSTOMER)).status).toBe(201);
  });

  it('CanCreateCustomerAtAnyBank → 201 at any bank', async () => {
    const a = await newBank();
    const b = await newBank();
    const user = await userWith('', 'CanCreateCustomerAtAnyBank');
    for (const bankId of [a, b]) {
      const res = await create(bankId, user, MINIMAL_CUSTOMER);
      expect(res.status).toBe(201);
      expect(res.body.bank_id).toBe(bankId);
    }
  });

  it('the super admin gets no bypass → 403', async () => {
    const bankId = await newBank();
    const res = await create(bankId, SUPER_ADMIN, MINIMAL_CUSTOMER);
    expect(res.status).toBe(403);
  });
});

describe('createCustomer v5.0.0: a rejected request stores nothing', () => {
  it('401, 403 and 400 leave no customer and no number guard', async () => {
    const bankId = await newBank();
    const body = { ...MINIMAL_CUSTOMER, customer_number: 'never-stored' };
    const creator = await userWith(bankId, 'CanCreateCustomer');
    const attempts = [
      await call('POST', customersPath(bankId), { body }),
      await create(bankId, uniqueId('user-'), body),
      await create(bankId, creator, { ...body, dependants: 1 }),
      await create(bankId, creator, { ...body, relationship_status: 'x'.repeat(17) }),
      await create(bankId, creator, { ...body, date_of_birth: '2013-02-30' }),
    ];
    expect(attempts.map((r) => r.status)).toEqual([401, 403, 400, 400, 400]);
    const found = await getByNumber(bankId, 'never-stored');
    expect(found.status).toBe(404);
    expect(found.body).toEqual({ code: 404, message: CUSTOMER_NOT_FOUND_BY_NUMBER });
    expect(await storedAtBank(bankId)).toEqual({ customers: 0, guards: 0 });
  });
});
