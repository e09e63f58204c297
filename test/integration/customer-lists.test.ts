// getCustomersAtOneBank and getCustomersMinimalAtOneBank (OBP v5.0.0; docs/design.md, "Lists and paging"): roles,
// the bank check, only this bank's customers, OBP's item shapes. These tests read the bank's customer index right
// after writing to it, which DynamoDB Local answers with every write applied.
import { findRoute } from '../../local/routes';
import { call } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';
import { CUSTOMER_FIELDS } from '../support/customer-shape';

jest.setTimeout(120_000);

const NOT_LOGGED_IN = { code: 401, message: 'OBP-20001: User not logged in. Authentication is required!' };
const bankNotFound = (bankId: string) => ({ code: 404, message: `OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${bankId}` });


const LISTS = [
  { name: 'getCustomersAtOneBank', path: 'customers', role: 'CanGetCustomers' },
  { name: 'getCustomersMinimalAtOneBank', path: 'customers-minimal', role: 'CanGetCustomersMinimal' },
] as const;

type As = string | undefined;
const list = (as: As, bankId: string, path: string, prefix = 'v5.0.0', query = '') => call('GET', `/obp/${prefix}/banks/${bankId}/${path}${query}`, { as });

/** CustomerJsonV300 of a customer as createCustomer answered it (V310): the birth dates become plain days. */
const asV300 = (c: Record<string, any>) => ({
  ...c,
  date_of_birth: c.date_of_birth === null ? '' : (c.date_of_birth as string).slice(0, 10),
  dob_of_dependants: (c.dob_of_dependants as string[]).map((d) => d.slice(0, 10)),
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A bank with three customers created one after the other (oldest first): full, minimal, two dependants. */
const bankWithCustomers = async () => {
  const bankId = await newBank();
  const bodies = [
    {
      legal_name: 'Eveline Tripman',
      mobile_phone_number: '+49 30 901820',
      customer_number: uniqueId('full-'),
      email: 'eve@example.com',
      face_image: { url: 'www.openbankproject', date: '2017-09-19T10:11:12+02:00' },
      date_of_birth: '1985-03-09T23:30:00-02:00',
      relationship_status: 'single',
      dependants: 1,
      dob_of_dependants: ['2010-05-06'],
      credit_rating: { rating: 'OBP', source: 'OBP' },
      credit_limit: { currency: 'EUR', amount: '10' },
      highest_education_attained: 'Master',
      employment_status: 'worker',
      kyc_status: true,
      last_ok_date: '2023-11-14T18:28:59.077Z',
      title: 'Dr.',
      branch_id: 'DERBY6',
      name_suffix: 'Sr',
    },
    { ...MINIMAL_CUSTOMER },
    { ...MINIMAL_CUSTOMER, legal_name: 'Two Kids', dependants: 2, dob_of_dependants: ['2015-01-01T00:00:00Z', '2017-12-31T22:00:00Z'] },
  ];
  const customers: Record<string, any>[] = [];
  for (const body of bodies) {
    customers.push(await newCustomer(bankId, body));
    await pause(3);
  }
  return { bankId, customers };
};

describe('getCustomersAtOneBank v5.0.0', () => {
  it.each(['v5.0.0', 'v5.1.0'])('under /obp/%s: the bank\'s customers as CustomerJsonV300, newest first', async (prefix) => {
    const { bankId, customers } = await bankWithCustomers();
    const reader = await userWith(bankId, 'CanGetCustomers');
    const res = await list(reader, bankId, 'customers', prefix);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ customers: customers.map(asV300).reverse() });
    for (const item of res.body.customers) expect(Object.keys(item)).toEqual(CUSTOMER_FIELDS);
    const [full, minimal, twoKids] = res.body.customers.slice().reverse();
    expect(full.date_of_birth).toBe('1985-03-10');
    expect(full.dob_of_dependants).toEqual(['2010-05-06']);
    expect(full.face_image.date).toBe('2017-09-19T08:11:12Z');
    expect(full.last_ok_date).toBe('2023-11-14T18:28:59Z');
    expect(minimal.date_of_birth).toBe('');
    expect(minimal.dob_of_dependants).toEqual([]);
    expect(twoKids.dob_of_dependants).toEqual(['2015-01-01', '2017-12-31']);
  });

  it('sort_direction=asc lists oldest first', async () => {
    const { bankId, customers } = await bankWithCustomers();
    const reader = await userWith(bankId, 'CanGetCustomers');
    for (const direction of ['asc', 'ASC', 'Asc']) {
      const res = await list(reader, bankId, 'customers', 'v5.1.0', `?sort_direction=${direction}`);
      expect(res.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(customers.map((c) => c.customer_id));
    }
  });

  it('shows each customer as it is after its updates', async () => {
    const { bankId, customers } = await bankWithCustomers();
    const reader = await userWith(bankId, 'CanGetCustomers');
    const editor = await userWith(bankId, 'CanUpdateCustomerEmail', 'CanUpdateCustomerNumber');
    const target = customers[1]?.customer_id as string;
    const renamed = uniqueId('renamed-');
    expect((await call('PUT', `/obp/v5.0.0/banks/${bankId}/customers/${target}/email`, { as: editor, body: { email: 'New@Example.com' } })).status).toBe(200);
    expect((await call('PUT', `/obp/v5.0.0/banks/${bankId}/customers/${target}/number`, { as: editor, body: { customer_number: renamed } })).status).toBe(200);
    const item = (await list(reader, bankId, 'customers')).body.customers.find((c: { customer_id: string }) => c.customer_id === target);
    expect(item).toEqual(asV300({ ...customers[1], email: 'new@example.com', customer_number: renamed }));
  });
});

describe('getCustomersMinimalAtOneBank v5.0.0', () => {
  it.each(['v5.0.0', 'v5.1.0'])('under /obp/%s: {bank_id, customer_id} of each of the bank\'s customers, newest first', async (prefix) => {
    const { bankId, customers } = await bankWithCustomers();
    const reader = await userWith(bankId, 'CanGetCustomersMinimal');
    const res = await list(reader, bankId, 'customers-minimal', prefix);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ customers: customers.map((c) => ({ bank_id: bankId, customer_id: c.customer_id })).reverse() });
    for (const item of res.body.customers) expect(Object.keys(item)).toEqual(['bank_id', 'customer_id']);
  });
});

describe.each(LISTS)('$name: access', ({ path, role }) => {
  const forbidden = (bankId: string) => ({ code: 403, message: `OBP-20006: User is missing one or more roles: ${role} for BankId(${bankId}).` });

  it('403 with the exact text without the role at this bank (none, at another bank, the system-wide AtAnyBank role, the other list\'s role)', async () => {
    const { bankId } = await bankWithCustomers();
    const otherBank = await newBank();
    const otherListRole = LISTS.find((l) => l.role !== role)?.role as string;
    const callers = [
      uniqueId('user-'),
      await userWith(otherBank, role),
      await userWith('', `${role}AtAnyBank`),
      await userWith(bankId, otherListRole, 'CanGetCustomer'),
    ];
    for (const as of callers) expect((await list(as, bankId, path)).body).toEqual(forbidden(bankId));
  });

  it('404 OBP-30001 for an unknown bank (before the role check), 401 without a token', async () => {
    const missing = uniqueId('nobank');
    expect((await list(uniqueId('user-'), missing, path)).body).toEqual(bankNotFound(missing));
    expect((await list(undefined, missing, path)).body).toEqual(NOT_LOGGED_IN);
    expect((await list(undefined, (await bankWithCustomers()).bankId, path)).body).toEqual(NOT_LOGGED_IN);
  });

  it("lists only this bank's customers; a bank without customers is {\"customers\":[]}", async () => {
    const home = await bankWithCustomers();
    const other = await bankWithCustomers();
    const reader = await userWith(home.bankId, role);
    const ids = (await list(reader, home.bankId, path)).body.customers.map((c: { customer_id: string }) => c.customer_id);
    expect(new Set(ids)).toEqual(new Set(home.customers.map((c) => c.customer_id)));
    for (const c of other.customers) expect(ids).not.toContain(c.customer_id);

    const empty = await newBank();
    expect((await list(await userWith(empty, role), empty, path)).body).toEqual({ customers: [] });
  });

  it('is served under /obp/v5.0.0 and /obp/v5.1.0 only (OBP has other operations at that path under older versions)', () => {
    expect(findRoute('GET', `/obp/v4.0.0/banks/b/${path}`)).toBeUndefined();
    expect(findRoute('GET', `/obp/v1.4.0/banks/b/${path}`)).toBeUndefined();
    expect(findRoute('GET', `/obp/v5.1.0/banks/b/${path}`)).toBeDefined();
  });
});
