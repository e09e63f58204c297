// Who did what (docs/design.md, "Revocation" and "Audit"): the records carry the acting user
// and time, and every successful write logs exactly one structured audit line with the platform's request id and the
// ids it touched, and no personal data. Refused, replayed and failed requests log none.
// First: the functions' logger takes its level when loaded (imports run before this file's statements).
import '../support/log-level-info';
import { randomBytes } from 'node:crypto';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { bankKey, customerKey, entitlementByIdKey, entitlementKey, linkByIdKey, linkKey, MESSAGE_SK_PREFIX, userLinkKey } from '../../functions/data/keys';
import { documentClient, tableName } from '../../functions/data/table-client';
import { OPERATIONS, writes, type Operation } from '../../functions/common/operations';
import { call, type ApiResponse } from '../support/api';
import { grant, MINIMAL_CUSTOMER, newBank, newCustomer, SUPER_ADMIN, uniqueId, userWith } from '../support/fixtures';
import { allowedCaller, bearer, buildWorld, invoke as invokeOp, validRequest, type World } from '../reliability/harness';

jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Line = Record<string, any>;

/**
 * The functions' log lines (JSON of service obp-person-api, on stdout or stderr) are kept while a capture runs and
 * dropped otherwise (the fixtures' requests log too); everything else passes through.
 */
let capturing: string[] | undefined;
const isFunctionLog = (text: string) => text.startsWith('{') && text.includes('"service":"obp-person-api"');
const spies: jest.SpyInstance[] = [];
beforeAll(() => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
    spies.push(
      jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const text = String(chunk);
        if (!isFunctionLog(text)) return write(chunk, ...rest);
        capturing?.push(text);
        return true;
      }) as typeof stream.write),
    );
  }
});
afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

/** Every log line the functions write while `run` runs, parsed, and their text. */
const captureLogs = async <T>(run: () => Promise<T>): Promise<{ result: T; lines: Line[]; text: string }> => {
  const chunks: string[] = [];
  capturing = chunks;
  try {
    const result = await run();
    const text = chunks.join('');
    return { result, text, lines: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line) };
  } finally {
    capturing = undefined;
  }
};

const audits = (lines: Line[]) => lines.filter((l) => l.message === 'audit');

/** Distinct personal values: none of them may appear in any log line. */
const personal = () => {
  const tag = randomBytes(4).toString('hex');
  return {
    legalName: `Zoë Auditname-${tag}`,
    email: `zoe.${tag}@example.com`,
    phone: `+44 7700 9${parseInt(tag, 16) % 100000}`,
    message: `Your statement is ready, Zoë ${tag}`,
    fromPerson: `Agent Smith-${tag}`,
    customerNumber: `CN-${tag}`,
  };
};

const messageIds = async (customerId: string): Promise<string[]> => {
  const out = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': customerKey(customerId).PK, ':prefix': MESSAGE_SK_PREFIX },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => i.messageId as string);
};

const getItem = async (Key: { PK: string; SK: string }) => (await documentClient().send(new GetCommand({ TableName: tableName(), Key, ConsistentRead: true }))).Item;

/** A customer of a fresh bank, linked to a fresh user (what addCustomerMessage needs). */
const linkedCustomer = async () => {
  const bankId = await newBank();
  const customer = await newCustomer(bankId);
  const linked = uniqueId('linked-');
  const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
  const res = await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: linked, customer_id: customer.customer_id } });
  if (res.status !== 201) throw new Error('link failed');
  return { bankId, customerId: customer.customer_id as string, linked, linkId: res.body.user_customer_link_id as string };
};

interface Scenario {
  actor: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  /** The ids the audit line must name, from what the test set up and the answer (and the table, for message ids). */
  expected: (res: ApiResponse) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

type Values = ReturnType<typeof personal>;

/** A customer update: PUT …/<suffix> by a holder of `role`, changing `fields`. */
const update = (suffix: string, role: string, body: (v: Values) => unknown, fields: string[]) => async (v: Values): Promise<Scenario> => {
  const bankId = await newBank();
  const customerId = (await newCustomer(bankId, { legal_name: v.legalName, mobile_phone_number: v.phone, email: v.email })).customer_id as string;
  const actor = await userWith(bankId, role);
  return {
    actor,
    method: 'PUT',
    path: `/obp/v5.0.0/banks/${bankId}/customers/${customerId}/${suffix}`,
    body: body(v),
    status: 200,
    expected: () => ({ bank_id: bankId, customer_id: customerId, fields }),
  };
};

/** One successful request per writing operation. */
const SCENARIOS: Record<string, (v: Values) => Promise<Scenario>> = {
  createBank: async () => {
    const actor = uniqueId('creator-');
    await grant(actor, 'CanCreateBank');
    const bankId = uniqueId('bk');
    // The creator's grants at the new bank are written with it, so the line names them too (an access review from the logs).
    const grantsOfCreator = async () => {
      const me = await call('GET', '/obp/v5.0.0/users/current', { as: actor });
      return (me.body.entitlements.list as { entitlement_id: string; role_name: string; bank_id: string }[])
        .filter((e) => e.bank_id === bankId)
        .map((e) => ({ user_id: actor, role_name: e.role_name, entitlement_id: e.entitlement_id }))
        .sort((a, b) => a.role_name.localeCompare(b.role_name));
    };
    return {
      actor,
      method: 'POST',
      path: '/obp/v5.0.0/banks',
      body: { id: bankId, bank_code: 'AUD', full_name: 'Audit Bank' },
      status: 201,
      expected: async () => ({ bank_id: bankId, grants: await grantsOfCreator() }),
    };
  },
  addEntitlement: async () => {
    const bankId = await newBank();
    const target = uniqueId('target-');
    return {
      actor: SUPER_ADMIN,
      method: 'POST',
      path: `/obp/v5.0.0/users/${target}/entitlements`,
      body: { bank_id: bankId, role_name: 'CanGetCustomer' },
      status: 201,
      expected: (res) => ({ user_id: target, role_name: 'CanGetCustomer', bank_id: bankId, entitlement_id: res.body.entitlement_id }),
    };
  },
  createCustomer: async (v) => {
    const bankId = await newBank();
    const actor = await userWith(bankId, 'CanCreateCustomer');
    return {
      actor,
      method: 'POST',
      path: `/obp/v5.0.0/banks/${bankId}/customers`,
      body: { legal_name: v.legalName, mobile_phone_number: v.phone, email: v.email, customer_number: v.customerNumber },
      status: 201,
      expected: (res) => ({ bank_id: bankId, customer_id: res.body.customer_id }),
    };
  },
  addCustomerMessage: async (v) => {
    const { bankId, customerId } = await linkedCustomer();
    const actor = await userWith(bankId, 'CanCreateCustomerMessage');
    return {
      actor,
      method: 'POST',
      path: `/obp/v1.4.0/banks/${bankId}/customer/${customerId}/messages`,
      body: { message: v.message, from_department: 'Statements', from_person: v.fromPerson },
      status: 201,
      expected: async () => ({ bank_id: bankId, customer_id: customerId, message_id: (await messageIds(customerId))[0] }),
    };
  },
  createCustomerMessage: async (v) => {
    const bankId = await newBank();
    const customerId = (await newCustomer(bankId)).customer_id as string;
    const actor = await userWith(bankId, 'CanCreateCustomerMessage');
    return {
      actor,
      method: 'POST',
      path: `/obp/v4.0.0/banks/${bankId}/customers/${customerId}/messages`,
      body: { message: v.message, transport: 'SMS', from_department: 'Statements', from_person: v.fromPerson },
      status: 201,
      expected: async () => ({ bank_id: bankId, customer_id: customerId, message_id: (await messageIds(customerId))[0] }),
    };
  },
  createUserCustomerLink: async () => {
    const bankId = await newBank();
    const customerId = (await newCustomer(bankId)).customer_id as string;
    const actor = await userWith(bankId, 'CanCreateUserCustomerLink');
    const userId = uniqueId('user-');
    return {
      actor,
      method: 'POST',
      path: `/obp/v5.0.0/banks/${bankId}/user_customer_links`,
      body: { user_id: userId, customer_id: customerId },
      status: 201,
      expected: (res) => ({ bank_id: bankId, customer_id: customerId, user_id: userId, user_customer_link_id: res.body.user_customer_link_id }),
    };
  },
  updateCustomerNumber: update('number', 'CanUpdateCustomerNumber', (v) => ({ customer_number: `${v.customerNumber}-new` }), ['customer_number']),
  updateCustomerEmail: update('email', 'CanUpdateCustomerEmail', (v) => ({ email: `new.${v.email}` }), ['email']),
  updateCustomerMobileNumber: update('mobile-number', 'CanUpdateCustomerMobilePhoneNumber', (v) => ({ mobile_phone_number: `${v.phone}1` }), ['mobile_phone_number']),
  updateCustomerIdentity: update(
    'identity',
    'CanUpdateCustomerIdentity',
    (v) => ({ legal_name: `${v.legalName} Jr`, date_of_birth: '1990-01-02', title: 'Ms', name_suffix: 'Jr' }),
    ['legal_name', 'date_of_birth', 'title', 'name_suffix'],
  ),
  updateCustomerCreditLimit: update('credit-limit', 'CanUpdateCustomerCreditLimit', () => ({ credit_limit: { currency: 'EUR', amount: '1000' } }), ['credit_limit']),
  updateCustomerCreditRatingAndSource: update(
    'credit-rating-and-source',
    'CanUpdateCustomerCreditRatingAndSource',
    () => ({ credit_rating: 'Good', credit_source: 'Bureau' }),
    ['credit_rating'],
  ),
  updateCustomerBranch: update('branch', 'CanUpdateCustomerBranch', () => ({ branch_id: 'DERBY6' }), ['branch_id']),
  updateCustomerData: update(
    'data',
    'CanUpdateCustomerData',
    () => ({ face_image: { url: 'www.example.com/face.png', date: '2024-01-01' }, relationship_status: 'married', dependants: 0, highest_education_attained: 'Bachelor', employment_status: 'employed' }),
    ['face_image', 'relationship_status', 'dependants', 'highest_education_attained', 'employment_status'],
  ),
  deleteEntitlement: async () => {
    const bankId = await newBank();
    const staff = uniqueId('staff-');
    const granted = await call('POST', `/obp/v5.0.0/users/${staff}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: 'CanGetCustomer' } });
    const actor = await userWith(bankId, 'CanDeleteEntitlementAtOneBank');
    const entitlementId = granted.body.entitlement_id as string;
    return {
      actor,
      method: 'DELETE',
      path: `/obp/v5.0.0/users/${staff}/entitlement/${entitlementId}`,
      status: 204,
      expected: () => ({ user_id: staff, role_name: 'CanGetCustomer', bank_id: bankId, entitlement_id: entitlementId }),
    };
  },
  deleteUserCustomerLink: async () => {
    const { bankId, customerId, linked, linkId } = await linkedCustomer();
    const actor = await userWith(bankId, 'CanDeleteUserCustomerLink');
    return {
      actor,
      method: 'DELETE',
      path: `/obp/v5.0.0/banks/${bankId}/user_customer_links/${linkId}`,
      status: 200,
      expected: () => ({ bank_id: bankId, customer_id: customerId, user_id: linked, user_customer_link_id: linkId }),
    };
  },
};

const WRITING = OPERATIONS.filter(writes).map((op) => op.name);
let auditLinesCounted = 0;

afterAll(() => {
  process.stdout.write(`audit lines counted: ${auditLinesCounted}\n`);
});

describe('one audit line per successful write', () => {
  it('covers every operation that writes', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual([...WRITING].sort());
  });

  it.each(Object.keys(SCENARIOS))(
    '%s: exactly one {"message":"audit","audit":{actor, operation, request_id, …ids}} line, under the platform’s request id, with no personal data',
    async (name) => {
      const values = personal();
      const scenario = await (SCENARIOS[name] as (v: Values) => Promise<Scenario>)(values);
      const clientRequestId = uniqueId('client-req-');
      const { result: res, lines, text } = await captureLogs(() =>
        call(scenario.method, scenario.path, { as: scenario.actor, body: scenario.body, headers: { 'x-request-id': clientRequestId } }),
      );
      expect(res.status).toBe(scenario.status);
      const requestId = res.headers['x-request-id'] as string;
      expect(requestId).toMatch(UUID);
      expect(requestId).not.toBe(clientRequestId);

      const found = audits(lines);
      auditLinesCounted += found.length;
      expect(found).toHaveLength(1);
      expect(found[0]?.audit).toEqual({ actor: scenario.actor, operation: name, request_id: requestId, ...(await scenario.expected(res)) });
      expect(found[0]).toMatchObject({ level: 'INFO', correlation_id: requestId, client_request_id: clientRequestId, operation: name, user_id: scenario.actor });
      // Every line of the request: the platform's id as correlation id, the caller's beside it, never instead of it.
      for (const line of lines) {
        expect(line.correlation_id).toBe(requestId);
        expect(line.client_request_id).toBe(clientRequestId);
      }
      expect(text).not.toContain(`"correlation_id":"${clientRequestId}"`);
      for (const value of Object.values(values)) expect(text).not.toContain(value);
    },
  );

  it('a refused request logs no audit line: 401, 403, 404, 400 body, 400 business rule', async () => {
    const bankId = await newBank();
    const creator = await userWith(bankId, 'CanCreateCustomer');
    const v = personal();
    const body = { legal_name: v.legalName, mobile_phone_number: v.phone, email: v.email, customer_number: v.customerNumber };
    expect((await call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: creator, body })).status).toBe(201);
    const refusals: [number, () => Promise<ApiResponse>][] = [
      [401, () => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { body })],
      [403, () => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: uniqueId('nobody-'), body })],
      [404, () => call('POST', '/obp/v5.0.0/banks/no-such-bank/customers', { as: creator, body })],
      [400, () => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: creator, body: { ...body, email: 42 } })],
      // The customer number is taken: a business rule refuses it.
      [400, () => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: creator, body })],
    ];
    for (const [status, send] of refusals) {
      const { result, lines, text } = await captureLogs(send);
      expect(result.status).toBe(status);
      expect(audits(lines)).toEqual([]);
      expect(lines).toContainEqual(expect.objectContaining({ message: 'request refused', status }));
      for (const value of Object.values(v)) expect(text).not.toContain(value);
    }
  });

  it('an Idempotency-Key replay writes nothing and logs no audit line; the first attempt logs one', async () => {
    const bankId = await newBank();
    const creator = await userWith(bankId, 'CanCreateCustomer');
    const key = uniqueId('key-');
    const send = () => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: creator, body: MINIMAL_CUSTOMER, headers: { 'idempotency-key': key } });
    const first = await captureLogs(send);
    expect(first.result.status).toBe(201);
    expect(audits(first.lines)).toHaveLength(1);
    const replay = await captureLogs(send);
    expect(replay.result.headers['idempotent-replayed']).toBe('true');
    expect(replay.result.body).toEqual(first.result.body);
    expect(audits(replay.lines)).toEqual([]);
    expect(replay.lines).toContainEqual(expect.objectContaining({ message: 'request replayed', correlation_id: replay.result.headers['x-request-id'] }));
  });

  describe('reads log no audit line', () => {
    let world: World;
    beforeAll(async () => {
      world = await buildWorld();
    });
    const READS = OPERATIONS.filter((op) => !writes(op));

    it.each(READS.map((op) => [op.name, op] as const))('%s', async (_, op: Operation) => {
      const request = await validRequest(op, world);
      const authorization = op.auth ? await bearer(await allowedCaller(op, world)) : undefined;
      const { result, lines } = await captureLogs(() => invokeOp(op, { ...request, authorization }));
      expect(result.status).toBe(op.response.status);
      expect(audits(lines)).toEqual([]);
      expect(lines).toContainEqual(expect.objectContaining({ message: 'request completed' }));
    });
  });

  it('a failed write (DynamoDB fault): 500 OBP-50000 with the platform’s request id, logged under it, and no audit line', async () => {
    const bankId = await newBank();
    const creator = await userWith(bankId, 'CanCreateCustomer');
    const v = personal();
    // The reads reach DynamoDB Local; the write fails as a throttled DynamoDB would fail it.
    const realSend = DynamoDBDocumentClient.prototype.send as (this: DynamoDBDocumentClient, command: unknown) => Promise<unknown>;
    const mock = mockClient(DynamoDBDocumentClient);
    mock.on(BatchGetCommand).callsFake((input, getClient) => realSend.call(getClient(), new BatchGetCommand(input)));
    mock.on(TransactWriteCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const clientRequestId = uniqueId('client-req-');
    try {
      const { result: res, lines, text } = await captureLogs(() =>
        call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, {
          as: creator,
          body: { legal_name: v.legalName, mobile_phone_number: v.phone, email: v.email },
          headers: { 'x-request-id': clientRequestId },
        }),
      );
      const requestId = res.headers['x-request-id'] as string;
      expect(requestId).toMatch(UUID);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ code: 500, message: `OBP-50000: Unknown Error. Request id: ${requestId}` });
      expect(res.body.message).not.toContain(clientRequestId);
      expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
      expect(audits(lines)).toEqual([]);
      expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'unexpected error', correlation_id: requestId, client_request_id: clientRequestId }));
      for (const value of Object.values(v)) expect(text).not.toContain(value);
    } finally {
      mock.restore();
    }
  });
});

describe('the records say who did what, and when', () => {
  /** The request's time window, to check a record's timestamp against. */
  const during = async <T>(run: () => Promise<T>): Promise<{ result: T; from: string; to: string }> => {
    const from = new Date().toISOString();
    const result = await run();
    return { result, from, to: new Date().toISOString() };
  };
  const within = (at: unknown, window: { from: string; to: string }) => {
    expect(typeof at).toBe('string');
    const time = at as string;
    expect({ at: time, inWindow: time >= window.from && time <= window.to }).toEqual({ at: time, inWindow: true });
  };
  const ACTOR_ATTRIBUTES = /createdBy|updatedBy|grantedBy|postedBy/;

  it('bank: createdBy; the creator’s own grants: grantedBy the creator', async () => {
    const creator = uniqueId('creator-');
    await grant(creator, 'CanCreateBank');
    const bankId = uniqueId('bk');
    const made = await during(() => call('POST', '/obp/v5.0.0/banks', { as: creator, body: { id: bankId, bank_code: 'WHO' } }));
    expect(made.result.status).toBe(201);
    expect(JSON.stringify(made.result.body)).not.toMatch(ACTOR_ATTRIBUTES);
    const bank = await getItem(bankKey(bankId));
    expect(bank?.createdBy).toBe(creator);
    within(bank?.createdAt, made);
    const grantItem = await getItem(entitlementKey(creator, bankId, 'CanCreateEntitlementAtOneBank'));
    expect(grantItem?.grantedBy).toBe(creator);
  });

  it('entitlement: grantedBy (the super admin, or a bank admin) on both of its items', async () => {
    const bankId = await newBank();
    const bankAdmin = await userWith(bankId, 'CanCreateEntitlementAtOneBank');
    for (const granter of [SUPER_ADMIN, bankAdmin]) {
      const staff = uniqueId('staff-');
      const made = await during(() => call('POST', `/obp/v5.0.0/users/${staff}/entitlements`, { as: granter, body: { bank_id: bankId, role_name: 'CanGetCustomer' } }));
      expect(made.result.status).toBe(201);
      expect(JSON.stringify(made.result.body)).not.toMatch(ACTOR_ATTRIBUTES);
      for (const item of [await getItem(entitlementKey(staff, bankId, 'CanGetCustomer')), await getItem(entitlementByIdKey(made.result.body.entitlement_id))]) {
        expect(item?.grantedBy).toBe(granter);
        within(item?.createdAt, made);
      }
    }
  });

  it('customer: createdBy at creation; updatedBy and updatedAt after each kind of update (field, number, idempotent)', async () => {
    const bankId = await newBank();
    const creator = await userWith(bankId, 'CanCreateCustomer');
    const made = await during(() => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: creator, body: MINIMAL_CUSTOMER }));
    expect(JSON.stringify(made.result.body)).not.toMatch(ACTOR_ATTRIBUTES);
    const customerId = made.result.body.customer_id as string;
    let item = await getItem(customerKey(customerId));
    expect(item?.createdBy).toBe(creator);
    within(item?.createdAt, made);

    const emailEditor = await userWith(bankId, 'CanUpdateCustomerEmail');
    const numberEditor = await userWith(bankId, 'CanUpdateCustomerNumber');
    const branchEditor = await userWith(bankId, 'CanUpdateCustomerBranch');
    const base = `/obp/v5.0.0/banks/${bankId}/customers/${customerId}`;
    const updates: [string, string, unknown, Record<string, string>?][] = [
      [emailEditor, `${base}/email`, { email: 'a@example.com' }],
      [numberEditor, `${base}/number`, { customer_number: uniqueId('num-') }],
      [branchEditor, `${base}/branch`, { branch_id: 'B1' }, { 'idempotency-key': uniqueId('key-') }],
    ];
    for (const [editor, path, body, headers] of updates) {
      const changed = await during(() => call('PUT', path, { as: editor, body, headers }));
      expect(changed.result.status).toBe(200);
      expect(JSON.stringify(changed.result.body)).not.toMatch(ACTOR_ATTRIBUTES);
      item = await getItem(customerKey(customerId));
      expect({ createdBy: item?.createdBy, updatedBy: item?.updatedBy }).toEqual({ createdBy: creator, updatedBy: editor });
      within(item?.updatedAt, changed);
    }
  });

  it('link: createdBy on all three of its items', async () => {
    const bankId = await newBank();
    const customerId = (await newCustomer(bankId)).customer_id as string;
    const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
    const userId = uniqueId('user-');
    const made = await during(() => call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: userId, customer_id: customerId } }));
    expect(made.result.status).toBe(201);
    for (const key of [linkKey(customerId, userId), userLinkKey(userId, bankId, customerId), linkByIdKey(made.result.body.user_customer_link_id)]) {
      const item = await getItem(key);
      expect(item?.createdBy).toBe(linker);
      within(item?.dateInserted, made);
    }
  });

  it('message: postedBy, through both message posts', async () => {
    const { bankId, customerId } = await linkedCustomer();
    const v14 = await userWith(bankId, 'CanCreateCustomerMessage');
    const v4 = await userWith(bankId, 'CanCreateCustomerMessage');
    await call('POST', `/obp/v1.4.0/banks/${bankId}/customer/${customerId}/messages`, { as: v14, body: { message: 'one', from_department: 'd', from_person: 'p' } });
    await call('POST', `/obp/v4.0.0/banks/${bankId}/customers/${customerId}/messages`, { as: v4, body: { message: 'two', transport: 'SMS', from_department: 'd', from_person: 'p' } });
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': customerKey(customerId).PK, ':prefix': MESSAGE_SK_PREFIX },
        ConsistentRead: true,
      }),
    );
    expect((out.Items ?? []).map((i) => [i.message, i.postedBy]).sort()).toEqual([
      ['one', v14],
      ['two', v4],
    ]);
  });
});
