// Customer-number uniqueness holds under concurrency, enforced by DynamoDB itself (docs/design.md, "Uniqueness").
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, customerNumberGuardKey } from '../../functions/data/keys';
import { documentClient, tableName } from '../../functions/data/table-client';
import { call } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, userWith } from '../support/fixtures';
import { customerIdsListedAtBank, guardsAtBank } from '../support/storage';
import { tokenFor } from '../support/tokens';

jest.setTimeout(180_000);

const PARALLEL = 100;
const DUPLICATE_NUMBER =
  'OBP-30006: Customer Number already exists. Please specify a different value for BANK_ID or CUSTOMER_NUMBER.';

const customerIdsOfBank = customerIdsListedAtBank;

/** Customer numbers of the guard items stored for a bank (the test's numbers need no escaping in keys). */
const guardedNumbers = async (bankId: string): Promise<string[]> => {
  const prefix = customerNumberGuardKey(bankId, '').PK;
  return (await guardsAtBank(bankId)).map((g) => g.PK.slice(prefix.length));
};

const createInParallel = async (bankId: string, bodies: unknown[]) => {
  const user = await userWith(bankId, 'CanCreateCustomer');
  const authorization = `Bearer ${await tokenFor(user)}`;
  return Promise.all(bodies.map((body) => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: { authorization }, body })));
};

describe('createCustomer under concurrency', () => {
  it(`${PARALLEL} parallel creates with one (bank, customer_number): one 201, the rest 400 OBP-30006, one customer and one guard stored`, async () => {
    const bankId = await newBank();
    const bodies = Array.from({ length: PARALLEL }, (_, i) => ({ ...MINIMAL_CUSTOMER, legal_name: `Racer ${i}`, customer_number: 'race-1' }));
    const results = await createInParallel(bankId, bodies);

    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 400);
    expect(results.filter((r) => r.status !== 201 && r.status !== 400)).toEqual([]);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(PARALLEL - 1);
    for (const r of refused) expect(r.body).toEqual({ code: 400, message: DUPLICATE_NUMBER });

    const winner = created[0]!.body;
    expect(await customerIdsOfBank(bankId)).toEqual([winner.customer_id]);
    expect(await guardedNumbers(bankId)).toEqual(['race-1']);
    const guard = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: customerNumberGuardKey(bankId, 'race-1'), ConsistentRead: true }),
    );
    expect(guard.Item?.customerId).toEqual(winner.customer_id);
    const stored = await documentClient().send(new GetCommand({ TableName: tableName(), Key: customerKey(winner.customer_id), ConsistentRead: true }));
    expect(stored.Item?.customer).toEqual(winner);
  });

  it(`${PARALLEL} parallel creates with generated numbers: ${PARALLEL} distinct customers and numbers`, async () => {
    const bankId = await newBank();
    const results = await createInParallel(bankId, Array.from({ length: PARALLEL }, () => MINIMAL_CUSTOMER));

    expect(results.map((r) => r.status)).toEqual(Array(PARALLEL).fill(201));
    const ids = new Set(results.map((r) => r.body.customer_id as string));
    const numbers = new Set(results.map((r) => r.body.customer_number as string));
    expect(ids.size).toBe(PARALLEL);
    expect(numbers.size).toBe(PARALLEL);

    expect(new Set(await customerIdsOfBank(bankId))).toEqual(ids);
    const guarded = await guardedNumbers(bankId);
    expect(guarded).toHaveLength(PARALLEL);
    expect(new Set(guarded)).toEqual(numbers);
  });

  it('parallel creates of distinct given numbers at two banks all succeed, and one number per bank is kept', async () => {
    const a = await newBank();
    const b = await newBank();
    const bodies = Array.from({ length: 25 }, (_, i) => ({ ...MINIMAL_CUSTOMER, customer_number: `n-${i}` }));
    const [atA, atB] = await Promise.all([createInParallel(a, bodies), createInParallel(b, bodies)]);
    expect([...atA, ...atB].map((r) => r.status)).toEqual(Array(50).fill(201));
    expect((await guardedNumbers(a)).sort()).toEqual(bodies.map((x) => x.customer_number).sort());
    expect((await guardedNumbers(b)).sort()).toEqual(bodies.map((x) => x.customer_number).sort());
  });
});
