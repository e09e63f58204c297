// Property-based fuzzing (fast-check) of every request body and every path parameter: never a 5xx, every error a
// valid OBP error body, Object.prototype never polluted, and a rejected request writes nothing — the table's items
// after the fuzzing are exactly those before plus what the successful requests wrote.
// FUZZ_RUNS (default 1000) cases per operation; `npm run test:extended` runs more. FUZZ_SEED replays a failure.
import fc from 'fast-check';
import { ROLE_SCOPES, type RoleName } from '../../functions/shared/roles';
import { bankKey, customerKey, customerNumberGuardKey, entitlementKey, linkKey, MESSAGE_SK_PREFIX } from '../../functions/data/keys';
import { CREATOR_ROLES } from '../../functions/domain/banks';
import { OPERATIONS, type Operation } from '../../functions/shared/operations';
import { tokenFor } from '../support/tokens';
import { uniqueId } from '../support/fixtures';
import {
  buildWorld,
  checkObpError,
  grantRoles,
  invoke,
  keyId,
  pathParamsOf,
  snapshot,
  tableChange,
  usePrivateTable,
  validRequest,
  type Request,
  type Response,
  type World,
} from './harness';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** Cases sent concurrently in one property run; RUNS / BATCH property runs per operation. */
const BATCH = 10;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const MAX_BODY_BYTES = 64 * 1024;
const SUPER_ADMIN = 'test-admin';

const table = usePrivateTable('fuzz');
jest.setTimeout(Math.max(300_000, RUNS * 600));

// ---------------------------------------------------------------------------------------------------------------
// Generators

const json = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** Strings known to upset parsers, key builders and routers. */
const NASTY = [
  '', ' ', '#', '##', '%', '%23', '%2F', '/', '../..', '.', '\u0000', '\r\n', '\t', '\u202e', '\ufeff', '\u00ad',
  '𝕏', '💥👩‍👩‍👧', 'ﷺ', 'null', 'true', '0', '-1', '1e400', 'NaN', "' OR '1'='1", '{"$ne":null}', '${jndi:ldap://x}',
  'BANK#x', 'CUSTOMER#x', 'USER#test-admin', 'ROLE##CanCreateBank', 'MSG#', `#h${'a'.repeat(64)}`, '__proto__',
  'constructor', 'prototype',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const hugeString = fc
  .tuple(fc.constantFrom('a', 'é', '€', '𝕏', '#', '"', '\\'), fc.integer({ min: 200, max: 70_000 }))
  .map(([s, n]) => s.repeat(n));

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 5 }), loneSurrogate, fc.string({ maxLength: 5 })).map((p) => p.join('')) },
  { weight: 1, arbitrary: hugeString },
);

/** Deeply nested arrays or objects, as JSON text (up to the size limit and beyond). */
const deepNesting = fc
  .tuple(fc.integer({ min: 100, max: 40_000 }), fc.boolean())
  .map(([n, arrays]) => (arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n >> 2) + '1' + '}'.repeat(n >> 2)));

const prototypeKeys = fc.constantFrom(
  '{"__proto__":{"polluted":"yes","legal_name":"x","message":"x","role_name":"CanCreateBank"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":null}',
  '{"__proto__":[1,2,3]}',
  '{"prototype":{"polluted":"yes"},"toString":"x","hasOwnProperty":1,"valueOf":null}',
);

/** Any JSON value, as text: every type, wrong types, unicode and huge strings, deep nesting, prototype keys. */
const jsonFragment = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }).map(json) },
  { weight: 4, arbitrary: nastyString.map(json) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.nat({ max: 200 })).map(json) },
  { weight: 1, arbitrary: fc.constantFrom('1e400', '-1e400', '-0', '123456789012345678901234567890', '1e-400', '0.1') },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: prototypeKeys },
);

/** Bodies that are not JSON at all, or broken JSON. */
const notJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('{', '}', '{"a":1', '{"a":1,}', "{'a':1}", 'undefined', 'NaN', '\ufeff{}', '<a/>', 'a=1&b=2', '{"a":1}{"b":2}', '[1,2', '"x', '{"a":"\\x"}'),
);

type Edit = { set: string; value: string } | { drop: string };

interface FieldSchema {
  type?: string | string[];
  maxLength?: number;
}

/** Edits of a valid body: a field (or a prototype key, or any key) set to any value, a field dropped, a string one over its limit. */
const edits = (schema: { properties: Record<string, FieldSchema> }): fc.Arbitrary<Edit[]> => {
  const fields = Object.keys(schema.properties);
  const limited = Object.entries(schema.properties).filter(([, s]) => typeof s.maxLength === 'number');
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fields) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty') },
    { weight: 1, arbitrary: nastyString.filter((s) => s.length < 100) },
  );
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ set: key, value: jsonFragment }) },
    { weight: 2, arbitrary: fc.record({ drop: fc.constantFrom(...fields) }) },
    ...(limited.length
      ? [
          {
            weight: 2,
            arbitrary: fc
              .tuple(fc.constantFrom(...limited), fc.integer({ min: -1, max: 2 }))
              .map(([[name, s], extra]): Edit => ({ set: name, value: json('x'.repeat(Math.max(0, (s.maxLength as number) + extra))) })),
          },
        ]
      : []),
  );
  return fc.array(edit, { maxLength: 3 });
};

const objectText = (entries: [string, string][]): string => `{${entries.map(([k, v]) => `${json(k)}:${v}`).join(',')}}`;

const applyEdits = (body: Record<string, unknown>, changes: Edit[]): string => {
  let entries: [string, string][] = Object.entries(body).map(([k, v]) => [k, json(v)]);
  for (const change of changes) {
    if ('drop' in change) entries = entries.filter(([k]) => k !== change.drop);
    else if (entries.some(([k]) => k === change.set)) entries = entries.map(([k, v]) => [k, k === change.set ? change.value : v]);
    else entries.push([change.set, change.value]);
  }
  return objectText(entries);
};

/** Content types: mostly JSON (so the body is what is tested), some that are JSON too, some that are not, some noise. */
const JSON_TYPES = [undefined, 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/problem+json;charset=UTF-8'];
const OTHER_TYPES = ['', 'text/plain', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp'];
const contentType = fc.oneof(
  { weight: 14, arbitrary: fc.constant<string | undefined>('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES) },
  { weight: 2, arbitrary: fc.constantFrom<string | undefined>(...OTHER_TYPES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((s): string | undefined => s) },
);

interface BodyCase {
  text: string;
  contentType: string | undefined;
  base64: boolean;
}

const bodyCase = (base: fc.Arbitrary<Record<string, unknown>>, schema: { properties: Record<string, FieldSchema> }): fc.Arbitrary<BodyCase> =>
  fc.record({
    text: fc.oneof(
      { weight: 7, arbitrary: fc.tuple(base, edits(schema)).map(([b, e]) => applyEdits(b, e)) },
      { weight: 2, arbitrary: jsonFragment },
      { weight: 1, arbitrary: notJson },
      { weight: 1, arbitrary: base.map((b) => json(b).slice(0, -1)) },
    ),
    contentType,
    base64: fc.integer({ min: 0, max: 9 }).map((n) => n === 9),
  });

// ---------------------------------------------------------------------------------------------------------------
// The world, callers and bookkeeping

let world: World;
/** Bearer header per user id, valid long enough for the extended runs. */
const tokens = new Map<string, string>();
const authorizationFor = async (userId: string): Promise<string> => {
  if (!tokens.has(userId)) tokens.set(userId, `Bearer ${await tokenFor(userId, { expiresIn: 3 * 3600 })}`);
  return tokens.get(userId) as string;
};
/** A user holding every role an operation can ask for, at bank A (bank roles) and system-wide. */
let allRolesUser: string;
/** Bank ids that exist (a fuzzed BANK_ID equal to one of them is not expected to be a 404). */
const existingBanks = new Set<string>();
const casesRun = new Map<string, number>();
const count = (what: string) => casesRun.set(what, (casesRun.get(what) ?? 0) + 1);

beforeAll(async () => {
  world = await buildWorld();
  existingBanks.add(world.bankA).add(world.bankB);
  allRolesUser = uniqueId('all-roles-');
  await grantRoles(allRolesUser, [...new Set(OPERATIONS.flatMap((op) => op.roles))] as RoleName[], world.bankA);
}, 120_000);

afterAll(() => {
  // The counts, for the reliability note (docs/reliability.md).
  process.stdout.write(`fuzz cases run (FUZZ_RUNS=${RUNS}): ${JSON.stringify(Object.fromEntries(casesRun))}\n`);
});

/** What successful requests are allowed to have written, collected while fuzzing. */
class ExpectedWrites {
  readonly keys = new Set<string>();
  readonly changed = new Set<string>();
  /** New message items per customer partition. */
  readonly messages = new Map<string, number>();

  record(op: Operation, request: Request, res: Response, callerId: string): void {
    const b = res.body as Record<string, any>;
    switch (op.name) {
      case 'createBank':
        existingBanks.add(b.id);
        this.keys.add(keyId(bankKey(b.id)));
        for (const role of CREATOR_ROLES) this.keys.add(keyId(entitlementKey(callerId, b.id, role)));
        return;
      case 'addEntitlement':
        this.keys.add(keyId(entitlementKey(request.params?.USER_ID as string, b.bank_id, b.role_name)));
        return;
      case 'createCustomer':
        this.keys.add(keyId(customerKey(b.customer_id)));
        this.keys.add(keyId(customerNumberGuardKey(b.bank_id, b.customer_number)));
        return;
      case 'addCustomerMessage':
      case 'createCustomerMessage': {
        const pk = customerKey(request.params?.CUSTOMER_ID as string).PK;
        this.messages.set(pk, (this.messages.get(pk) ?? 0) + 1);
        return;
      }
      case 'createUserCustomerLink':
        this.keys.add(keyId(linkKey(b.customer_id, b.user_id)));
        this.changed.add(keyId(customerKey(b.customer_id)));
        return;
      default:
        if (op.table.actions.some((a) => /Put|Update|Delete|Write/.test(a))) {
          throw new Error(`The fuzz test does not know what a successful ${op.name} writes: add it to ExpectedWrites`);
        }
    }
  }
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const pristine = PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort().join());
const expectNoPollution = (): void => {
  PROTOTYPES.forEach((p, i) => {
    if (Object.getOwnPropertyNames(p).sort().join() !== pristine[i]) throw new Error('A prototype was polluted');
  });
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
};

/**
 * Runs RUNS cases against `op` (BATCH at a time, each batch one fast-check run, so a failure shrinks to a small
 * batch), then compares the table with its snapshot from before.
 */
const fuzz = async <C>(
  label: string,
  op: Operation,
  cases: fc.Arbitrary<C>,
  send: (c: C) => Promise<{ request: Request; res: Response; callerId: string }>,
  check: (c: C, request: Request, res: Response) => void,
): Promise<void> => {
  const before = await snapshot(table.name);
  const expected = new ExpectedWrites();
  await fc.assert(
    fc.asyncProperty(fc.array(cases, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      await Promise.all(
        batch.map(async (c) => {
          const { request, res, callerId } = await send(c);
          count(label);
          if (res.status >= 500) throw new Error(`${op.name}: ${res.status} ${res.text.slice(0, 300)}`);
          if (res.status >= 400) {
            checkObpError(res, [request.rawBody ?? '', ...Object.values(request.params ?? {})]);
          } else {
            if (res.status !== op.response.status) throw new Error(`${op.name}: unexpected success status ${res.status}`);
            expected.record(op, request, res, callerId);
          }
          check(c, request, res);
        }),
      );
      expectNoPollution();
    }),
    { numRuns: Math.ceil(RUNS / BATCH), seed: SEED },
  );

  const after = await snapshot(table.name);
  const change = tableChange(before, after);
  const isNewMessage = (k: string) => [...expected.messages.keys()].some((pk) => k.startsWith(`${pk} | ${MESSAGE_SK_PREFIX}`));
  expect(change.removed).toEqual([]);
  expect(change.changed.filter((k) => !expected.changed.has(k))).toEqual([]);
  expect(change.added.filter((k) => !expected.keys.has(k) && !isNewMessage(k))).toEqual([]);
  expect([...expected.keys].filter((k) => !after.has(k) || before.has(k))).toEqual([]);
  for (const [pk, n] of expected.messages) {
    expect(change.added.filter((k) => k.startsWith(`${pk} | ${MESSAGE_SK_PREFIX}`))).toHaveLength(n);
  }
  expect(casesRun.get(label)).toBeGreaterThanOrEqual(RUNS);
};

// ---------------------------------------------------------------------------------------------------------------
// Cases: a body (for operations that take one) and path parameters, either of them fuzzed

const stringFrom = fc.string({ maxLength: 20 });
/** Valid bodies per operation (each varies, so successes and business rejections both happen). */
const VALID_BODIES: Record<string, (w: World) => fc.Arbitrary<Record<string, unknown>>> = {
  createBank: () => fc.stringMatching(/^[a-z][a-z0-9]{5,11}$/).map((id) => ({ id, bank_code: 'FUZZ' })),
  addEntitlement: (w) =>
    fc.constantFrom(...(Object.keys(ROLE_SCOPES) as RoleName[])).map((role) => ({ bank_id: ROLE_SCOPES[role] === 'bank' ? w.bankA : '', role_name: role })),
  createCustomer: () =>
    fc.record(
      { legal_name: stringFrom, mobile_phone_number: stringFrom, customer_number: fc.stringMatching(/^[0-9]{1,3}$/), email: stringFrom },
      { requiredKeys: ['legal_name', 'mobile_phone_number'] },
    ),
  addCustomerMessage: () => fc.record({ message: stringFrom, from_department: stringFrom, from_person: stringFrom }),
  createCustomerMessage: () => fc.record({ message: stringFrom, transport: stringFrom, from_department: stringFrom, from_person: stringFrom }),
  getCustomerByNumber: (w) => fc.record({ customer_number: fc.oneof(fc.constant(w.customerA.customer_number), stringFrom) }),
  createUserCustomerLink: (w) => fc.record({ user_id: fc.string({ minLength: 1, maxLength: 20 }), customer_id: fc.constant(w.customerA.customer_id) }),
};

/** A path parameter value: nasty strings, id-like strings, and near-misses of the real id. */
const paramValue = (real: string): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 5, arbitrary: nastyString },
      { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9\-._]{1,40}$/) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(`${real}#`, `${real}%23`, `#${real}`, `${real} `, real.toUpperCase(), `${real}/x`, `${real}\u0000`, `${real}#CUSTOMERS`, real.slice(1)),
      },
    )
    // API Gateway never routes an empty segment.
    .filter((v) => v !== '' && v !== real);

interface FuzzCase {
  /** Only the fuzzed path parameters; the others keep their real values. */
  fuzzedParams: Record<string, string>;
  /** A fuzzed body; absent when the path parameters are fuzzed (the operation's valid body is sent then). */
  body?: BodyCase;
}

/**
 * A case fuzzes one input: for an operation with a body, the body in three cases out of four and the path
 * parameters in the fourth (one fault at a time, so the expected error is known); without a body, the path
 * parameters (at least one of them).
 */
const fuzzCases = (op: Operation, realParams: Record<string, string>, schema?: { properties: Record<string, FieldSchema> }): fc.Arbitrary<FuzzCase> => {
  const names = pathParamsOf(op);
  const pathCases = fc
    .record(Object.fromEntries(names.map((p) => [p, fc.option(paramValue(realParams[p] as string), { nil: undefined, freq: 2 })])))
    .filter((r) => Object.values(r).some((v) => v !== undefined))
    .map((r): FuzzCase => ({ fuzzedParams: Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string> }));
  if (!op.body) return pathCases;
  const base = VALID_BODIES[op.name];
  if (!base) throw new Error(`No valid body generator for ${op.name}: add one to VALID_BODIES`);
  const bodyCases = bodyCase(base(world), schema as { properties: Record<string, FieldSchema> }).map((body): FuzzCase => ({ fuzzedParams: {}, body }));
  return names.length ? fc.oneof({ weight: 3, arbitrary: bodyCases }, { weight: 1, arbitrary: pathCases }) : bodyCases;
};

const decodedText = (c: BodyCase): string => (c.base64 ? Buffer.from(c.text).toString('utf8') : c.text);
const parses = (text: string): { ok: boolean; value?: unknown } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** What is known for sure about a body case from the outside (docs/design.md, "Check order"), with real path parameters. */
const checkBodyOutcome = (c: BodyCase, res: Response): void => {
  const message = String(res.body?.message ?? '');
  const knownJson = JSON_TYPES.includes(c.contentType) || c.contentType === 'application/json';
  if (OTHER_TYPES.includes(c.contentType as string)) {
    if (res.status !== 404 || !message.startsWith('OBP-10404')) throw new Error(`Content type ${c.contentType} must be a 404 OBP-10404`);
    return;
  }
  if (!knownJson) return;
  const text = decodedText(c);
  const rejectedAs400 = () => {
    if (res.status !== 400 || !message.startsWith('OBP-10001')) throw new Error(`Expected 400 OBP-10001, got ${res.status} ${message.slice(0, 200)}`);
  };
  if (Buffer.byteLength(text) > MAX_BODY_BYTES + 4) return rejectedAs400();
  const parsed = parses(text);
  if (!parsed.ok) return rejectedAs400();
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return rejectedAs400();
};

/** What is known for sure when path parameters were fuzzed (a valid, allowed caller; the other parameters real). */
const checkPathOutcome = (op: Operation, fuzzed: Record<string, string>, res: Response): void => {
  const message = String(res.body?.message ?? '');
  const fail = (expected: string) => {
    throw new Error(`${op.name} ${JSON.stringify(fuzzed).slice(0, 200)}: expected ${expected}, got ${res.status} ${message.slice(0, 200)}`);
  };
  const bankId = fuzzed.BANK_ID;
  if (bankId !== undefined) {
    // Another existing bank (the body fuzzing creates some) may answer anything; an unknown one is a 404 naming it.
    if (!existingBanks.has(bankId) && (res.status !== 404 || message !== `OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${bankId}`)) {
      fail('404 OBP-30001 naming the bank');
    }
    return;
  }
  if (fuzzed.CUSTOMER_ID !== undefined && (res.status !== 404 || !message.startsWith('OBP-30046'))) fail('404 OBP-30046');
  if (fuzzed.USER_ID !== undefined && op.name === 'getEntitlements') {
    // Another user's entitlements: exactly what was granted to that very id (by this fuzzing: CanGetCustomer only).
    if (res.status !== 200 || !Array.isArray(res.body.list)) fail('200 with a list');
    if (res.body.list.some((e: { role_name: string }) => e.role_name !== 'CanGetCustomer')) fail('no entitlements of another user');
  }
};

/** Who calls: the super admin for addEntitlement, the linked user where a link matters, else a user with every role at bank A. */
const callerFor = (op: Operation): string =>
  op.name === 'addEntitlement' ? SUPER_ADMIN : op.name === 'addCustomerMessage' || op.name === 'getMyMessages' ? world.linkedUserA : allRolesUser;

const FUZZED_OPERATIONS = OPERATIONS.filter((op) => op.body || pathParamsOf(op).length > 0);

describe.each(FUZZED_OPERATIONS.map((op) => [op.name, op] as const))('fuzzing %s', (name, op) => {
  const inputs = [op.body ? 'body' : '', ...pathParamsOf(op)].filter(Boolean).join(', ');
  it(`${RUNS} random requests (${inputs}): never a 5xx, valid OBP errors, no prototype pollution, nothing written by a rejected request`, async () => {
    const schema = op.body ? ((await import(`../../schemas/${op.body.schema}.schema.json`)) as { properties: Record<string, FieldSchema> }) : undefined;
    const callerId = callerFor(op);
    const authorization = op.auth ? await authorizationFor(callerId) : undefined;
    const valid = (await validRequest(op, world));
    // addEntitlement's target: a fresh user per run, so entitlements granted here do not pile up across runs.
    const realParams = op.name === 'addEntitlement' ? { USER_ID: uniqueId('fuzz-target-') } : (valid.params ?? {});
    await fuzz(
      name,
      op,
      fuzzCases(op, realParams, schema),
      async (c) => {
        const request: Request = { ...(await validRequest(op, world)), params: { ...realParams, ...c.fuzzedParams }, authorization };
        if (c.body) {
          request.rawBody = c.body.base64 ? Buffer.from(c.body.text).toString('base64') : c.body.text;
          request.isBase64Encoded = c.body.base64;
          request.headers = { 'content-type': c.body.contentType };
        }
        if (Object.keys(c.fuzzedParams).length) count(`${name} (path)`);
        return { request, res: await invoke(op, request), callerId };
      },
      (c, _request, res) => {
        if (Object.keys(c.fuzzedParams).length) checkPathOutcome(op, c.fuzzedParams, res);
        else if (c.body) checkBodyOutcome(c.body, res);
      },
    );
  });
});

it('fuzzes every operation that takes a body or path parameters', () => {
  const untouched = OPERATIONS.filter((op) => !FUZZED_OPERATIONS.includes(op)).map((op) => op.name);
  // root and getCurrentUser take neither; their inputs are headers, covered by the auth-faults and limits tests.
  expect(untouched.sort()).toEqual(['getCurrentUser', 'root']);
});
