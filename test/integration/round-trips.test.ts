// DynamoDB calls per operation (docs/design.md, "Bars"): every operation of the operations list, its calls in
// order and which of them go out together, counted by instrumenting the real document client. The same minimums
// as the benchmark's round-trip table (bench/round-trips.ts), pinned in npm test.
import { documentClient } from '../../functions/data/table-client';
import { bankKey, GSI1 } from '../../functions/data/keys';
import { forgetKnownBanks, loadRequestContext } from '../../functions/data/request-context-repository';
import { OPERATIONS, takesIdempotencyKey } from '../../functions/common/operations';
import { STAFF_ROLES } from '../../bench/workload';
import { call, type ApiResponse } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, newCustomer, SUPER_ADMIN, uniqueId, userWith } from '../support/fixtures';

jest.setTimeout(180_000);

interface DynamoCall {
  /** The DynamoDB API action, e.g. BatchGetItem. */
  action: string;
  indexName?: string;
  consistent?: boolean;
  /** BatchGetItem: the partition keys it asked for. */
  keys?: string[];
  start: number;
  end: number;
}

const RECORDER = 'roundTripRecorder';

/** Runs `request` with a recorder on the document client and returns its response and the DynamoDB calls it made. */
const recorded = async (request: () => Promise<ApiResponse>): Promise<{ res: ApiResponse; calls: DynamoCall[] }> => {
  const calls: DynamoCall[] = [];
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { IndexName?: string; ConsistentRead?: boolean; RequestItems?: Record<string, { Keys: { PK: string }[] }> };
      const entry: DynamoCall = {
        action: String(context.commandName).replace(/Command$/, ''),
        indexName: input.IndexName,
        consistent: input.ConsistentRead,
        keys: input.RequestItems ? Object.values(input.RequestItems).flatMap((r) => r.Keys.map((k) => k.PK)) : undefined,
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

/**
 * The calls make exactly these steps, in order: every call of a step starts after every call of the step before
 * ended, and the calls of one step (more than one) were in flight together.
 */
const expectSteps = (calls: DynamoCall[], steps: string[][]) => {
  expect(actions(calls)).toEqual(steps.flat());
  let at = 0;
  let previousEnd = -Infinity;
  for (const step of steps) {
    const group = calls.slice(at, at + step.length);
    at += step.length;
    for (const c of group) expect(c.start).toBeGreaterThanOrEqual(previousEnd);
    if (group.length > 1) expect(Math.max(...group.map((c) => c.start))).toBeLessThan(Math.min(...group.map((c) => c.end)));
    previousEnd = Math.max(...group.map((c) => c.end));
  }
};

const V4_BODY = { message: 'hello', transport: 'SMS', from_department: 'Open Bank', from_person: 'Tom' };
const V14_BODY = { message: 'hello', from_department: 'Cards', from_person: 'Ann' };

const ok = (res: ApiResponse, status = 200): ApiResponse => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
};

interface World {
  bankId: string;
  staff: string;
  revoker: string;
  me: string;
  c1: Record<string, any>;
  c2: Record<string, any>;
  updated: Record<string, any>;
}

let world: World;

const link = async (userId: string, customerId: string): Promise<string> =>
  ok(await call('POST', `/obp/v5.0.0/banks/${world.bankId}/user_customer_links`, { as: world.staff, body: { user_id: userId, customer_id: customerId } }), 201)
    .body.user_customer_link_id;

beforeAll(async () => {
  const bankId = await newBank();
  // The bench's member of staff (every bank role the operations need), who may also create banks.
  const staff = await userWith(bankId, ...STAFF_ROLES, 'CanCreateBank');

  world = {
    bankId,
    staff,
    revoker: await userWith(bankId, 'CanDeleteEntitlementAtOneBank'),
    me: uniqueId('me-'),
    c1: await newCustomer(bankId),
    c2: await newCustomer(bankId),
    updated: await newCustomer(bankId),
  };
  await link(world.me, world.c1.customer_id);
  await link(world.me, world.c2.customer_id);
  for (const c of [world.c1, world.c2]) {
    ok(await call('POST', `/obp/v5.0.0/banks/${bankId}/customers/${c.customer_id}/messages`, { as: staff, body: V4_BODY }), 201);
  }
});

interface Request {
  method: string;
  path: string;
  as?: string;
  body?: unknown;
}

interface Pinned {
  /** A fresh request (its setup done, not measured). */
  request: () => Promise<Request>;
  status: number;
  /** The steps of a warm request (the function has seen the bank). */
  steps: string[][];
  /** With an Idempotency-Key, first attempt: the write becomes a transaction with the record, nothing else changes. */
  keyed?: string[][];
}

const b = () => `/obp/v5.0.0/banks/${world.bankId}`;
const WRITE_WITH_KEY = [['BatchGetItem'], ['TransactWriteItems']];
const update = (field: string, body: () => unknown): Pinned => ({
  request: async () => ({ method: 'PUT', path: `${b()}/customers/${world.updated.customer_id}/${field}`, as: world.staff, body: body() }),
  status: 200,
  steps: [['BatchGetItem'], ['UpdateItem']],
  keyed: WRITE_WITH_KEY,
});
const list = (path: () => string, query = 'Query'): Pinned => ({
  request: async () => ({ method: 'GET', path: path(), as: world.staff }),
  status: 200,
  steps: [['BatchGetItem'], [query]],
});

/** Every operation of the operations list: its warm calls, step by step (and with a key, for those that take one). */
const PINNED: Record<string, Pinned> = {
  root: { request: async () => ({ method: 'GET', path: '/obp/v5.0.0/root' }), status: 200, steps: [] },
  createBank: {
    request: async () => ({ method: 'POST', path: '/obp/v5.0.0/banks', as: world.staff, body: { id: uniqueId('rt'), bank_code: 'X' } }),
    status: 201,
    steps: [['BatchGetItem'], ['TransactWriteItems']],
    keyed: WRITE_WITH_KEY,
  },
  // A bank the function has seen is not read again: banks are immutable.
  getBank: { request: async () => ({ method: 'GET', path: b() }), status: 200, steps: [] },
  addEntitlement: {
    request: async () => ({ method: 'POST', path: `/obp/v5.0.0/users/${uniqueId('u')}/entitlements`, as: world.staff, body: { bank_id: world.bankId, role_name: 'CanGetCustomer' } }),
    status: 201,
    steps: [['BatchGetItem'], ['TransactWriteItems']],
    keyed: WRITE_WITH_KEY,
  },
  getEntitlements: list(() => `/obp/v5.0.0/users/${world.staff}/entitlements`),
  getCurrentUser: { request: async () => ({ method: 'GET', path: '/obp/v5.0.0/users/current', as: world.staff }), status: 200, steps: [['Query']] },
  createCustomer: {
    request: async () => ({ method: 'POST', path: `${b()}/customers`, as: world.staff, body: MINIMAL_CUSTOMER }),
    status: 201,
    steps: [['BatchGetItem'], ['TransactWriteItems']],
    keyed: WRITE_WITH_KEY,
  },
  addCustomerMessage: {
    request: async () => ({ method: 'POST', path: `${b()}/customer/${world.c1.customer_id}/messages`, as: world.staff, body: V14_BODY }),
    status: 201,
    steps: [['BatchGetItem'], ['PutItem']],
    keyed: WRITE_WITH_KEY,
  },
  createCustomerMessage: {
    request: async () => ({ method: 'POST', path: `${b()}/customers/${world.c1.customer_id}/messages`, as: world.staff, body: V4_BODY }),
    status: 201,
    steps: [['BatchGetItem'], ['PutItem']],
    keyed: WRITE_WITH_KEY,
  },
  getCustomerMessages: list(() => `${b()}/customers/${world.c1.customer_id}/messages`),
  // No role and a known bank: nothing to read before the caller's links (one Query), then one Query per linked customer.
  getMyMessages: { request: async () => ({ method: 'GET', path: `${b()}/customer/messages`, as: world.me }), status: 200, steps: [['Query'], ['Query', 'Query']] },
  getCustomerById: { request: async () => ({ method: 'GET', path: `${b()}/customers/${world.c1.customer_id}`, as: world.staff }), status: 200, steps: [['BatchGetItem']] },
  getCustomerByNumber: {
    request: async () => ({ method: 'POST', path: `${b()}/customers/customer-number`, as: world.staff, body: { customer_number: world.c1.customer_number } }),
    status: 200,
    steps: [['BatchGetItem'], ['GetItem']],
  },
  createUserCustomerLink: {
    request: async () => ({ method: 'POST', path: `${b()}/user_customer_links`, as: world.staff, body: { user_id: uniqueId('u'), customer_id: world.c2.customer_id } }),
    status: 201,
    steps: [['BatchGetItem'], ['GetItem'], ['TransactWriteItems']],
    keyed: [['BatchGetItem'], ['GetItem'], ['TransactWriteItems']],
  },
  updateCustomerNumber: { ...update('number', () => ({ customer_number: uniqueId('n') })), steps: WRITE_WITH_KEY },
  updateCustomerEmail: update('email', () => ({ email: `${uniqueId('e')}@example.com` })),
  updateCustomerMobileNumber: update('mobile-number', () => ({ mobile_phone_number: `+44 ${Date.now()}` })),
  updateCustomerIdentity: update('identity', () => ({ legal_name: uniqueId('Name '), date_of_birth: '1985-03-09T00:00:00Z', title: 'Dr.', name_suffix: 'Sr' })),
  updateCustomerCreditLimit: update('credit-limit', () => ({ credit_limit: { currency: 'EUR', amount: String(Date.now() % 10_000) } })),
  updateCustomerCreditRatingAndSource: update('credit-rating-and-source', () => ({ credit_rating: 'Good', credit_source: uniqueId('src') })),
  updateCustomerBranch: update('branch', () => ({ branch_id: uniqueId('br') })),
  updateCustomerData: update('data', () => ({
    face_image: { url: uniqueId('www.example.com/'), date: '2017-09-19T00:00:00Z' },
    relationship_status: 'married',
    dependants: 0,
    highest_education_attained: 'Bachelor',
    employment_status: 'employed',
  })),
  // The bank's customer index has 16 shards: one Query each, all at once.
  getCustomersAtOneBank: { ...list(() => `${b()}/customers`), steps: [['BatchGetItem'], Array(16).fill('Query')] },
  getCustomersMinimalAtOneBank: { ...list(() => `${b()}/customers-minimal`), steps: [['BatchGetItem'], Array(16).fill('Query')] },
  // Held at the bank only: the caller's roles at the entitlement's bank can be read only once the entitlement is.
  deleteEntitlement: {
    request: async () => {
      const userId = uniqueId('revoked-');
      const granted = ok(await call('POST', `/obp/v5.0.0/users/${userId}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: world.bankId, role_name: 'CanGetCustomer' } }), 201);
      return { method: 'DELETE', path: `/obp/v5.0.0/users/${userId}/entitlement/${granted.body.entitlement_id}`, as: world.revoker };
    },
    status: 204,
    steps: [['BatchGetItem'], ['BatchGetItem'], ['TransactWriteItems']],
  },
  getEntitlementsForBank: list(() => `${b()}/entitlements`),
  deleteUserCustomerLink: {
    request: async () => ({ method: 'DELETE', path: `${b()}/user_customer_links/${await link(uniqueId('u'), world.c2.customer_id)}`, as: world.staff }),
    status: 200,
    steps: [['BatchGetItem'], ['TransactWriteItems']],
  },
  getUserCustomerLinksByUserId: list(() => `${b()}/user_customer_links/users/${world.me}`),
  getUserCustomerLinksByCustomerId: list(() => `${b()}/user_customer_links/customers/${world.c1.customer_id}`),
};

/** `BatchGetItem → Query ×16`: steps for a test's title. */
const stepsTitle = (steps: string[][]): string =>
  steps.length === 0 ? 'no call' : steps.map((s) => (s.length > 1 ? `${s[0]} ×${s.length}` : s[0])).join(' → ');

/** Sends the request as a function that has seen the bank (or, `cold`, has not). */
const measure = async (r: Request, options: { cold?: boolean; headers?: Record<string, string> } = {}) => {
  if (options.cold) forgetKnownBanks();
  else await loadRequestContext({ bankId: world.bankId, roles: [] });
  return recorded(() => call(r.method, r.path, { as: r.as, body: r.body, headers: options.headers }));
};

describe('DynamoDB round trips per operation', () => {
  it('pins every operation of the operations list, and only those', () => {
    expect(Object.keys(PINNED).sort()).toEqual(OPERATIONS.map((o) => o.name).sort());
    expect(OPERATIONS.filter(takesIdempotencyKey).map((o) => o.name).sort()).toEqual(Object.keys(PINNED).filter((n) => PINNED[n]!.keyed).sort());
  });

  describe.each(OPERATIONS.map((o) => o.name))('%s', (operation) => {
    const pinned = PINNED[operation]!;

    it(`warm: ${stepsTitle(pinned.steps)}`, async () => {
      const { res, calls } = await measure(await pinned.request());
      expect(res.status).toBe(pinned.status);
      expectSteps(calls, pinned.steps);
      // The context read holds no bank key once the function knows the bank.
      for (const c of calls.filter((x) => x.action === 'BatchGetItem')) expect(c.keys).not.toContain(bankKey(world.bankId).PK);
    });

    if (pinned.keyed) {
      it(`with an Idempotency-Key: ${stepsTitle(pinned.keyed!)}; the replay: BatchGetItem alone`, async () => {
        const request = await pinned.request();
        const headers = { 'idempotency-key': uniqueId('key-') };
        const first = await measure(request, { headers });
        expect(first.res.status).toBe(pinned.status);
        expectSteps(first.calls, pinned.keyed!);
        expect(pinned.keyed!.length).toBe(pinned.steps.length);
        const replay = await measure(request, { headers });
        expect(replay.res.status).toBe(pinned.status);
        expect(replay.res.headers['idempotent-replayed']).toBe('true');
        expect(replay.res.body).toEqual(first.res.body);
        expectSteps(replay.calls, [['BatchGetItem']]);
      });
    }
  });

  it('cold: the bank joins the one context read; where there was none, it is the one round trip more', async () => {
    const customers = await measure(await PINNED.createCustomer!.request(), { cold: true });
    expect(customers.res.status).toBe(201);
    expectSteps(customers.calls, [['BatchGetItem'], ['TransactWriteItems']]);
    expect(customers.calls[0]!.keys).toContain(bankKey(world.bankId).PK);

    const bank = await measure(await PINNED.getBank!.request(), { cold: true });
    expect(bank.res.status).toBe(200);
    expectSteps(bank.calls, [['BatchGetItem']]);

    const mine = await measure(await PINNED.getMyMessages!.request(), { cold: true });
    expect(mine.res.status).toBe(200);
    expectSteps(mine.calls, [['BatchGetItem'], ['Query'], ['Query', 'Query']]);
    expect(mine.calls[0]!.keys).toEqual([bankKey(world.bankId).PK]);
  });

  it('a bank that does not exist is read on every request (never remembered)', async () => {
    const missing = uniqueId('nobank');
    for (let i = 0; i < 2; i++) {
      const { res, calls } = await recorded(() => call('GET', `/obp/v5.0.0/banks/${missing}`));
      expect(res.status).toBe(404);
      expectSteps(calls, [['BatchGetItem']]);
    }
  });

  it('getMyMessages reads the links strongly consistently on the table, then each customer on the table', async () => {
    const { calls } = await measure(await PINNED.getMyMessages!.request());
    expect(calls.map((c) => [c.indexName, c.consistent])).toEqual([
      [undefined, true],
      [undefined, true],
      [undefined, true],
    ]);
  });

  it('the lists over an index query GSI1; the others the table', async () => {
    for (const operation of ['getCustomersAtOneBank', 'getEntitlementsForBank']) {
      const { calls } = await measure(await PINNED[operation]!.request());
      for (const q of calls.filter((c) => c.action === 'Query')) expect(q.indexName).toBe(GSI1);
    }
    for (const operation of ['getCustomerMessages', 'getEntitlements', 'getUserCustomerLinksByUserId', 'getUserCustomerLinksByCustomerId']) {
      const { calls } = await measure(await PINNED[operation]!.request());
      expect(calls.filter((c) => c.action === 'Query').map((q) => q.indexName)).toEqual([undefined]);
    }
  });

  it('deleteEntitlement by a super admin: the entitlement and the delete, no second read', async () => {
    const userId = uniqueId('revoked-');
    const granted = ok(await call('POST', `/obp/v5.0.0/users/${userId}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: world.bankId, role_name: 'CanGetCustomer' } }), 201);
    const { res, calls } = await measure({ method: 'DELETE', path: `/obp/v5.0.0/users/${userId}/entitlement/${granted.body.entitlement_id}`, as: SUPER_ADMIN });
    expect(res.status).toBe(204);
    expectSteps(calls, [['BatchGetItem'], ['TransactWriteItems']]);
  });

  it('createCustomer with a given number, and a refused duplicate: still 2 calls each', async () => {
    const body = { ...MINIMAL_CUSTOMER, customer_number: uniqueId('rt-') };
    const first = await measure({ method: 'POST', path: `${b()}/customers`, as: world.staff, body });
    expect(first.res.status).toBe(201);
    expectSteps(first.calls, [['BatchGetItem'], ['TransactWriteItems']]);
    const duplicate = await measure({ method: 'POST', path: `${b()}/customers`, as: world.staff, body });
    expect(duplicate.res.status).toBe(400);
    expectSteps(duplicate.calls, [['BatchGetItem'], ['TransactWriteItems']]);
  });

  it('createCustomer refusals: 401 makes no call; 404, 403 and 400 only the one BatchGetItem', async () => {
    const noRole = uniqueId('user-');
    const path = `${b()}/customers`;
    const anonymous = await recorded(() => call('POST', path, { body: MINIMAL_CUSTOMER }));
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.calls).toEqual([]);

    const cases: Array<[number, Request]> = [
      [404, { method: 'POST', path: `/obp/v5.0.0/banks/${uniqueId('nobank')}/customers`, as: noRole, body: MINIMAL_CUSTOMER }],
      [403, { method: 'POST', path, as: noRole, body: MINIMAL_CUSTOMER }],
      [400, { method: 'POST', path, as: world.staff, body: { legal_name: 'x' } }],
      [400, { method: 'POST', path, as: world.staff, body: { ...MINIMAL_CUSTOMER, dependants: 2 } }],
    ];
    for (const [status, request] of cases) {
      const { res, calls } = await measure(request);
      expect(res.status).toBe(status);
      expect(actions(calls)).toEqual(['BatchGetItem']);
    }
  });

  it('addCustomerMessage to a customer nobody is linked to: refused after the one BatchGetItem', async () => {
    const lonely = await newCustomer(world.bankId);
    const { res, calls } = await measure({ method: 'POST', path: `${b()}/customer/${lonely.customer_id}/messages`, as: world.staff, body: V14_BODY });
    expect(res.status).toBe(400);
    expect(actions(calls)).toEqual(['BatchGetItem']);
  });

  it('a replayed Idempotency-Key with another body: 422 after the one BatchGetItem, nothing written', async () => {
    const headers = { 'idempotency-key': uniqueId('key-') };
    const path = `${b()}/customers/${world.c1.customer_id}/messages`;
    ok(await call('POST', path, { as: world.staff, body: V4_BODY, headers }), 201);
    const { res, calls } = await measure({ method: 'POST', path, as: world.staff, body: { ...V4_BODY, message: 'other' } }, { headers });
    expect(res.status).toBe(422);
    expect(actions(calls)).toEqual(['BatchGetItem']);
  });
});
