// The eight customer updates of OBP v3.1.0 (docs/design.md, "Operations" and "Uniqueness"), against the real handlers and
// DynamoDB Local: check order and exact errors, the answer is the customer getCustomerById then returns, only the
// operation's own fields change, who changed the record and when, customer numbers unique and in NFKC form.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey } from '../../functions/data/keys';
import { documentClient, tableName } from '../../functions/data/table-client';
import { call } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';
import { guardsAtBank, storedAtBank } from '../support/storage';
import { CUSTOMER_FIELDS, FULL_EXAMPLE } from '../support/customer-shape';

jest.setTimeout(180_000);

const PREFIXES = ['v4.0.0', 'v5.0.0', 'v5.1.0'] as const;
type Prefix = (typeof PREFIXES)[number];

const NOT_LOGGED_IN = { code: 401, message: 'OBP-20001: User not logged in. Authentication is required!' };
const INVALID_JSON = 'OBP-10001: Incorrect json format.';
const DUPLICATE_NUMBER = 'OBP-30006: Customer Number already exists. Please specify a different value for BANK_ID or CUSTOMER_NUMBER.';
const NOT_FOUND_BY_NUMBER = { code: 404, message: 'OBP-30002: Customer not found. Please specify a valid value for CUSTOMER_NUMBER.' };
const bankNotFound = (bankId: string) => ({ code: 404, message: `OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${bankId}` });
const customerNotFound = (customerId: string) => ({
  code: 404,
  message: `OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.. Current CustomerId(${customerId})`,
});
const duplicateOnUpdate = (number: string, bankId: string) => ({
  code: 400,
  message: `${DUPLICATE_NUMBER} Current customer_number(${number}) and Current bank_id(${bankId})`,
});

/** Every field set, to values no update below uses, so any change is visible. */
// The example with other dates and kyc_status true, and no number (the tests that need one set it).
const { customer_number: _number, ...EXAMPLE_WITHOUT_NUMBER } = FULL_EXAMPLE;
const FULL_CUSTOMER = {
  ...EXAMPLE_WITHOUT_NUMBER,
  face_image: { url: 'www.openbankproject', date: '2001-01-01T00:00:00Z' },
  date_of_birth: '1970-01-02T00:00:00Z',
  dob_of_dependants: ['2010-01-01T00:00:00Z'],
  kyc_status: true,
};

type Body = Record<string, unknown>;

interface UpdateSpec {
  name: string;
  suffix: string;
  role: string;
  /** OBP's name of the body class, which the 400 names. */
  bodyClass: string;
  /** A valid body. */
  body: () => Body;
  /** The CustomerJsonV310 fields the body sets, as the answer renders them. */
  changed: (body: Body) => Body;
  /** A required field (its absence is a 400 naming it). */
  required: string;
}

const UPDATES: UpdateSpec[] = [
  {
    name: 'updateCustomerNumber',
    suffix: 'number',
    role: 'CanUpdateCustomerNumber',
    bodyClass: 'PutUpdateCustomerNumberJsonV310',
    body: () => ({ customer_number: uniqueId('renumbered-') }),
    changed: (b) => ({ customer_number: b.customer_number }),
    required: 'customer_number',
  },
  {
    name: 'updateCustomerEmail',
    suffix: 'email',
    role: 'CanUpdateCustomerEmail',
    bodyClass: 'PutUpdateCustomerEmailJsonV310',
    body: () => ({ email: '  Marko.Tesobe@Example.COM\t' }),
    // OBP trims and lower-cases an e-mail address when it is set.
    changed: () => ({ email: 'marko.tesobe@example.com' }),
    required: 'email',
  },
  {
    name: 'updateCustomerMobileNumber',
    suffix: 'mobile-number',
    role: 'CanUpdateCustomerMobilePhoneNumber',
    bodyClass: 'PutUpdateCustomerMobilePhoneNumberJsonV310',
    body: () => ({ mobile_phone_number: '+381631954907' }),
    changed: (b) => b,
    required: 'mobile_phone_number',
  },
  {
    name: 'updateCustomerIdentity',
    suffix: 'identity',
    role: 'CanUpdateCustomerIdentity',
    bodyClass: 'PutUpdateCustomerIdentityJsonV310',
    body: () => ({ legal_name: 'Marko Tesobe', date_of_birth: '1985-03-09', title: 'Mr.', name_suffix: 'Jr' }),
    changed: () => ({ legal_name: 'Marko Tesobe', date_of_birth: '1985-03-09T00:00:00Z', title: 'Mr.', name_suffix: 'Jr' }),
    required: 'legal_name',
  },
  {
    name: 'updateCustomerCreditLimit',
    suffix: 'credit-limit',
    role: 'CanUpdateCustomerCreditLimit',
    bodyClass: 'PutUpdateCustomerCreditLimitJsonV310',
    body: () => ({ credit_limit: { currency: 'GBP', amount: '1000' } }),
    changed: (b) => b,
    required: 'credit_limit',
  },
  {
    name: 'updateCustomerCreditRatingAndSource',
    suffix: 'credit-rating-and-source',
    role: 'CanUpdateCustomerCreditRatingAndSource',
    bodyClass: 'PutUpdateCustomerCreditRatingAndSourceJsonV310',
    body: () => ({ credit_rating: 'Good', credit_source: 'Bank' }),
    // The request is flat, the answer nests the two.
    changed: () => ({ credit_rating: { rating: 'Good', source: 'Bank' } }),
    required: 'credit_source',
  },
  {
    name: 'updateCustomerBranch',
    suffix: 'branch',
    role: 'CanUpdateCustomerBranch',
    bodyClass: 'PutUpdateCustomerBranchJsonV310',
    body: () => ({ branch_id: 'BELGRADE1' }),
    changed: (b) => b,
    required: 'branch_id',
  },
  {
    name: 'updateCustomerData',
    suffix: 'data',
    role: 'CanUpdateCustomerData',
    bodyClass: 'PutUpdateCustomerDataJsonV310',
    body: () => ({
      face_image: { url: 'www.example.com/face.png', date: '2017-09-19T10:11:12+02:00' },
      relationship_status: 'married',
      dependants: 1,
      highest_education_attained: 'Bachelor',
      employment_status: 'employed',
    }),
    // dependants is set too, but must equal the stored number of dob_of_dependants (1), so it cannot change here.
    changed: () => ({
      face_image: { url: 'www.example.com/face.png', date: '2017-09-19T08:11:12Z' },
      relationship_status: 'married',
      highest_education_attained: 'Bachelor',
      employment_status: 'employed',
    }),
    required: 'employment_status',
  },
];

const spec = (name: string): UpdateSpec => UPDATES.find((u) => u.name === name) as UpdateSpec;

type As = string | { authorization: string } | undefined;

const update = (s: UpdateSpec, as: As, bankId: string, customerId: string, body: unknown, prefix: Prefix = 'v5.1.0') =>
  call('PUT', `/obp/${prefix}/banks/${bankId}/customers/${customerId}/${s.suffix}`, { as, body });
const updateRaw = (s: UpdateSpec, as: As, bankId: string, customerId: string, rawBody: string) =>
  call('PUT', `/obp/v5.0.0/banks/${bankId}/customers/${customerId}/${s.suffix}`, { as, rawBody });
const getById = (as: string, bankId: string, customerId: string, prefix: Prefix = 'v5.1.0') =>
  call('GET', `/obp/${prefix}/banks/${bankId}/customers/${customerId}`, { as });
const getByNumber = (as: string, bankId: string, customerNumber: unknown) =>
  call('POST', `/obp/v5.0.0/banks/${bankId}/customers/customer-number`, { as, body: { customer_number: customerNumber } });
const create = (as: string, bankId: string, body: unknown) => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as, body });

/** The customer item as stored (with who created and last changed it). */
const storedCustomer = async (customerId: string): Promise<Record<string, any> | undefined> =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: customerKey(customerId), ConsistentRead: true }))).Item;

/** A bank with a fully filled customer, a reader (CanGetCustomer) and a creator (CanCreateCustomer). */
const scene = async () => {
  const bankId = await newBank();
  const customer = await newCustomer(bankId, { ...FULL_CUSTOMER, customer_number: uniqueId('n-') });
  const reader = await userWith(bankId, 'CanGetCustomer');
  const creator = await userWith(bankId, 'CanCreateCustomer');
  return { bankId, customerId: customer.customer_id as string, customer, reader, creator };
};

/** getCustomerById's answer without customer_attributes, i.e. as CustomerJsonV310. */
const currentCustomer = async (reader: string, bankId: string, customerId: string): Promise<Body> => {
  const res = await getById(reader, bankId, customerId);
  expect(res.status).toBe(200);
  const { customer_attributes, ...customer } = res.body;
  expect(customer_attributes).toEqual([]);
  return customer;
};

const CASES = UPDATES.flatMap((u) => PREFIXES.map((p) => [u.name, p] as const));

describe.each(CASES)('%s under /obp/%s', (name, prefix) => {
  const s = spec(name);

  it('200 with the updated CustomerJsonV310, exactly what getCustomerById then returns; only its own fields changed; updatedBy/updatedAt stored', async () => {
    const { bankId, customerId, reader } = await scene();
    const user = await userWith(bankId, s.role);
    const before = await currentCustomer(reader, bankId, customerId);
    const storedBefore = await storedCustomer(customerId);
    const body = s.body();
    const changed = s.changed(body);
    for (const [field, value] of Object.entries(changed)) expect(before[field]).not.toEqual(value);

    const startedAt = new Date().toISOString();
    const res = await update(s, user, bankId, customerId, body, prefix);
    const endedAt = new Date().toISOString();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, ...changed });
    expect(Object.keys(res.body)).toEqual(CUSTOMER_FIELDS);

    expect(await currentCustomer(reader, bankId, customerId)).toEqual(res.body);
    const byPrefix = await getById(reader, bankId, customerId, prefix);
    expect(byPrefix.body).toEqual({ ...res.body, customer_attributes: [] });

    const stored = await storedCustomer(customerId);
    expect(stored?.customer).toEqual(res.body);
    expect(stored?.updatedBy).toBe(user);
    expect(stored?.updatedAt >= startedAt && stored?.updatedAt <= endedAt).toBe(true);
    expect(stored?.createdBy).toBe(storedBefore?.createdBy);
    expect(stored?.createdAt).toBe(storedBefore?.createdAt);
    expect(stored?.linkCount).toBe(storedBefore?.linkCount);
  });

  it('401 → 404 bank → 403 → 404 customer → 400 body, each with its exact text, and the customer unchanged', async () => {
    const { bankId, customerId, reader } = await scene();
    const other = await scene();
    const user = await userWith(bankId, s.role);
    const before = await currentCustomer(reader, bankId, customerId);
    const otherBefore = await currentCustomer(other.reader, other.bankId, other.customerId);
    const body = s.body();
    const put = (as: As, b: string, c: string, payload: unknown = body) => update(s, as, b, c, payload, prefix);

    expect((await put(undefined, bankId, customerId)).body).toEqual(NOT_LOGGED_IN);
    const anonymousMalformed = await call('PUT', `/obp/${prefix}/banks/${bankId}/customers/${customerId}/${s.suffix}`, { rawBody: '{' });
    expect(anonymousMalformed.status).toBe(401);

    const missingBank = uniqueId('nobank');
    expect((await put(user, missingBank, customerId)).body).toEqual(bankNotFound(missingBank));
    expect((await put(uniqueId('user-'), missingBank, customerId)).body).toEqual(bankNotFound(missingBank));

    const forbidden =
      s.name === 'updateCustomerCreditRatingAndSource'
        ? `OBP-20006: User is missing one or more roles: CanUpdateCustomerCreditRatingAndSource or CanUpdateCustomerCreditRatingAndSourceAtAnyBank for BankId(${bankId}).`
        : `OBP-20006: User is missing one or more roles: ${s.role} at Bank(${bankId})`;
    const otherRole = UPDATES.find((u) => u !== s)?.role as string;
    for (const as of [uniqueId('user-'), await userWith(other.bankId, s.role), await userWith(bankId, otherRole)]) {
      expect((await put(as, bankId, customerId)).body).toEqual({ code: 403, message: forbidden });
    }
    // The role is checked before the body is read.
    const noRoleBadBody = await call('PUT', `/obp/${prefix}/banks/${bankId}/customers/${customerId}/${s.suffix}`, { as: uniqueId('user-'), rawBody: '{' });
    expect(noRoleBadBody.body).toEqual({ code: 403, message: forbidden });

    const unknown = crypto.randomUUID();
    expect((await put(user, bankId, unknown)).body).toEqual(customerNotFound(unknown));
    expect((await put(user, bankId, unknown, {})).body).toEqual(customerNotFound(unknown));
    // A customer of another bank is not reachable under this bank, whatever the caller holds here.
    expect((await put(user, bankId, other.customerId)).body).toEqual(customerNotFound(other.customerId));

    const { [s.required]: _, ...withoutRequired } = body;
    for (const bad of [withoutRequired, { ...body, [s.required]: true }]) {
      const res = await put(user, bankId, customerId, bad);
      expect(res.status).toBe(400);
      expect(res.body.message.startsWith(`${INVALID_JSON} The Json body should be the ${s.bodyClass}: `)).toBe(true);
      expect(res.body.message).toContain(s.required);
    }
    const malformed = await call('PUT', `/obp/${prefix}/banks/${bankId}/customers/${customerId}/${s.suffix}`, { as: user, rawBody: '{"x":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message.startsWith(INVALID_JSON)).toBe(true);

    expect(await currentCustomer(reader, bankId, customerId)).toEqual(before);
    expect(await currentCustomer(other.reader, other.bankId, other.customerId)).toEqual(otherBefore);
    expect((await storedCustomer(customerId))?.updatedBy).toBeUndefined();
  });
});

describe('updateCustomerCreditRatingAndSource', () => {
  it('also accepts CanUpdateCustomerCreditRatingAndSourceAtAnyBank, a system role', async () => {
    const { bankId, customerId, reader } = await scene();
    const anyBank = await userWith('', 'CanUpdateCustomerCreditRatingAndSourceAtAnyBank');
    const res = await update(spec('updateCustomerCreditRatingAndSource'), anyBank, bankId, customerId, { credit_rating: 'Fair', credit_source: 'Agency' });
    expect(res.status).toBe(200);
    expect(res.body.credit_rating).toEqual({ rating: 'Fair', source: 'Agency' });
    expect((await currentCustomer(reader, bankId, customerId)).credit_rating).toEqual({ rating: 'Fair', source: 'Agency' });
  });
});

describe('updateCustomerEmail', () => {
  it('stores a JSON number as its decimal text; an empty address is accepted as OBP does', async () => {
    const { bankId, customerId, reader } = await scene();
    const user = await userWith(bankId, 'CanUpdateCustomerEmail');
    expect((await update(spec('updateCustomerEmail'), user, bankId, customerId, { email: 12345 })).body.email).toBe('12345');
    expect((await update(spec('updateCustomerEmail'), user, bankId, customerId, { email: '   ' })).body.email).toBe('');
    expect((await currentCustomer(reader, bankId, customerId)).email).toBe('');
  });
});

describe('updateCustomerData', () => {
  it('400 OBP-10020 when dependants differs from the stored number of dob_of_dependants; nothing changes', async () => {
    const { bankId, customerId, reader } = await scene();
    const user = await userWith(bankId, 'CanUpdateCustomerData');
    const before = await currentCustomer(reader, bankId, customerId);
    expect(before.dob_of_dependants).toHaveLength(1);
    for (const dependants of [0, 2]) {
      const res = await update(spec('updateCustomerData'), user, bankId, customerId, { ...spec('updateCustomerData').body(), dependants });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 400,
        message: `OBP-10020: Incorrect json. The field dependants(${dependants}) not equal the length(1) of dob_of_dependants array`,
      });
    }
    expect(await currentCustomer(reader, bankId, customerId)).toEqual(before);
  });

  it('a customer without dependants takes dependants 0 and refuses 1', async () => {
    const bankId = await newBank();
    const { customer_id: customerId } = await newCustomer(bankId);
    const user = await userWith(bankId, 'CanUpdateCustomerData');
    const body = spec('updateCustomerData').body();
    expect((await update(spec('updateCustomerData'), user, bankId, customerId, { ...body, dependants: 0 })).status).toBe(200);
    const refused = await update(spec('updateCustomerData'), user, bankId, customerId, body);
    expect(refused.body).toEqual({ code: 400, message: 'OBP-10020: Incorrect json. The field dependants(1) not equal the length(0) of dob_of_dependants array' });
  });
});

describe('updateCustomerNumber', () => {
  const numberSpec = spec('updateCustomerNumber');

  /** A bank with two customers of known numbers and the users that renumber, read and create. */
  const numbersScene = async () => {
    const bankId = await newBank();
    const numbers = [uniqueId('a-'), uniqueId('b-')];
    const [a, b] = await Promise.all(numbers.map((n) => newCustomer(bankId, { ...MINIMAL_CUSTOMER, customer_number: n })));
    return {
      bankId,
      a: { id: a?.customer_id as string, number: numbers[0] as string },
      b: { id: b?.customer_id as string, number: numbers[1] as string },
      renumberer: await userWith(bankId, 'CanUpdateCustomerNumber'),
      reader: await userWith(bankId, 'CanGetCustomer'),
      creator: await userWith(bankId, 'CanCreateCustomer'),
    };
  };

  it("400 OBP-30006 naming the number and the bank when another customer of the bank holds it; nothing changes", async () => {
    const { bankId, a, b, renumberer, reader } = await numbersScene();
    const before = await currentCustomer(reader, bankId, a.id);
    const res = await update(numberSpec, renumberer, bankId, a.id, { customer_number: b.number });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(duplicateOnUpdate(b.number, bankId));
    expect(await currentCustomer(reader, bankId, a.id)).toEqual(before);
    expect((await getByNumber(reader, bankId, b.number)).body.customer_id).toBe(b.id);
    expect(await storedAtBank(bankId)).toEqual({ customers: 2, guards: 2 });
  });

  it("a number held at another bank is free here", async () => {
    const { bankId, a, renumberer, reader } = await numbersScene();
    const elsewhere = await numbersScene();
    const res = await update(numberSpec, renumberer, bankId, a.id, { customer_number: elsewhere.a.number });
    expect(res.status).toBe(200);
    expect((await getByNumber(reader, bankId, elsewhere.a.number)).body.customer_id).toBe(a.id);
    expect((await getByNumber(elsewhere.reader, elsewhere.bankId, elsewhere.a.number)).body.customer_id).toBe(elsewhere.a.id);
  });

  it('its own current number is 200 and changes nothing (a retried PUT)', async () => {
    const { bankId, a, renumberer, reader } = await numbersScene();
    const before = await currentCustomer(reader, bankId, a.id);
    const storedBefore = await storedCustomer(a.id);
    for (const prefix of PREFIXES) {
      const res = await update(numberSpec, renumberer, bankId, a.id, { customer_number: a.number }, prefix);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(before);
    }
    expect(await storedCustomer(a.id)).toEqual(storedBefore);
    expect(await storedAtBank(bankId)).toEqual({ customers: 2, guards: 2 });
  });

  it('right after the 200, getCustomerByNumber finds the new number and answers 404 OBP-30002 for the old one', async () => {
    const { bankId, a, renumberer, reader } = await numbersScene();
    const renamed = uniqueId('new-');
    expect((await update(numberSpec, renumberer, bankId, a.id, { customer_number: renamed })).status).toBe(200);
    const found = await getByNumber(reader, bankId, renamed);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ ...(await currentCustomer(reader, bankId, a.id)), customer_attributes: [] });
    expect(found.body.customer_number).toBe(renamed);
    expect((await getByNumber(reader, bankId, a.number)).body).toEqual(NOT_FOUND_BY_NUMBER);
    const guards = await guardsAtBank(bankId);
    expect(guards).toHaveLength(2);
    expect(guards.filter((g) => g.customerId === a.id)).toHaveLength(1);
  });

  it('the freed old number can at once be taken by createCustomer', async () => {
    const { bankId, a, renumberer, reader, creator } = await numbersScene();
    expect((await update(numberSpec, renumberer, bankId, a.id, { customer_number: uniqueId('moved-') })).status).toBe(200);
    const created = await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: a.number });
    expect(created.status).toBe(201);
    expect((await getByNumber(reader, bankId, a.number)).body.customer_id).toBe(created.body.customer_id);
    expect(await storedAtBank(bankId)).toEqual({ customers: 3, guards: 3 });
  });

  it("the freed old number can at once be taken by another customer's update, and then not by a create", async () => {
    const { bankId, a, b, renumberer, reader, creator } = await numbersScene();
    expect((await update(numberSpec, renumberer, bankId, a.id, { customer_number: uniqueId('moved-') })).status).toBe(200);
    const taken = await update(numberSpec, renumberer, bankId, b.id, { customer_number: a.number });
    expect(taken.status).toBe(200);
    expect(taken.body.customer_number).toBe(a.number);
    expect((await getByNumber(reader, bankId, a.number)).body.customer_id).toBe(b.id);
    expect((await getByNumber(reader, bankId, b.number)).body).toEqual(NOT_FOUND_BY_NUMBER);
    expect((await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: a.number })).body).toEqual({ code: 400, message: DUPLICATE_NUMBER });
    expect(await storedAtBank(bankId)).toEqual({ customers: 2, guards: 2 });
  });
});

describe('customer numbers in Unicode NFKC form (create, update, lookup)', () => {
  const numberSpec = spec('updateCustomerNumber');

  const nfkcScene = async () => {
    const bankId = await newBank();
    return {
      bankId,
      creator: await userWith(bankId, 'CanCreateCustomer'),
      renumberer: await userWith(bankId, 'CanUpdateCustomerNumber'),
      reader: await userWith(bankId, 'CanGetCustomer'),
    };
  };

  it('"７" (fullwidth) and "7" are one number: a create of the second is 400 OBP-30006, a lookup of "７" finds "7"', async () => {
    const { bankId, creator, reader } = await nfkcScene();
    const seven = await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: '7' });
    expect(seven.status).toBe(201);
    expect((await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: '７' })).body).toEqual({ code: 400, message: DUPLICATE_NUMBER });
    const found = await getByNumber(reader, bankId, '７');
    expect(found.status).toBe(200);
    expect(found.body.customer_id).toBe(seven.body.customer_id);
    expect(found.body.customer_number).toBe('7');
    expect(await storedAtBank(bankId)).toEqual({ customers: 1, guards: 1 });
  });

  it('a number sent in fullwidth form is stored in NFKC form; the other form is then taken for an update too', async () => {
    const { bankId, creator, renumberer, reader } = await nfkcScene();
    const wide = await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: 'ＡＢＣ１２' });
    expect(wide.status).toBe(201);
    expect(wide.body.customer_number).toBe('ABC12');
    const other = await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: uniqueId('o-') });
    const res = await update(numberSpec, renumberer, bankId, other.body.customer_id, { customer_number: 'ABC12' });
    expect(res.body).toEqual(duplicateOnUpdate('ABC12', bankId));
    const renamed = await update(numberSpec, renumberer, bankId, other.body.customer_id, { customer_number: '８８' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.customer_number).toBe('88');
    expect((await getByNumber(reader, bankId, '88')).body.customer_id).toBe(other.body.customer_id);
    // Renaming to the fullwidth form of its own number is a retry of the same number: 200, nothing changes.
    const same = await update(numberSpec, renumberer, bankId, other.body.customer_id, { customer_number: '88' });
    expect(same.body).toEqual(renamed.body);
    // Case stays significant.
    expect((await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: 'abc12' })).status).toBe(201);
  });

  it.each([' 7', '7 ', '7\u200b', '\u0007', '\u00a07', '7\t'])(
    'refuses %j with 400 naming customer_number on create, update and lookup; nothing stored or changed',
    async (number) => {
      const { bankId, creator, renumberer, reader } = await nfkcScene();
      const existing = await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: uniqueId('e-') });
      const responses = [
        await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: number }),
        await update(numberSpec, renumberer, bankId, existing.body.customer_id, { customer_number: number }),
        await getByNumber(reader, bankId, number),
      ];
      for (const res of responses) {
        expect(res.status).toBe(400);
        expect(res.body.message.startsWith(INVALID_JSON)).toBe(true);
        expect(res.body.message).toContain('customer_number');
      }
      expect((await currentCustomer(reader, bankId, existing.body.customer_id)).customer_number).toBe(existing.body.customer_number);
      expect(await storedAtBank(bankId)).toEqual({ customers: 1, guards: 1 });
    },
  );

  it('refuses "：：：：" (fullwidth colons, "::::" in NFKC form) on create and on update', async () => {
    const { bankId, creator, renumberer, reader } = await nfkcScene();
    const expected = { code: 400, message: 'OBP-10001: Incorrect json format. customer_number can not contain `::::` characters' };
    expect((await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: 'a：：：：b' })).body).toEqual(expected);
    const existing = await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: uniqueId('e-') });
    for (const number of ['：：：：', 'x::::y']) {
      expect((await update(numberSpec, renumberer, bankId, existing.body.customer_id, { customer_number: number })).body).toEqual(expected);
    }
    expect((await currentCustomer(reader, bankId, existing.body.customer_id)).customer_number).toBe(existing.body.customer_number);
    expect(await storedAtBank(bankId)).toEqual({ customers: 1, guards: 1 });
  });

  it('a JSON number is stored as its decimal text (5987953 → "5987953"); 12345678901234567891 is a 400 and nothing is stored', async () => {
    const { bankId, creator, renumberer, reader } = await nfkcScene();
    const created = await create(creator, bankId, { ...MINIMAL_CUSTOMER, customer_number: 5987953 });
    expect(created.status).toBe(201);
    expect(created.body.customer_number).toBe('5987953');
    const path = `/obp/v5.0.0/banks/${bankId}/customers`;
    const tooBig = '12345678901234567891';
    const refusedCreate = await call('POST', path, { as: creator, rawBody: `{"legal_name":"L","mobile_phone_number":"1","customer_number":${tooBig}}` });
    expect(refusedCreate.status).toBe(400);
    expect(refusedCreate.body.message).toContain('customer_number');
    const refusedUpdate = await updateRaw(numberSpec, renumberer, bankId, created.body.customer_id, `{"customer_number":${tooBig}}`);
    expect(refusedUpdate.status).toBe(400);
    expect(refusedUpdate.body.message.startsWith(`${INVALID_JSON} The Json body should be the PutUpdateCustomerNumberJsonV310: `)).toBe(true);
    expect(refusedUpdate.body.message).toContain('customer_number');
    for (const rounded of ['12345678901234567000', '12345678901234567891', '12345678901234568000']) {
      expect((await getByNumber(reader, bankId, rounded)).status).toBe(404);
    }
    expect(await storedAtBank(bankId)).toEqual({ customers: 1, guards: 1 });

    const renamed = await updateRaw(numberSpec, renumberer, bankId, created.body.customer_id, '{"customer_number":7654321}');
    expect(renamed.status).toBe(200);
    expect(renamed.body.customer_number).toBe('7654321');
    expect((await getByNumber(reader, bankId, 7654321)).body.customer_id).toBe(created.body.customer_id);
  });
});
