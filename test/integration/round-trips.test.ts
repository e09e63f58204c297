// DynamoDB calls per operation (docs/design.md, "Data model" and "Bars"), counted by instrumenting the real document client.
import { documentClient } from '../../functions/data/table-client';
import { GSI1 } from '../../functions/data/keys';
import { call, type ApiResponse } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';
import { tokenFor } from '../support/tokens';

jest.setTimeout(120_000);

interface DynamoCall {
  /** The DynamoDB API action, e.g. BatchGetItem. */
  action: string;
  indexName?: string;
  start: number;
  end: number;
}

const RECORDER = 'roundTripRecorder';

/** Runs `request` with a recorder on the document client and returns its response and the DynamoDB calls it made. */
const recorded = async (request: () => Promise<ApiResponse>): Promise<{ res: ApiResponse; calls: DynamoCall[] }> => {
  const calls: DynamoCall[] = [];
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const entry: DynamoCall = {
        action: String(context.commandName).replace(/Command$/, ''),
        indexName: (args.input as { IndexName?: string }).IndexName,
        start: performance.now(),
        end: Number.NaN,
      };
      calls.push(entry);
      try {
        return await next(args);
      } finally {
        entry.end = performance.now();
      }
    },
    { step: 'initialize', name: RECORDER },
  );
  try {
    return { res: await request(), calls };
  } finally {
    documentClient().middlewareStack.remove(RECORDER);
  }
};

afterEach(() => {
  // Never leave a recorder behind, even when a test failed half-way.
  documentClient().middlewareStack.remove(RECORDER);
});

const actions = (calls: DynamoCall[]) => calls.map((c) => c.action);

/** Each call starts after the previous one ended. */
const expectSequential = (calls: DynamoCall[]) => {
  for (let i = 1; i < calls.length; i++) expect(calls[i]!.start).toBeGreaterThanOrEqual(calls[i - 1]!.end);
};

const V4_BODY = { message: 'hello', transport: 'SMS', from_department: 'Open Bank', from_person: 'Tom' };
const V14_BODY = { message: 'hello', from_department: 'Cards', from_person: 'Ann' };

const link = async (bankId: string, userId: string, customerId: string) => {
  const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
  const res = await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: userId, customer_id: customerId } });
  expect(res.status).toBe(201);
};

/** A valid Authorization header, signed before measuring. */
const bearer = async (userId: string) => ({ authorization: `Bearer ${await tokenFor(userId)}` });

describe('DynamoDB round trips per operation', () => {
  it('createCustomer: exactly BatchGetItem then TransactWriteItems, one after the other', async () => {
    const bankId = await newBank();
    const as = await bearer(await userWith(bankId, 'CanCreateCustomer'));
    const { res, calls } = await recorded(() => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as, body: MINIMAL_CUSTOMER }));
    expect(res.status).toBe(201);
    expect(actions(calls)).toEqual(['BatchGetItem', 'TransactWriteItems']);
    expectSequential(calls);
  });

  it('createCustomer with a given number, and a refused duplicate: still 2 calls each', async () => {
    const bankId = await newBank();
    const as = await bearer(await userWith(bankId, 'CanCreateCustomer'));
    const body = { ...MINIMAL_CUSTOMER, customer_number: 'rt-1' };
    const first = await recorded(() => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as, body }));
    expect(first.res.status).toBe(201);
    expect(actions(first.calls)).toEqual(['BatchGetItem', 'TransactWriteItems']);
    const duplicate = await recorded(() => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as, body }));
    expect(duplicate.res.status).toBe(400);
    expect(actions(duplicate.calls)).toEqual(['BatchGetItem', 'TransactWriteItems']);
  });

  it('createCustomer refusals: 401 makes no call; 404, 403 and 400 only the one BatchGetItem', async () => {
    const bankId = await newBank();
    const creator = await bearer(await userWith(bankId, 'CanCreateCustomer'));
    const noRole = await bearer(uniqueId('user-'));
    const path = `/obp/v5.0.0/banks/${bankId}/customers`;

    const anonymous = await recorded(() => call('POST', path, { body: MINIMAL_CUSTOMER }));
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.calls).toEqual([]);

    const cases: Array<[number, () => Promise<ApiResponse>]> = [
      [404, () => call('POST', `/obp/v5.0.0/banks/${uniqueId('nobank')}/customers`, { as: noRole, body: MINIMAL_CUSTOMER })],
      [403, () => call('POST', path, { as: noRole, body: MINIMAL_CUSTOMER })],
      [400, () => call('POST', path, { as: creator, body: { legal_name: 'x' } })],
      [400, () => call('POST', path, { as: creator, body: { ...MINIMAL_CUSTOMER, dependants: 2 } })],
    ];
    for (const [status, request] of cases) {
      const { res, calls } = await recorded(request);
      expect(res.status).toBe(status);
      expect(actions(calls)).toEqual(['BatchGetItem']);
    }
  });

  it('createCustomerMessage: BatchGetItem then PutItem', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const as = await bearer(await userWith(bankId, 'CanCreateCustomerMessage'));
    const { res, calls } = await recorded(() =>
      call('POST', `/obp/v4.0.0/banks/${bankId}/customers/${customer.customer_id}/messages`, { as, body: V4_BODY }),
    );
    expect(res.status).toBe(201);
    expect(actions(calls)).toEqual(['BatchGetItem', 'PutItem']);
    expectSequential(calls);
  });

  it('addCustomerMessage: BatchGetItem then PutItem; without a link only the BatchGetItem', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const as = await bearer(uniqueId('caller-'));
    const path = `/obp/v1.4.0/banks/${bankId}/customer/${customer.customer_id}/messages`;

    const unlinked = await recorded(() => call('POST', path, { as, body: V14_BODY }));
    expect(unlinked.res.status).toBe(400);
    expect(actions(unlinked.calls)).toEqual(['BatchGetItem']);

    await link(bankId, uniqueId('holder-'), customer.customer_id);
    const { res, calls } = await recorded(() => call('POST', path, { as, body: V14_BODY }));
    expect(res.status).toBe(201);
    expect(actions(calls)).toEqual(['BatchGetItem', 'PutItem']);
    expectSequential(calls);
  });

  it('getCustomerById: one BatchGetItem', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const as = await bearer(await userWith(bankId, 'CanGetCustomer'));
    const { res, calls } = await recorded(() => call('GET', `/obp/v5.0.0/banks/${bankId}/customers/${customer.customer_id}`, { as }));
    expect(res.status).toBe(200);
    expect(actions(calls)).toEqual(['BatchGetItem']);
  });

  it('getCustomerByNumber: BatchGetItem then GetItem', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const as = await bearer(await userWith(bankId, 'CanGetCustomer'));
    const { res, calls } = await recorded(() =>
      call('POST', `/obp/v5.0.0/banks/${bankId}/customers/customer-number`, { as, body: { customer_number: customer.customer_number } }),
    );
    expect(res.status).toBe(200);
    expect(actions(calls)).toEqual(['BatchGetItem', 'GetItem']);
    expectSequential(calls);
  });

  it('getCustomerMessages: BatchGetItem then one Query on the table', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');
    for (let i = 0; i < 3; i++) {
      await call('POST', `/obp/v4.0.0/banks/${bankId}/customers/${customer.customer_id}/messages`, { as: sender, body: V4_BODY });
    }
    const as = await bearer(await userWith(bankId, 'CanGetCustomerMessages'));
    const { res, calls } = await recorded(() => call('GET', `/obp/v4.0.0/banks/${bankId}/customers/${customer.customer_id}/messages`, { as }));
    expect(res.status).toBe(200);
    expect(res.body.messages).toHaveLength(3);
    expect(actions(calls)).toEqual(['BatchGetItem', 'Query']);
    expect(calls[1]!.indexName).toBeUndefined();
    expectSequential(calls);
  });

  it('getMyMessages: BatchGetItem, a Query on GSI1, then one Query per linked customer, in parallel', async () => {
    const bankId = await newBank();
    const me = uniqueId('me-');
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');
    const linked = 3;
    for (let i = 0; i < linked; i++) {
      const customer = await newCustomer(bankId);
      await link(bankId, me, customer.customer_id);
      await call('POST', `/obp/v4.0.0/banks/${bankId}/customers/${customer.customer_id}/messages`, { as: sender, body: V4_BODY });
    }
    const as = await bearer(me);
    const { res, calls } = await recorded(() => call('GET', `/obp/v1.4.0/banks/${bankId}/customer/messages`, { as }));
    expect(res.status).toBe(200);
    expect(res.body.messages).toHaveLength(linked);

    expect(actions(calls)).toEqual(['BatchGetItem', 'Query', ...Array(linked).fill('Query')]);
    const [context, links, ...perCustomer] = calls;
    expect(links!.indexName).toBe(GSI1);
    for (const q of perCustomer) expect(q.indexName).toBeUndefined();
    expectSequential([context!, links!]);
    for (const q of perCustomer) expect(q.start).toBeGreaterThanOrEqual(links!.end);
    // In parallel: every per-customer Query started before any of them ended.
    expect(Math.max(...perCustomer.map((q) => q.start))).toBeLessThan(Math.min(...perCustomer.map((q) => q.end)));
  });

  it('getMyMessages without linked customers: BatchGetItem and the GSI1 Query only', async () => {
    const bankId = await newBank();
    const as = await bearer(uniqueId('lonely-'));
    const { res, calls } = await recorded(() => call('GET', `/obp/v5.0.0/banks/${bankId}/customer/messages`, { as }));
    expect(res.body).toEqual({ messages: [] });
    expect(actions(calls)).toEqual(['BatchGetItem', 'Query']);
    expect(calls[1]!.indexName).toBe(GSI1);
  });

  it('no operation ever scans the table', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const holder = uniqueId('holder-');
    await link(bankId, holder, customer.customer_id);
    const admin = await userWith(
      bankId,
      'CanCreateCustomer',
      'CanGetCustomer',
      'CanCreateCustomerMessage',
      'CanGetCustomerMessages',
      'CanCreateUserCustomerLink',
      'CanGetEntitlementsForAnyUserAtAnyBank',
      'CanCreateBank',
      'CanCreateEntitlementAtOneBank',
    );
    const c = `/obp/v5.0.0/banks/${bankId}/customers/${customer.customer_id}`;
    const requests: Array<() => Promise<ApiResponse>> = [
      () => call('GET', '/obp/v5.0.0/root'),
      () => call('POST', '/obp/v5.0.0/banks', { as: admin, body: { id: uniqueId('rt'), bank_code: 'X' } }),
      () => call('GET', `/obp/v5.0.0/banks/${bankId}`),
      () => call('POST', `/obp/v5.0.0/users/${uniqueId('u')}/entitlements`, { as: admin, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }),
      () => call('GET', `/obp/v5.0.0/users/${admin}/entitlements`, { as: admin }),
      () => call('GET', '/obp/v5.0.0/users/current', { as: admin }),
      () => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: admin, body: MINIMAL_CUSTOMER }),
      () => call('GET', c, { as: admin }),
      () => call('POST', `/obp/v5.0.0/banks/${bankId}/customers/customer-number`, { as: admin, body: { customer_number: customer.customer_number } }),
      () => call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: admin, body: { user_id: uniqueId('u'), customer_id: customer.customer_id } }),
      () => call('POST', `${c}/messages`, { as: admin, body: V4_BODY }),
      () => call('POST', `/obp/v5.0.0/banks/${bankId}/customer/${customer.customer_id}/messages`, { as: admin, body: V14_BODY }),
      () => call('GET', `${c}/messages`, { as: admin }),
      () => call('GET', `/obp/v5.0.0/banks/${bankId}/customer/messages`, { as: holder }),
    ];
    const seen: string[] = [];
    for (const request of requests) {
      const { res, calls } = await recorded(request);
      expect(res.status).toBeLessThan(300);
      seen.push(...actions(calls));
    }
    expect(seen.length).toBeGreaterThan(requests.length);
    expect(seen.filter((a) => /Scan/.test(a))).toEqual([]);
  });
});
