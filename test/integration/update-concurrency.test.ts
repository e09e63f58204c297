// Customer updates raced against each other on DynamoDB Local (docs/design.md, "Uniqueness" and "Operations"):
// a number goes to exactly one customer, swaps never leave a duplicate or an orphaned guard, and concurrent
// updates of different fields of one customer lose none of them.
import { customerNumberGuardKey } from '../../functions/data/keys';
import { OPERATIONS } from '../../functions/common/operations';
import { call } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';
import { guardsAtBank } from '../support/storage';
import { tokenFor } from '../support/tokens';

jest.setTimeout(300_000);

const DUPLICATE_NUMBER = 'OBP-30006: Customer Number already exists. Please specify a different value for BANK_ID or CUSTOMER_NUMBER.';
const NOT_FOUND_BY_NUMBER = { code: 404, message: 'OBP-30002: Customer not found. Please specify a valid value for CUSTOMER_NUMBER.' };

type Auth = { authorization: string };

/** The bank role of each of the eight customer updates. */
const UPDATE_ROLES = OPERATIONS.filter((op) => op.name.startsWith('updateCustomer')).map((op) => op.roles[0] as string);

/** A bank and one caller holding every update role and CanGetCustomer there, with a token made once. */
const scene = async () => {
  const bankId = await newBank();
  const user = await userWith(bankId, 'CanGetCustomer', ...UPDATE_ROLES);
  const as: Auth = { authorization: `Bearer ${await tokenFor(user)}` };
  return { bankId, as };
};

const put = (as: Auth, bankId: string, customerId: string, suffix: string, body: unknown) =>
  call('PUT', `/obp/v5.0.0/banks/${bankId}/customers/${customerId}/${suffix}`, { as, body });
const renumber = (as: Auth, bankId: string, customerId: string, customerNumber: string) => put(as, bankId, customerId, 'number', { customer_number: customerNumber });
const getById = (as: Auth, bankId: string, customerId: string) => call('GET', `/obp/v5.0.0/banks/${bankId}/customers/${customerId}`, { as });
const getByNumber = (as: Auth, bankId: string, customerNumber: string) =>
  call('POST', `/obp/v5.0.0/banks/${bankId}/customers/customer-number`, { as, body: { customer_number: customerNumber } });

/** The bank's guards as number → customer id (the test's numbers need no escaping in keys). */
const guardMap = async (bankId: string): Promise<Map<string, string>> => {
  const prefix = customerNumberGuardKey(bankId, '').PK;
  const guards = await guardsAtBank(bankId);
  const map = new Map(guards.map((g) => [g.PK.slice(prefix.length), g.customerId]));
  expect(map.size).toBe(guards.length);
  return map;
};

const countStatuses = (results: { status: number }[]): Record<number, number> =>
  results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

describe('updateCustomerNumber under concurrency', () => {
  it('50 concurrent renames of 50 customers to one new number: one 200, 49 × 400 OBP-30006, the winner found by number, one guard for it', async () => {
    const { bankId, as } = await scene();
    const customers = await Promise.all(Array.from({ length: 50 }, (_, i) => newCustomer(bankId, { ...MINIMAL_CUSTOMER, customer_number: `racer-${i}` })));
    const target = uniqueId('prize-');

    const results = await Promise.all(customers.map((c) => renumber(as, bankId, c.customer_id, target)));
    console.info(`50 renames to one number: ${JSON.stringify(countStatuses(results))}`);

    const winners = results.filter((r) => r.status === 200);
    const losers = results.filter((r) => r.status === 400);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const r of losers) {
      expect(r.body).toEqual({ code: 400, message: `${DUPLICATE_NUMBER} Current customer_number(${target}) and Current bank_id(${bankId})` });
    }
    const winner = winners[0]?.body;
    expect(winner.customer_number).toBe(target);
    const winnerIndex = customers.findIndex((c) => c.customer_id === winner.customer_id);
    expect(winnerIndex).toBeGreaterThanOrEqual(0);

    const found = await getByNumber(as, bankId, target);
    expect(found.status).toBe(200);
    expect(found.body.customer_id).toBe(winner.customer_id);
    expect((await getByNumber(as, bankId, `racer-${winnerIndex}`)).body).toEqual(NOT_FOUND_BY_NUMBER);

    const guards = await guardMap(bankId);
    expect([...guards].filter(([number]) => number === target)).toEqual([[target, winner.customer_id]]);
    // The 49 losers kept their numbers; the winner's old number is free.
    const expected = new Map(customers.map((c, i) => (i === winnerIndex ? [target, c.customer_id] : [`racer-${i}`, c.customer_id])));
    expect(guards).toEqual(expected);
    for (const [i, c] of customers.entries()) {
      expect((await getById(as, bankId, c.customer_id)).body.customer_number).toBe(i === winnerIndex ? target : `racer-${i}`);
    }
  });

  /**
   * After a round: the two customers hold distinct numbers, the guards are exactly those numbers and each points at
   * the customer holding it, and a lookup by each number finds its holder.
   */
  const expectConsistent = async (as: Auth, bankId: string, ids: string[], released: string[]): Promise<string[]> => {
    const numbers = await Promise.all(ids.map(async (id) => (await getById(as, bankId, id)).body.customer_number as string));
    expect(new Set(numbers).size).toBe(ids.length);
    expect(await guardMap(bankId)).toEqual(new Map(numbers.map((n, i) => [n, ids[i] as string])));
    for (const [i, n] of numbers.entries()) expect((await getByNumber(as, bankId, n)).body.customer_id).toBe(ids[i]);
    for (const n of released.filter((r) => !numbers.includes(r))) expect((await getByNumber(as, bankId, n)).body).toEqual(NOT_FOUND_BY_NUMBER);
    return numbers;
  };

  it('repeated concurrent swaps of two numbers (A→B\'s and B→A\'s at once, with and without moves to fresh numbers) never leave a duplicate or an orphaned guard', async () => {
    const { bankId, as } = await scene();
    const a = (await newCustomer(bankId, { ...MINIMAL_CUSTOMER, customer_number: 'swap-a-0' })).customer_id as string;
    const b = (await newCustomer(bankId, { ...MINIMAL_CUSTOMER, customer_number: 'swap-b-0' })).customer_id as string;
    let [numberA, numberB] = ['swap-a-0', 'swap-b-0'];
    const tally: Record<string, number> = {};
    const note = (label: string, status: number) => {
      tally[`${label} ${status}`] = (tally[`${label} ${status}`] ?? 0) + 1;
    };
    const ROUNDS = 40;
    for (let round = 1; round <= ROUNDS; round++) {
      // Odd rounds: the plain swap. Even rounds: each customer also moves to a fresh number at the same time, so a
      // swap can find the other number freed in the middle of the race.
      const requests: Array<[string, string, string]> = [
        ['A→B', a, numberB],
        ['B→A', b, numberA],
        ...(round % 2 === 0 ? ([['A→fresh', a, `swap-a-${round}`], ['B→fresh', b, `swap-b-${round}`]] as Array<[string, string, string]>) : []),
      ];
      const before = [numberA, numberB];
      const results = await Promise.all(requests.map(([, id, n]) => renumber(as, bankId, id, n)));
      for (const [i, r] of results.entries()) {
        const [label, , n] = requests[i] as [string, string, string];
        note(label, r.status);
        if (r.status === 200) expect(r.body.customer_number).toBe(n);
        else expect(r.body).toEqual({ code: 400, message: `${DUPLICATE_NUMBER} Current customer_number(${n}) and Current bank_id(${bankId})` });
      }
      const released = [...before, ...requests.map(([, , n]) => n)];
      [numberA, numberB] = (await expectConsistent(as, bankId, [a, b], released)) as [string, string];
      // A customer that no request moved kept its number; one that moved holds what a successful request asked for.
      const movedTo = (id: string) => requests.filter(([, rid], i) => rid === id && results[i]?.status === 200).map(([, , n]) => n);
      for (const [id, now, was] of [[a, numberA, before[0]], [b, numberB, before[1]]] as const) {
        const moves = movedTo(id);
        if (moves.length === 0) expect(now).toBe(was);
        else expect(moves).toContain(now);
      }
    }
    console.info(`${ROUNDS} swap rounds: ${JSON.stringify(tally)}`);
  });
});

describe('concurrent updates of different fields of one customer', () => {
  /** Each update's body for a round, and the fields it sets as the customer renders them. */
  const updatesFor = (round: number, tag: string) => [
    { suffix: 'email', body: { email: `R${round}@Example.com` }, fields: { email: `r${round}@example.com` } },
    { suffix: 'mobile-number', body: { mobile_phone_number: `+100${round}` }, fields: { mobile_phone_number: `+100${round}` } },
    { suffix: 'branch', body: { branch_id: `BRANCH-${round}` }, fields: { branch_id: `BRANCH-${round}` } },
    { suffix: 'credit-limit', body: { credit_limit: { currency: 'EUR', amount: `${round}00` } }, fields: { credit_limit: { currency: 'EUR', amount: `${round}00` } } },
    { suffix: 'credit-rating-and-source', body: { credit_rating: `R${round}`, credit_source: `S${round}` }, fields: { credit_rating: { rating: `R${round}`, source: `S${round}` } } },
    {
      suffix: 'identity',
      body: { legal_name: `Name ${round}`, date_of_birth: `19${50 + round}-01-02`, title: `T${round}`, name_suffix: `X${round}` },
      fields: { legal_name: `Name ${round}`, date_of_birth: `19${50 + round}-01-02T00:00:00Z`, title: `T${round}`, name_suffix: `X${round}` },
    },
    {
      suffix: 'data',
      body: { face_image: { url: `img-${round}`, date: null }, relationship_status: `rs${round}`, dependants: 0, highest_education_attained: `E${round}`, employment_status: `W${round}` },
      fields: { face_image: { url: `img-${round}`, date: null }, relationship_status: `rs${round}`, dependants: 0, highest_education_attained: `E${round}`, employment_status: `W${round}` },
    },
    { suffix: 'number', body: { customer_number: `${tag}-${round}` }, fields: { customer_number: `${tag}-${round}` } },
  ];

  it('all eight updates at once, round after round: none is lost', async () => {
    const { bankId, as } = await scene();
    const tag = uniqueId('fields');
    const created = await newCustomer(bankId, { ...MINIMAL_CUSTOMER, customer_number: `${tag}-0` });
    const customerId = created.customer_id as string;
    const ROUNDS = 10;
    for (let round = 1; round <= ROUNDS; round++) {
      const updates = updatesFor(round, tag);
      const results = await Promise.all(updates.map((u) => put(as, bankId, customerId, u.suffix, u.body)));
      expect(countStatuses(results)).toEqual({ 200: updates.length });
      // Each answer shows at least its own change.
      for (const [i, r] of results.entries()) expect(r.body).toMatchObject(updates[i]?.fields as object);
      const expected = { ...created, ...Object.assign({}, ...updates.map((u) => u.fields)), customer_attributes: [] };
      expect((await getById(as, bankId, customerId)).body).toEqual(expected);
    }
    expect(await guardMap(bankId)).toEqual(new Map([[`${tag}-${ROUNDS}`, customerId]]));
  });
});
