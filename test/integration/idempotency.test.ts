// Safe retries with Idempotency-Key (docs/design.md, "Retrying safely"; IETF draft-ietf-httpapi-idempotency-key-header):
// every POST and PUT that writes replays its first success byte for byte and changes nothing; the key is scoped to
// (user, operation, path); another body is 422; malformed keys are 400 in their place in the check order; refused
// requests store nothing; concurrent repeats write once; records expire after 24 hours; and a key costs no extra
// round trip. Against DynamoDB Local, on a private table so whole-table snapshots are exact.
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PARTITIONS } from '../../functions/data/keys';
import { documentClient } from '../../functions/data/table-client';
import { OPERATIONS, operationByName, takesIdempotencyKey, type Operation } from '../../functions/common/operations';
import { logger, metrics } from '../../functions/common/observability';
import { LOCAL_CREDENTIALS } from '../../local/dynamodb-local';
import { call } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, newCustomer, SUPER_ADMIN, uniqueId } from '../support/fixtures';
import { storedAtBank } from '../support/storage';
import { build, ofType } from '../support/template';
import {
  bearer,
  buildWorld,
  expectObpError,
  grantRoles,
  invoke,
  LOCAL_ENDPOINT,
  MESSAGE_V4,
  NOT_LOGGED_IN,
  snapshot,
  spyOnTable,
  tableChange,
  usePrivateTable,
  validRequest,
  type Request,
  type Response,
  type Snapshot,
  type TableChange,
  type World,
} from '../reliability/harness';

const table = usePrivateTable('idempotency');
jest.setTimeout(180_000);

const IDEMPOTENT = OPERATIONS.filter(takesIdempotencyKey);
const INVALID_KEY = 'OBP-10060: Invalid Idempotency-Key header.';
const KEY_REUSED = 'OBP-10061: The Idempotency-Key was already used for another request.';
const IN_PROGRESS = 'OBP-10062: A request with this Idempotency-Key is still in progress.';
const INVALID_JSON = 'OBP-10001: Incorrect json format.';
const DUPLICATE_NUMBER = 'OBP-30006: Customer Number already exists.';
const NO_CHANGE: TableChange = { added: [], removed: [], changed: [] };
const DAY_S = 24 * 3600;

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** An item id of the snapshot (harness keyId) that is an idempotency record. */
const isRecord = (id: string): boolean => id.startsWith(PARTITIONS.idempotency);
const recordsIn = (change: TableChange): string[] => [...change.added, ...change.changed].filter(isRecord);
const withoutRecords = (change: TableChange): TableChange => ({
  added: change.added.filter((k) => !isRecord(k)),
  removed: change.removed.filter((k) => !isRecord(k)),
  changed: change.changed.filter((k) => !isRecord(k)),
});
const sizes = (change: TableChange) => ({ added: change.added.length, removed: change.removed.length, changed: change.changed.length });
const itemOf = (shot: Snapshot, id: string): Record<string, any> => JSON.parse(shot.get(id) as string);

/** A user holding the operation's first role at bank A (system roles system-wide): may make its valid request. */
const callerFor = async (op: Operation): Promise<string> => {
  const user = uniqueId('caller-');
  await grantRoles(user, op.roles.slice(0, 1), world.bankA);
  return user;
};

const keyHeader = (key: string | undefined): Record<string, string> => (key === undefined ? {} : { 'idempotency-key': key });

/** The request as `user`, with the Idempotency-Key `key` when given. */
const send = async (op: Operation, request: Request, user: string, key?: string): Promise<Response> =>
  invoke(op, { ...request, authorization: await bearer(user), headers: { ...request.headers, ...keyHeader(key) } });

/** Runs `act` and returns its result and what it changed in the table. */
const changing = async <T>(act: () => Promise<T>): Promise<{ result: T; change: TableChange; before: Snapshot; after: Snapshot }> => {
  const before = await snapshot(table.name);
  const result = await act();
  const after = await snapshot(table.name);
  return { result, change: tableChange(before, after), before, after };
};

/** The same JSON value with every object's keys in reverse order, and other spacing. */
const reordered = (value: unknown): string => {
  const reverse = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse().map(([k, x]) => [k, reverse(x)]))
      : Array.isArray(v)
        ? v.map(reverse)
        : v;
  return `\n  ${JSON.stringify(reverse(value), null, 3)}\t\n`;
};

/** A successful answer, not a replay. */
const expectFresh = (res: Response, op: Operation): void => {
  expect({ status: res.status, replayed: res.headers['idempotent-replayed'] }).toEqual({ status: op.response.status, replayed: undefined });
};

/** The stored answer again: same status, same bytes, marked as replayed. */
const expectReplayOf = (res: Response, first: Response): void => {
  expect({ status: res.status, text: res.text, replayed: res.headers['idempotent-replayed'], type: res.headers['content-type'] }).toEqual({
    status: first.status,
    text: first.text,
    replayed: 'true',
    type: first.headers['content-type'],
  });
};

const messagesPath = (bankId: string, customerId: string) => ({ BANK_ID: bankId, CUSTOMER_ID: customerId });
const createCustomer = operationByName('createCustomer');
const createCustomerMessage = operationByName('createCustomerMessage');
const addCustomerMessage = operationByName('addCustomerMessage');
const updateCustomerNumber = operationByName('updateCustomerNumber');
const getCustomerByNumber = operationByName('getCustomerByNumber');

// ---------------------------------------------------------------------------------------------------------------

describe('which operations take an Idempotency-Key', () => {
  it('every POST and PUT that writes, and not getCustomerByNumber (a read)', () => {
    const names = IDEMPOTENT.map((op) => op.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'createBank',
        'addEntitlement',
        'createCustomer',
        'createCustomerMessage',
        'addCustomerMessage',
        'createUserCustomerLink',
        'updateCustomerNumber',
        'updateCustomerEmail',
        'updateCustomerMobileNumber',
        'updateCustomerIdentity',
        'updateCustomerCreditLimit',
        'updateCustomerCreditRatingAndSource',
        'updateCustomerBranch',
        'updateCustomerData',
      ]),
    );
    const postsAndPuts = OPERATIONS.filter((op) => op.method === 'POST' || op.method === 'PUT').map((op) => op.name);
    expect(names).toEqual(postsAndPuts.filter((name) => name !== 'getCustomerByNumber'));
  });
});

describe.each(IDEMPOTENT.map((op) => [op.name, op] as const))('%s', (_name, op) => {
  it('without the header as before (no record); with it, the same answer, then replays byte for byte and writes nothing', async () => {
    const user = await callerFor(op);

    // Two requests without a key: what this operation answers and writes, and which answer fields the server
    // generates (those that differ between the two).
    const plainA = await changing(async () => send(op, await validRequest(op, world), user));
    const plainB = await changing(async () => send(op, await validRequest(op, world), user));
    for (const plain of [plainA, plainB]) {
      expectFresh(plain.result, op);
      expect(recordsIn(plain.change)).toEqual([]);
    }

    const request = await validRequest(op, world);
    const key = uniqueId('key-');
    const first = await changing(() => send(op, request, user, key));
    expectFresh(first.result, op);
    // The same answer as without a key: the same fields, equal wherever two answers without a key agree.
    const a = plainA.result.body as Record<string, unknown>;
    const b = plainB.result.body as Record<string, unknown>;
    const stable = Object.keys(a).filter((k) => isDeepStrictEqual(a[k], b[k]));
    expect(Object.keys(first.result.body).sort()).toEqual(Object.keys(a).sort());
    expect(Object.fromEntries(stable.map((k) => [k, first.result.body[k]]))).toEqual(Object.fromEntries(stable.map((k) => [k, a[k]])));
    // The same write as without a key, plus one record that holds the answer exactly as sent.
    expect(sizes(withoutRecords(first.change))).toEqual(sizes(plainA.change));
    const records = recordsIn(first.change);
    expect(records).toHaveLength(1);
    expect(first.change.added).toContain(records[0]);
    expect(itemOf(first.after, records[0] as string)).toMatchObject({ operation: op.name, userId: user, body: first.result.text });

    // The same request again: the stored answer, nothing written.
    const replay = await changing(() => send(op, request, user, key));
    expectReplayOf(replay.result, first.result);
    expect(replay.change).toEqual(NO_CHANGE);

    // Equal as parsed JSON (other key order, other spacing) is the same body.
    const respelled = await changing(() => send(op, { ...request, body: undefined, rawBody: reordered(request.body) }, user, key));
    expectReplayOf(respelled.result, first.result);
    expect(respelled.change).toEqual(NO_CHANGE);

    // Another body with the same key: 422, nothing written.
    const other = await changing(() => send(op, { ...request, body: { ...(request.body as object), another_field: 'x' } }, user, key));
    expectObpError(other.result, 422, KEY_REUSED);
    expect(other.change).toEqual(NO_CHANGE);
  });
});

describe('getCustomerByNumber, a read, ignores the header', () => {
  it.each([
    ['a valid key', 'lookup-key-1'],
    ['a malformed key', 'not valid é'],
    ['an empty key', ''],
  ])('%s: 200 each time, never a replay, nothing stored', async (_, key) => {
    const customer = await newCustomer(world.bankA);
    const user = await callerFor(getCustomerByNumber);
    const request = { params: { BANK_ID: world.bankA }, body: { customer_number: customer.customer_number } };
    for (let i = 0; i < 2; i++) {
      const { result, change } = await changing(() => send(getCustomerByNumber, request, user, key));
      expect({ status: result.status, replayed: result.headers['idempotent-replayed'] }).toEqual({ status: 200, replayed: undefined });
      expect(result.body.customer_id).toBe(customer.customer_id);
      expect(change).toEqual(NO_CHANGE);
    }
  });
});

describe('the key is scoped to (user, operation, path)', () => {
  it('createCustomer without customer_number, once with a key and again with it: one customer, not two', async () => {
    const bankId = await newBank();
    const user = await callerFor(createCustomer);
    await grantRoles(user, ['CanCreateCustomer'], bankId);
    const request = { params: { BANK_ID: bankId }, body: MINIMAL_CUSTOMER };
    const first = await send(createCustomer, request, user, 'one-customer');
    const again = await send(createCustomer, request, user, 'one-customer');
    expectFresh(first, createCustomer);
    expectReplayOf(again, first);
    expect(await storedAtBank(bankId)).toEqual({ customers: 1, guards: 1 });
  });

  it('the same key from another user creates another customer', async () => {
    const bankId = await newBank();
    const [alice, bob] = [uniqueId('alice-'), uniqueId('bob-')];
    for (const u of [alice, bob]) await grantRoles(u, ['CanCreateCustomer'], bankId);
    const request = { params: { BANK_ID: bankId }, body: MINIMAL_CUSTOMER };
    const fromAlice = await send(createCustomer, request, alice, 'shared-key');
    const fromBob = await send(createCustomer, request, bob, 'shared-key');
    expectFresh(fromAlice, createCustomer);
    expectFresh(fromBob, createCustomer);
    expect(fromBob.body.customer_id).not.toBe(fromAlice.body.customer_id);
    expect(await storedAtBank(bankId)).toEqual({ customers: 2, guards: 2 });
    // Each still replays its own answer.
    expectReplayOf(await send(createCustomer, request, alice, 'shared-key'), fromAlice);
    expectReplayOf(await send(createCustomer, request, bob, 'shared-key'), fromBob);
  });

  it('the same key on another bank’s path creates a customer there', async () => {
    const [bank1, bank2] = [await newBank(), await newBank()];
    const user = uniqueId('two-banks-');
    for (const bankId of [bank1, bank2]) await grantRoles(user, ['CanCreateCustomer'], bankId);
    const first = await send(createCustomer, { params: { BANK_ID: bank1 }, body: MINIMAL_CUSTOMER }, user, 'path-key');
    const second = await send(createCustomer, { params: { BANK_ID: bank2 }, body: MINIMAL_CUSTOMER }, user, 'path-key');
    expectFresh(first, createCustomer);
    expectFresh(second, createCustomer);
    expect(await storedAtBank(bank1)).toEqual({ customers: 1, guards: 1 });
    expect(await storedAtBank(bank2)).toEqual({ customers: 1, guards: 1 });
  });

  it('the same key and body to another customer posts a second message; to the same customer, none', async () => {
    const [c1, c2] = [await newCustomer(world.bankA), await newCustomer(world.bankA)];
    const user = await callerFor(createCustomerMessage);
    const post = (customerId: string) => send(createCustomerMessage, { params: messagesPath(world.bankA, customerId), body: MESSAGE_V4 }, user, 'message-key');
    const { change: firstChange, result: first } = await changing(() => post(c1.customer_id));
    const { change: otherChange, result: other } = await changing(() => post(c2.customer_id));
    const { change: sameChange, result: same } = await changing(() => post(c1.customer_id));
    expectFresh(first, createCustomerMessage);
    expectFresh(other, createCustomerMessage);
    expectReplayOf(same, first);
    // One message item and one record each time a message is posted; nothing on the replay.
    for (const change of [firstChange, otherChange]) {
      expect(sizes(withoutRecords(change))).toEqual({ added: 1, removed: 0, changed: 0 });
      expect(withoutRecords(change).added[0]).toMatch(/\| MSG#/);
      expect(recordsIn(change)).toHaveLength(1);
    }
    expect(sameChange).toEqual(NO_CHANGE);
  });

  it('the same key for another operation is another key', async () => {
    // Customer A is linked to a user, as addCustomerMessage requires.
    const user = uniqueId('poster-');
    await grantRoles(user, ['CanCreateCustomerMessage'], world.bankA);
    const params = messagesPath(world.bankA, world.customerA.customer_id);
    const v4 = await changing(() => send(createCustomerMessage, { params, body: MESSAGE_V4 }, user, 'op-key'));
    const v14 = await changing(() => send(addCustomerMessage, { params, body: MESSAGE_V4 }, user, 'op-key'));
    expectFresh(v4.result, createCustomerMessage);
    expectFresh(v14.result, addCustomerMessage);
    expect(withoutRecords(v14.change).added).toHaveLength(1);
  });
});

describe('the same key with another body', () => {
  it('createCustomer with another legal_name: 422 OBP-10061, nothing written; the original still replays', async () => {
    const user = await callerFor(createCustomer);
    const request = { params: { BANK_ID: world.bankA }, body: { ...MINIMAL_CUSTOMER, customer_number: uniqueId('n') } };
    const first = await send(createCustomer, request, user, 'body-key');
    expectFresh(first, createCustomer);
    const other = await changing(() => send(createCustomer, { ...request, body: { ...request.body, legal_name: 'Someone Else' } }, user, 'body-key'));
    expectObpError(other.result, 422, KEY_REUSED);
    expect(other.change).toEqual(NO_CHANGE);
    expectReplayOf(await send(createCustomer, request, user, 'body-key'), first);
  });

  it('nested keys in another order, with other spacing, are the same body: a replay', async () => {
    const customer = await newCustomer(world.bankA);
    const op = operationByName('updateCustomerCreditLimit');
    const user = await callerFor(op);
    const params = messagesPath(world.bankA, customer.customer_id);
    const first = await send(op, { params, rawBody: '{"credit_limit":{"currency":"EUR","amount":"5"}}' }, user, 'num-key');
    expectFresh(first, op);
    const again = await changing(() => send(op, { params, rawBody: '{ "credit_limit" : { "amount" : "5", "currency" : "EUR" } }' }, user, 'num-key'));
    expectReplayOf(again.result, first);
    expect(again.change).toEqual(NO_CHANGE);
  });
});

describe('malformed keys: 400 OBP-10060', () => {
  const VISIBLE_255 = Array.from({ length: 255 }, (_, i) => String.fromCharCode(0x21 + (i % 94))).join('');

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII (é)', 'cl\u00e9'],
    ['a control character (U+0001)', 'a\u0001b'],
    ['a tab', 'a\tb'],
    ['a line feed', 'a\nb'],
    ['DEL (U+007F)', 'a\u007fb'],
    ['a space', 'a b'],
  ])('%s → 400 naming the header, nothing written', async (_, key) => {
    const user = await callerFor(createCustomer);
    const { result, change } = await changing(() => send(createCustomer, { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER }, user, key));
    expectObpError(result, 400, INVALID_KEY);
    expect(result.body.message).toContain('Idempotency-Key');
    expect(change).toEqual(NO_CHANGE);
  });

  it('255 visible ASCII characters (every one of them) is a valid key, and replays', async () => {
    expect(new Set(VISIBLE_255).size).toBe(94);
    const user = await callerFor(createCustomer);
    const request = { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER };
    const first = await changing(() => send(createCustomer, request, user, VISIBLE_255));
    expectFresh(first.result, createCustomer);
    expect(recordsIn(first.change)).toHaveLength(1);
    expectReplayOf(await send(createCustomer, request, user, VISIBLE_255), first.result);
    // One character more is refused.
    expectObpError(await send(createCustomer, request, user, `${VISIBLE_255}!`), 400, INVALID_KEY);
  });
});

describe('check order: 401 → 404 bank → 403 → 404 customer → key and replay → body', () => {
  const BAD_KEY = 'bad key';

  it('no token with a malformed key → 401', async () => {
    const res = await invoke(createCustomer, { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER, headers: keyHeader(BAD_KEY) });
    expectObpError(res, 401, NOT_LOGGED_IN);
  });

  it('an unknown bank with a malformed key → 404 OBP-30001', async () => {
    const user = await callerFor(createCustomer);
    const res = await send(createCustomer, { params: { BANK_ID: uniqueId('nobank') }, body: MINIMAL_CUSTOMER }, user, BAD_KEY);
    expectObpError(res, 404, 'OBP-30001');
  });

  it('a caller without the role with a malformed key → 403 OBP-20006', async () => {
    const res = await send(createCustomer, { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER }, uniqueId('norole-'), BAD_KEY);
    expectObpError(res, 403, 'OBP-20006');
  });

  it('an unknown customer with a malformed key → 404 OBP-30046', async () => {
    const user = await callerFor(createCustomerMessage);
    const res = await send(createCustomerMessage, { params: messagesPath(world.bankA, uniqueId('nocust')), body: MESSAGE_V4 }, user, BAD_KEY);
    expectObpError(res, 404, 'OBP-30046');
  });

  it.each([
    ['not JSON', { rawBody: '{"legal_name": ' }],
    ['not matching the schema', { body: { legal_name: 'Only a name' } }],
  ])('a malformed key with a body %s → 400 OBP-10060 (the key is checked before the body)', async (_, body) => {
    const user = await callerFor(createCustomer);
    const { result, change } = await changing(() => send(createCustomer, { params: { BANK_ID: world.bankA }, ...body }, user, BAD_KEY));
    expectObpError(result, 400, INVALID_KEY);
    expect(change).toEqual(NO_CHANGE);
  });

  it('a caller whose role was revoked after a stored success gets 403, not the replay; granted again, the replay', async () => {
    const user = uniqueId('revoked-');
    const granted = await call('POST', `/obp/v5.0.0/users/${user}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: world.bankA, role_name: 'CanCreateCustomer' } });
    expect(granted.status).toBe(201);
    const request = { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER };
    const first = await send(createCustomer, request, user, 'revoked-key');
    expectFresh(first, createCustomer);
    const revoked = await call('DELETE', `/obp/v5.0.0/users/${user}/entitlement/${granted.body.entitlement_id}`, { as: SUPER_ADMIN });
    expect(revoked.status).toBe(204);
    const refused = await changing(() => send(createCustomer, request, user, 'revoked-key'));
    expectObpError(refused.result, 403, 'OBP-20006');
    expect(refused.change).toEqual(NO_CHANGE);
    await grantRoles(user, ['CanCreateCustomer'], world.bankA);
    expectReplayOf(await send(createCustomer, request, user, 'revoked-key'), first);
  });

  it.each([
    ['not matching the schema', { body: { legal_name: 'Only a name' } }],
    ['not JSON', { rawBody: '{"legal_name": ' }],
  ])('the key of a stored success with a body %s → 422 OBP-10061 (replay before body), nothing written', async (_, body) => {
    const user = await callerFor(createCustomer);
    const params = { BANK_ID: world.bankA };
    expectFresh(await send(createCustomer, { params, body: MINIMAL_CUSTOMER }, user, 'then-malformed'), createCustomer);
    const { result, change } = await changing(() => send(createCustomer, { params, ...body }, user, 'then-malformed'));
    expectObpError(result, 422, KEY_REUSED);
    expect(change).toEqual(NO_CHANGE);
  });

  it('a new key with a malformed body → 400 OBP-10001, as without a key', async () => {
    const user = await callerFor(createCustomer);
    const res = await send(createCustomer, { params: { BANK_ID: world.bankA }, rawBody: '{"legal_name": ' }, user, uniqueId('fresh-'));
    expectObpError(res, 400, INVALID_JSON);
  });
});

describe('refused requests store nothing: the client may fix the request and retry with the same key', () => {
  it('a body refused by the schema (400), then the fixed body → 201, not 422', async () => {
    const user = await callerFor(createCustomer);
    const params = { BANK_ID: world.bankA };
    const refused = await changing(() => send(createCustomer, { params, body: { legal_name: 'No phone' } }, user, 'fix-me'));
    expectObpError(refused.result, 400, INVALID_JSON);
    expect(refused.change).toEqual(NO_CHANGE);
    const fixed = await send(createCustomer, { params, body: MINIMAL_CUSTOMER }, user, 'fix-me');
    expectFresh(fixed, createCustomer);
    expectReplayOf(await send(createCustomer, { params, body: MINIMAL_CUSTOMER }, user, 'fix-me'), fixed);
  });

  it('a duplicate customer_number (400 OBP-30006, refused by the write itself), then another number → 201', async () => {
    const taken = await newCustomer(world.bankA, { ...MINIMAL_CUSTOMER, customer_number: uniqueId('taken-') });
    const user = await callerFor(createCustomer);
    const params = { BANK_ID: world.bankA };
    const refused = await changing(() => send(createCustomer, { params, body: { ...MINIMAL_CUSTOMER, customer_number: taken.customer_number } }, user, 'dup-key'));
    expectObpError(refused.result, 400, DUPLICATE_NUMBER);
    expect(refused.change).toEqual(NO_CHANGE);
    const fixed = await send(createCustomer, { params, body: { ...MINIMAL_CUSTOMER, customer_number: uniqueId('free-') } }, user, 'dup-key');
    expectFresh(fixed, createCustomer);
  });

  it('a caller refused with 403, then granted the role → 201 with the same key', async () => {
    const user = uniqueId('later-');
    const request = { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER };
    const refused = await changing(() => send(createCustomer, request, user, 'later-key'));
    expectObpError(refused.result, 403, 'OBP-20006');
    expect(refused.change).toEqual(NO_CHANGE);
    await grantRoles(user, ['CanCreateCustomer'], world.bankA);
    expectFresh(await send(createCustomer, request, user, 'later-key'), createCustomer);
  });

  it('updateCustomerNumber to a taken number (400), then to a free one → 200 with the same key', async () => {
    const [customer, other] = [await newCustomer(world.bankA), await newCustomer(world.bankA)];
    const user = await callerFor(updateCustomerNumber);
    const params = messagesPath(world.bankA, customer.customer_id);
    const refused = await changing(() => send(updateCustomerNumber, { params, body: { customer_number: other.customer_number } }, user, 'num-fix'));
    expectObpError(refused.result, 400, DUPLICATE_NUMBER);
    expect(refused.change).toEqual(NO_CHANGE);
    const fixed = await send(updateCustomerNumber, { params, body: { customer_number: uniqueId('free-') } }, user, 'num-fix');
    expectFresh(fixed, updateCustomerNumber);
  });
});

describe('20 concurrent identical requests with one key', () => {
  const PARALLEL = 20;
  const outcomes: string[] = [];
  afterAll(() => process.stdout.write(`idempotency races (${PARALLEL} each):\n${outcomes.join('\n')}\n`));

  /**
   * Holds the answer to each request's first read (BatchGetItem) until all PARALLEL requests have read, so every one
   * of them finds no record and races to the write, whatever the machine's load (otherwise the first write may
   * commit before the others read, and they merely replay it from their read).
   */
  const allReadFirst = (): (() => void) => {
    const name = 'idempotencyReadBarrier';
    let waiting = 0;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fallback = setTimeout(release, 10_000);
    documentClient().middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (/^BatchGet/.test(String(context.commandName))) {
          if (++waiting === PARALLEL) release();
          await released;
        }
        return output;
      },
      { step: 'initialize', name },
    );
    return () => {
      clearTimeout(fallback);
      documentClient().middlewareStack.remove(name);
    };
  };

  /** Sends the request PARALLEL times at once; checks the answers; returns the winner's answer and what changed. */
  const race = async (op: Operation, request: Request, user: string): Promise<{ success: Response; change: TableChange }> => {
    const authorization = await bearer(user);
    const key = uniqueId('race-');
    const spy = spyOnTable();
    const removeBarrier = allReadFirst();
    let attempts = 0;
    const { result, change } = await changing(() =>
      Promise.all(Array.from({ length: PARALLEL }, () => invoke(op, { ...request, authorization, headers: keyHeader(key) }))),
    ).finally(() => {
      removeBarrier();
      attempts = spy.commands().filter((c) => c === 'TransactWriteCommand').length;
      spy.restore();
    });
    // A race, not a queue: every request read no record and attempted the write (conflicts may add retries).
    expect(attempts).toBeGreaterThanOrEqual(PARALLEL);
    const successes = result.filter((r) => r.status === op.response.status);
    const others = result.filter((r) => r.status !== op.response.status);
    const fresh = successes.filter((r) => r.headers['idempotent-replayed'] === undefined);
    outcomes.push(`  ${op.name}: ${successes.length} × ${op.response.status} (${fresh.length} fresh, ${successes.length - fresh.length} replayed), ${others.length} × 409; ${attempts} write attempts`);
    // Any answer other than the success is the in-progress conflict, nothing else.
    for (const r of others) expectObpError(r, 409, IN_PROGRESS);
    expect(successes.length).toBeGreaterThan(0);
    // One write won; every success carries its body, byte for byte; the others say they are replays.
    expect(fresh).toHaveLength(1);
    expect(new Set(successes.map((r) => r.text)).size).toBe(1);
    for (const r of successes.filter((s) => s !== fresh[0])) expect(r.headers['idempotent-replayed']).toBe('true');
    expect(recordsIn(change)).toHaveLength(1);
    // A later retry replays.
    const later = await changing(() => invoke(op, { ...request, authorization, headers: keyHeader(key) }));
    expectReplayOf(later.result, fresh[0] as Response);
    expect(later.change).toEqual(NO_CHANGE);
    return { success: fresh[0] as Response, change };
  };

  it('createCustomer without customer_number: exactly one customer', async () => {
    const bankId = await newBank();
    const user = uniqueId('racer-');
    await grantRoles(user, ['CanCreateCustomer'], bankId);
    const { success, change } = await race(createCustomer, { params: { BANK_ID: bankId }, body: MINIMAL_CUSTOMER }, user);
    expect(await storedAtBank(bankId)).toEqual({ customers: 1, guards: 1 });
    expect(withoutRecords(change).added).toContain(`CUSTOMER#${success.body.customer_id} | CUSTOMER`);
    expect(sizes(withoutRecords(change))).toEqual({ added: 2, removed: 0, changed: 0 });
  });

  it('createCustomerMessage: exactly one message', async () => {
    const customer = await newCustomer(world.bankA);
    const user = await callerFor(createCustomerMessage);
    const { change } = await race(createCustomerMessage, { params: messagesPath(world.bankA, customer.customer_id), body: MESSAGE_V4 }, user);
    expect(sizes(withoutRecords(change))).toEqual({ added: 1, removed: 0, changed: 0 });
    expect(withoutRecords(change).added[0]).toMatch(new RegExp(`^CUSTOMER#${customer.customer_id} \\| MSG#`));
    const reader = uniqueId('reader-');
    await grantRoles(reader, ['CanGetCustomerMessages'], world.bankA);
    const messages = await call('GET', `/obp/v4.0.0/banks/${world.bankA}/customers/${customer.customer_id}/messages`, { as: reader });
    expect(messages.body.messages).toHaveLength(1);
  });

  it('updateCustomerNumber: exactly one change (the new guard, the old one removed, the customer updated)', async () => {
    const customer = await newCustomer(world.bankA);
    const user = await callerFor(updateCustomerNumber);
    const number = uniqueId('raced-');
    const { success, change } = await race(updateCustomerNumber, { params: messagesPath(world.bankA, customer.customer_id), body: { customer_number: number } }, user);
    expect(success.body.customer_number).toBe(number);
    expect(withoutRecords(change)).toEqual({
      added: [expect.stringMatching(/^CUSTNUM#/)],
      removed: [expect.stringMatching(/^CUSTNUM#/)],
      changed: [`CUSTOMER#${customer.customer_id} | CUSTOMER`],
    });
    const lookup = await send(getCustomerByNumber, { params: { BANK_ID: world.bankA }, body: { customer_number: number } }, await callerFor(getCustomerByNumber));
    expect(lookup.body.customer_id).toBe(customer.customer_id);
  });
});

describe('records expire after 24 hours', () => {
  const rawTable = () => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: LOCAL_ENDPOINT, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }));

  /** Moves the record's expiry to `expiresAt` (epoch seconds), as time passing would. */
  const expire = async (recordId: string, shot: Snapshot, expiresAt: number): Promise<void> => {
    const { PK, SK } = itemOf(shot, recordId);
    const client = rawTable();
    try {
      await client.send(new UpdateCommand({ TableName: table.name, Key: { PK, SK }, UpdateExpression: 'SET expiresAt = :e', ExpressionAttributeValues: { ':e': expiresAt } }));
    } finally {
      client.destroy();
    }
  };

  it('the record has expiresAt = now + 24 h in epoch seconds (the TTL attribute)', async () => {
    const user = await callerFor(createCustomer);
    const started = Date.now();
    const { change, after } = await changing(() => send(createCustomer, { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER }, user, 'ttl-key'));
    const ended = Date.now();
    const record = itemOf(after, recordsIn(change)[0] as string);
    expect(Number.isInteger(record.expiresAt)).toBe(true);
    expect(record.expiresAt).toBeGreaterThanOrEqual(Math.floor(started / 1000) + DAY_S);
    expect(record.expiresAt).toBeLessThanOrEqual(Math.ceil(ended / 1000) + DAY_S);
  });

  it('the deployed table has DynamoDB’s TTL on that attribute, so expired records are removed', async () => {
    const user = await callerFor(createCustomer);
    const { change, after } = await changing(() => send(createCustomer, { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER }, user, 'ttl-cdk'));
    const record = itemOf(after, recordsIn(change)[0] as string);
    expect(typeof record.expiresAt).toBe('number');
    // The stack that holds the table, as the CDK app builds it.
    const { state } = build();
    const tables = ofType(state, 'AWS::DynamoDB::Table').map(([, table]) => table.Properties.TimeToLiveSpecification);
    expect(tables).toEqual([{ AttributeName: 'expiresAt', Enabled: true }]);
  });

  it('an expired record is ignored: the request runs as new and its record replaces the old one', async () => {
    const bankId = await newBank();
    const user = uniqueId('expiring-');
    await grantRoles(user, ['CanCreateCustomer'], bankId);
    const request = { params: { BANK_ID: bankId }, body: MINIMAL_CUSTOMER };
    const first = await changing(() => send(createCustomer, request, user, 'old-key'));
    const recordId = recordsIn(first.change)[0] as string;
    await expire(recordId, first.after, Math.floor(Date.now() / 1000) - 60);

    const started = Date.now();
    const second = await changing(() => send(createCustomer, request, user, 'old-key'));
    expectFresh(second.result, createCustomer);
    expect(second.result.body.customer_id).not.toBe(first.result.body.customer_id);
    expect(await storedAtBank(bankId)).toEqual({ customers: 2, guards: 2 });
    // The same record item, now holding the new answer and a new expiry.
    expect(second.change.changed).toEqual([recordId]);
    const record = itemOf(second.after, recordId);
    expect(record.body).toBe(second.result.text);
    expect(record.expiresAt).toBeGreaterThanOrEqual(Math.floor(started / 1000) + DAY_S);
    expectReplayOf(await send(createCustomer, request, user, 'old-key'), second.result);
  });

  it('an expired record with another body is not a conflict: the request runs as new', async () => {
    const user = await callerFor(createCustomer);
    const params = { BANK_ID: world.bankA };
    const first = await changing(() => send(createCustomer, { params, body: MINIMAL_CUSTOMER }, user, 'old-key-2'));
    await expire(recordsIn(first.change)[0] as string, first.after, Math.floor(Date.now() / 1000) - 1);
    const other = await send(createCustomer, { params, body: { ...MINIMAL_CUSTOMER, legal_name: 'Another' } }, user, 'old-key-2');
    expectFresh(other, createCustomer);
    expect(other.body.legal_name).toBe('Another');
  });
});

describe('a replay ends its invocation like any other', () => {
  /**
   * The log lines written while `run` runs. The logger is silent in tests and each invocation restores its initial
   * level, so that restoring is held off while the lines are captured.
   */
  const logLines = async (run: () => Promise<unknown>): Promise<Record<string, any>[]> => {
    const lines: string[] = [];
    const level = jest.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined);
    logger.setLogLevel('INFO');
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    try {
      await run();
    } finally {
      spy.mockRestore();
      level.mockRestore();
      logger.setLogLevel('SILENT');
    }
    return lines.map((l) => JSON.parse(l) as Record<string, any>);
  };

  it('its metrics are published and its log keys dropped: the next invocation logs nothing of the replayed caller', async () => {
    const user = await callerFor(createCustomer);
    const request = { params: { BANK_ID: world.bankA }, body: MINIMAL_CUSTOMER };
    const first = await send(createCustomer, request, user, 'clean-key');
    const publish = jest.spyOn(metrics, 'publishStoredMetrics');
    let replay: Response | undefined;
    try {
      const replayLines = await logLines(async () => {
        replay = await invoke(createCustomer, { ...request, authorization: await bearer(user), headers: { 'idempotency-key': 'clean-key', 'x-request-id': 'corr-replayed' } });
      });
      expectReplayOf(replay as Response, first);
      expect(replayLines).toContainEqual(expect.objectContaining({ message: 'request replayed', user_id: user, client_request_id: 'corr-replayed' }));
      expect(publish).toHaveBeenCalledTimes(1);
    } finally {
      publish.mockRestore();
    }
    // The same function, next: an anonymous request without x-request-id.
    const nextLines = await logLines(async () => expectObpError(await invoke(createCustomer, request), 401, NOT_LOGGED_IN));
    expect(nextLines.length).toBeGreaterThan(0);
    for (const line of nextLines) {
      expect(line.user_id).toBeUndefined();
      expect(line.client_request_id).toBeUndefined();
    }
  });
});

describe('round trips: a key costs no extra call; a replay is answered from the first read', () => {
  const counts: string[] = [];
  afterAll(() => process.stdout.write(`idempotency round trips (without key / with key / replay):\n${counts.join('\n')}\n`));

  const commandsOf = async (act: () => Promise<Response>): Promise<{ res: Response; commands: string[] }> => {
    const spy = spyOnTable();
    try {
      const res = await act();
      return { res, commands: spy.commands() };
    } finally {
      spy.restore();
    }
  };

  it.each(IDEMPOTENT.map((op) => [op.name, op] as const))('%s', async (_, op) => {
    const user = await callerFor(op);
    const plain = await commandsOf(async () => send(op, await validRequest(op, world), user));
    const request = await validRequest(op, world);
    const key = uniqueId('rt-');
    const first = await commandsOf(() => send(op, request, user, key));
    const replay = await commandsOf(() => send(op, request, user, key));
    counts.push(`  ${op.name}: ${plain.commands.length} / ${first.commands.length} / ${replay.commands.length}  (${first.commands.join(', ')})`);
    expectFresh(plain.res, op);
    expectFresh(first.res, op);
    expectReplayOf(replay.res, first.res);
    expect(first.commands.length).toBe(plain.commands.length);
    expect(first.commands[0]).toBe('BatchGetCommand');
    expect(replay.commands).toEqual(['BatchGetCommand']);
  });
});
