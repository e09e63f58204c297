// Limits and odd input outside the body's content: the 64 KB body limit (checked before any DynamoDB call), content
// types, deep nesting and huge fields, odd headers, query strings of 10,000 characters and repeated parameters,
// cursors forged past their digest, and path parameters or user ids with characters that could break routing or key
// building (no key injection through '#', '%' or very long ids).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { handler as notFound } from '../../functions/not-found/handler';
import { toApiGatewayEvent } from '../../local/api-gateway-event';
import { OPERATIONS, operationByName, type Operation } from '../../functions/common/operations';
import { call } from '../support/api';
import { newCustomer, uniqueId } from '../support/fixtures';
import {
  allowedCaller,
  bearer,
  BODY_OPERATIONS,
  buildWorld,
  checkObpError,
  expectObpError,
  grantRoles,
  invoke,
  LIST_OPERATIONS,
  NOT_LOGGED_IN,
  pathParamsOf,
  spyOnTable,
  validRequest,
  type Request,
  type Response,
  type World,
  WRITE_COMMANDS,
} from './harness';
import { cursorBinding, forgeCursor } from './fuzz-query';

const MAX_BODY_BYTES = 64 * 1024;
const op = (name: string): Operation => OPERATIONS.find((o) => o.name === name) as Operation;

let world: World;
const callers = new Map<string, string>();
beforeAll(async () => {
  world = await buildWorld();
  for (const o of OPERATIONS.filter((x) => x.auth)) callers.set(o.name, await allowedCaller(o, world));
}, 120_000);

/** Calls `o` as its allowed caller (or `as`), counting the product's DynamoDB calls. */
const callCounting = async (o: Operation, request: Request, as?: string): Promise<{ res: Response; commands: string[] }> => {
  const table = spyOnTable();
  try {
    const res = await invoke(o, { ...request, authorization: request.authorization ?? (await bearer(as ?? (callers.get(o.name) as string))) });
    return { res, commands: table.commands() };
  } finally {
    table.restore();
  }
};

/** The operation's valid body as JSON text padded with trailing spaces (valid JSON) to exactly `bytes` bytes. */
const paddedTo = (body: unknown, bytes: number): string => {
  const text = JSON.stringify(body);
  return text + ' '.repeat(bytes - Buffer.byteLength(text));
};

describe.each(BODY_OPERATIONS.map((o) => [o.name, o] as const))('%s body limit (64 KB)', (_, o) => {
  it('64 KB + 1 byte → 400 OBP-10001 before any DynamoDB call, even for a caller without the role', async () => {
    const request = (await validRequest(o, world));
    for (const as of [callers.get(o.name) as string, uniqueId('no-role-')]) {
      const { res, commands } = await callCounting(o, { ...request, rawBody: paddedTo(request.body, MAX_BODY_BYTES + 1) }, as);
      expectObpError(res, 400, 'OBP-10001: Incorrect json format.');
      expect(res.body.message).toContain(`larger than ${MAX_BODY_BYTES} bytes`);
      expect(commands).toEqual([]);
    }
  });

  it('exactly 64 KB is accepted', async () => {
    const request = (await validRequest(o, world));
    const { res } = await callCounting(o, { ...request, rawBody: paddedTo(request.body, MAX_BODY_BYTES) });
    expect(res.status).toBe(o.response.status);
  });

  it('the limit counts bytes, not characters: 22,000 "€" (66,000 bytes) are refused', async () => {
    const { res, commands } = await callCounting(o, { ...(await validRequest(o, world)), rawBody: JSON.stringify({ note: '€'.repeat(22_000) }) });
    expectObpError(res, 400, 'OBP-10001: Incorrect json format.');
    expect(res.body.message).toContain(`larger than ${MAX_BODY_BYTES} bytes`);
    expect(commands).toEqual([]);
  });

  it('a base64-encoded body (as API Gateway sends binary) is limited on its decoded size, and parsed when small', async () => {
    const request = (await validRequest(o, world));
    const big = await callCounting(o, { ...request, rawBody: Buffer.from(paddedTo(request.body, MAX_BODY_BYTES + 100)).toString('base64'), isBase64Encoded: true });
    expectObpError(big.res, 400, 'OBP-10001: Incorrect json format.');
    expect(big.commands).toEqual([]);
    const small = await callCounting(o, { ...(await validRequest(o, world)), rawBody: Buffer.from(JSON.stringify((await validRequest(o, world)).body)).toString('base64'), isBase64Encoded: true });
    expect(small.res.status).toBe(o.response.status);
  });

  it('a body that is not JSON by its content type → 404 OBP-10404 naming it, before any DynamoDB call', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', '']) {
      const { res, commands } = await callCounting(o, { ...(await validRequest(o, world)), headers: { 'content-type': contentType } });
      expectObpError(res, 404, 'OBP-10404: 404 Not Found. The server could not find the requested URI.');
      expect(res.body.message).toContain(`Current Content-Type Header is (${contentType})`);
      expect(commands).toEqual([]);
    }
  });

  it('JSON content types with parameters or another case, and no content type, are accepted', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json', undefined]) {
      const { res } = await callCounting(o, { ...(await validRequest(o, world)), headers: { 'content-type': contentType } });
      expect({ contentType, status: res.status }).toEqual({ contentType, status: o.response.status });
    }
  });
});

describe.each(BODY_OPERATIONS.map((o) => [o.name, o] as const))('%s body depth and size', (_, o) => {
  it('a field nested 20,000 levels deep (arrays or objects) → 400 OBP-10001, nothing written', async () => {
    const request = await validRequest(o, world);
    const [field] = Object.keys(request.body as object);
    for (const nested of ['['.repeat(20_000) + ']'.repeat(20_000), '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)]) {
      const { res, commands } = await callCounting(o, { ...request, rawBody: JSON.stringify(request.body).replace(/}$/, `,${JSON.stringify(field)}:${nested}}`) });
      expectObpError(res, 400, 'OBP-10001: Incorrect json format.');
      expect(commands.filter((c) => WRITE_COMMANDS.includes(c))).toEqual([]);
    }
  });

  it('each field of 60,000 characters → 400 (OBP-10001 naming it, or the field’s own OBP error), nothing written', async () => {
    const request = await validRequest(o, world);
    const huge = 'x'.repeat(60_000);
    for (const [field, value] of Object.entries(request.body as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      const { res, commands } = await callCounting(o, { ...request, body: { ...(request.body as object), [field]: huge } });
      checkObpError(res, [huge]);
      expect(res.status).toBe(400);
      // OBP's own errors for a bank id (OBP-20010) and a role name (OBP-10007) take precedence, as in OBP.
      if (String(res.body.message).startsWith('OBP-10001')) expect(res.body.message).toContain(field);
      else expect(String(res.body.message).slice(0, 9)).toMatch(/^OBP-(20010|10007)$/);
      expect(commands.filter((c) => WRITE_COMMANDS.includes(c))).toEqual([]);
    }
  });
});

describe.each(LIST_OPERATIONS.map((o) => [o.name, o] as const))('%s query string', (_, o) => {
  const read = async (query: string) => (await callCounting(o, { ...(await validRequest(o, world)), query })).res;
  const idsOf = (res: Response): unknown[] => Object.values(res.body).find(Array.isArray) as unknown[];

  it('10,000 characters of unknown parameters are ignored', async () => {
    const plain = await read('');
    const long = await read(`x=${'y'.repeat(10_000)}&${Array.from({ length: 500 }, (_, i) => `p${i}=${i}`).join('&')}`);
    expect({ status: long.status, items: idsOf(long) }).toEqual({ status: 200, items: idsOf(plain) });
  });

  it.each([
    ['a limit of 10,000 digits', `limit=${'9'.repeat(10_000)}`, 'OBP-10025'],
    ['an offset of 10,000 digits', `offset=${'1'.repeat(10_000)}`, 'OBP-10024'],
    ['a date of 10,000 characters', `from_date=${'2'.repeat(10_000)}`, 'OBP-10026'],
    ['a sort direction of 10,000 characters', `sort_direction=${'a'.repeat(10_000)}`, 'OBP-10023'],
  ])('%s → 400 OBP-10016 with the parameter’s error', async (_, query, inner) => {
    const res = await read(query);
    expectObpError(res, 400, 'OBP-10016: Incorrect filter Parameters in URL. ');
    expect(res.body.message).toContain(`<- ${inner}`);
  });

  it('a cursor of 10,000 characters → 400 OBP-10016 cursor', async () => {
    for (const cursor of ['a'.repeat(10_000), `${'a'.repeat(5_000)}.${'b'.repeat(4_999)}`]) {
      const res = await read(`cursor=${cursor}`);
      expectObpError(res, 400, 'OBP-10016: Incorrect filter Parameters in URL. ');
      expect(res.body.message).toContain('cursor: ');
    }
  });

  it('a repeated parameter counts by its first value', async () => {
    expect((await read('limit=1&limit=abc')).status).toBe(200);
    expectObpError(await read('limit=abc&limit=1'), 400, 'OBP-10016: Incorrect filter Parameters in URL. ');
    expectObpError(await read('sort_direction=up&sort_direction=asc'), 400, 'OBP-10016: Incorrect filter Parameters in URL. ');
    expect(idsOf(await read('sort_direction=asc&sort_direction=desc'))).toEqual(idsOf(await read('sort_direction=asc')));
    expect(idsOf(await read('from_date=2000-01-01&from_date=3000-01-01'))).toEqual(idsOf(await read('from_date=2000-01-01')));
  });

  it('a from_date after the to_date, or after the default end, bounds no item: an empty page', async () => {
    for (const query of ['from_date=2020-01-02&to_date=2020-01-01', 'from_date=9999-12-31T23:59:59.999Z', 'from_date=2020-01-01T00:00:00.001Z&to_date=2020-01-01T00:00:00.000Z']) {
      const res = await read(query);
      expect({ query, status: res.status, items: idsOf(res), link: res.headers.link }).toEqual({ query, status: 200, items: [], link: undefined });
    }
  });

  // A cursor's digest is no secret (functions/http/paging.ts): one forged for this very list must still be harmless.
  const forged = async (payload: string) => {
    const request = await validRequest(o, world);
    const binding = cursorBinding(o.name, request.params ?? {}, callers.get(o.name) as string, 'DESC');
    return (await callCounting(o, { ...request, query: `cursor=${encodeURIComponent(forgeCursor(payload, binding))}` })).res;
  };

  it('a cursor forged past its digest whose payload is no position → 400 OBP-10016 cursor', async () => {
    for (const payload of ['not json', '{', 'null', '[1]', '"x"', '{}', '{"SK":1}', '{"__proto__":{"polluted":"yes"}}']) {
      const res = await forged(payload);
      expectObpError(res, 400, 'OBP-10016: Incorrect filter Parameters in URL. ');
      expect(res.body.message).toContain('cursor: ');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a cursor forged onto a bound of the list’s key range, or with a key DynamoDB cannot start from → 400 OBP-10016 cursor', async () => {
    const EPOCH = '1970-01-01T00:00:00.000Z';
    const END = '4000-01-01T00:00:00.000Z';
    // The list's key range (docs/design.md, "Data model"): [lower, upper] of the sort attribute, for no date filters.
    const onIndex = (sk: string) => (value: string) => JSON.stringify({ GSI1SK: value, PK: 'CUSTOMER#x', SK: sk });
    const bounds: Record<string, { position: (v: string) => string; lower: string; upper: string }> = {
      getCustomersAtOneBank: { position: onIndex('CUSTOMER'), lower: EPOCH, upper: `${END}#\uffff` },
      getCustomersMinimalAtOneBank: { position: onIndex('CUSTOMER'), lower: EPOCH, upper: `${END}#\uffff` },
      getEntitlementsForBank: { position: onIndex('ROLE#x#y'), lower: EPOCH, upper: `${END}#\uffff` },
      getCustomerMessages: { position: (v) => JSON.stringify({ SK: v }), lower: `MSG#${EPOCH}`, upper: `MSG#${END}#\uffff` },
      getMyMessages: { position: (v) => JSON.stringify({ SK: v }), lower: `MSG#${EPOCH}`, upper: `MSG#${END}#\uffff` },
      getEntitlements: { position: (v) => JSON.stringify({ SK: v }), lower: 'ROLE#', upper: 'ROLE#\uffff' },
      getUserCustomerLinksByUserId: { position: (v) => JSON.stringify({ SK: v }), lower: `LINK#${world.bankA}#`, upper: `LINK#${world.bankA}#\uffff` },
      getUserCustomerLinksByCustomerId: { position: (v) => JSON.stringify({ SK: v }), lower: 'LINK#', upper: 'LINK#\uffff' },
    };
    const list = bounds[o.name];
    if (!list) throw new Error(`No key range known for ${o.name}: add it here`);
    const inside = `${list.lower}5`;
    for (const value of [list.lower, list.upper, '', `${inside}\ud800`, `${inside}${'x'.repeat(1_100)}`]) {
      const res = await forged(list.position(value));
      expectObpError(res, 400, 'OBP-10016: Incorrect filter Parameters in URL. ');
    }
    // Just inside the range, a forged position only starts this same list elsewhere.
    expect((await forged(list.position(inside))).status).toBe(200);
  });
});

describe('operations that are not lists ignore the query string', () => {
  it.each(['getCustomerById', 'createCustomer', 'updateCustomerEmail', 'getBank'])('%s with 10,000 characters of list parameters, repeated', async (name) => {
    const o = operationByName(name);
    const query = `limit=abc&offset=-1&cursor=x&sort_direction=up&from_date=never&limit=0&x=${'z'.repeat(10_000)}`;
    const { res } = await callCounting(o, { ...(await validRequest(o, world)), query });
    expect(res.status).toBe(o.response.status);
  });
});

describe('odd headers', () => {
  const getBank = op('getBank');

  it("x-request-id answers the platform's request id, never the caller's, sane or odd, never reflected into a header", async () => {
    const sane = uniqueId('req-');
    const answered = (await invoke(getBank, { ...(await validRequest(getBank, world)), headers: { 'x-request-id': sane } })).headers['x-request-id'];
    expect(answered).toMatch(/^[0-9a-f-]{36}$/);
    expect(answered).not.toBe(sane);
    for (const odd of ['a\r\nSet-Cookie: x=1', 'x'.repeat(200), '<script>', 'üñí', '', ' ', 'a b']) {
      const res = await invoke(getBank, { ...(await validRequest(getBank, world)), headers: { 'x-request-id': odd } });
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('no response header ever carries a line break, whatever the request', async () => {
    const o = op('createCustomer');
    const res = await invoke(o, { ...(await validRequest(o, world)), authorization: 'Bearer a\r\nb', headers: { 'x-request-id': 'x\r\ny', 'content-type': 'text/plain\r\nX: y' } });
    checkObpError(res);
    for (const value of Object.values(res.headers)) expect(String(value)).not.toMatch(/[\r\n]/);
  });

  it('Authorization values with control characters, unicode or 16 KB → 401, never a 5xx', async () => {
    const o = op('getCurrentUser');
    for (const authorization of ['Bearer \u0000', 'Bearer 💥.💥.💥', `Bearer ${'a'.repeat(16_384)}`, `Bearer ${'a.'.repeat(5000)}a`, 'Bearer\ttoken', '\u202eBearer x']) {
      expectObpError(await invoke(o, { authorization }), 401, NOT_LOGGED_IN);
    }
  });

  it('header names in any case are understood; unknown and spoofed headers change nothing', async () => {
    const o = op('createCustomer');
    const res = await invoke(o, {
      ...(await validRequest(o, world)),
      headers: {
        'Content-Type': 'application/json',
        AUTHORIZATION: await bearer(callers.get('createCustomer') as string),
        Host: 'evil.example',
        'X-Forwarded-For': '1.2.3.4',
        'X-Amz-Target': 'DynamoDB_20120810.DeleteTable',
        Cookie: `session=${'c'.repeat(16_000)}`,
      },
    });
    expect(res.status).toBe(201);
  });
});

describe('path parameters with odd characters', () => {
  const ODD_IDS = [
    '#', 'a#b', '%23', 'a%23b', '%', '%%', '%zz', '/', 'a/b', '..', '.', ' ', '\u0000', '\n', '\t', '💥', 'ﷺ', '\u202eevil',
    'BANK#x', 'CUSTOMER#x', 'USER#test-admin', 'ROLE##CanCreateBank', 'MSG#', `#h${'0'.repeat(64)}`, 'x'.repeat(300), '€'.repeat(1000),
    '\ud800', 'a\udfffb', "' OR '1'='1", '$ne', '__proto__', 'constructor',
  ];

  it.each(OPERATIONS.filter((x) => pathParamsOf(x).includes('BANK_ID')).map((x) => x.name))(
    '%s: an odd BANK_ID → 404 OBP-30001 naming it exactly',
    async (name) => {
      const o = op(name);
      for (const bankId of ODD_IDS) {
        const { res, commands } = await callCounting(o, { ...(await validRequest(o, world)), params: { BANK_ID: bankId } });
        expectObpError(res, 404, 'OBP-30001: Bank not found. Please specify a valid value for BANK_ID.', [bankId]);
        expect(res.body.message).toBe(`OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${bankId}`);
        expect(commands).toEqual(['BatchGetCommand']);
      }
    },
  );

  it.each(OPERATIONS.filter((x) => pathParamsOf(x).includes('CUSTOMER_ID')).map((x) => x.name))(
    '%s: an odd CUSTOMER_ID, or the real one with something around it, → 404 OBP-30046, nothing written',
    async (name) => {
      const o = op(name);
      const real = world.customerA.customer_id;
      for (const customerId of [...ODD_IDS, `${real}#`, `${real}%23`, `#${real}`, `${real} `, real.toUpperCase(), `${real}/messages`, `${real}\u0000`]) {
        const { res, commands } = await callCounting(o, { ...(await validRequest(o, world)), params: { BANK_ID: world.bankA, CUSTOMER_ID: customerId } });
        expectObpError(res, 404, 'OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.', [customerId]);
        expect(commands.filter((c) => c !== 'BatchGetCommand')).toEqual([]);
      }
    },
  );

  it('deleteEntitlement: an odd ENTITLEMENT_ID → 404 OBP-30212, nothing written', async () => {
    const o = op('deleteEntitlement');
    const real = (await validRequest(o, world)).params as Record<string, string>;
    for (const entitlementId of [...ODD_IDS, `${real.ENTITLEMENT_ID}#`, `${real.ENTITLEMENT_ID}%23`, (real.ENTITLEMENT_ID as string).toUpperCase()]) {
      const { res, commands } = await callCounting(o, { params: { ...real, ENTITLEMENT_ID: entitlementId } });
      expectObpError(res, 404, 'OBP-30212: EntitlementId not found', [entitlementId]);
      expect(commands).toEqual(['BatchGetCommand']);
    }
  });

  it('deleteUserCustomerLink: an odd USER_CUSTOMER_LINK_ID → 400 OBP-30035, nothing written', async () => {
    const o = op('deleteUserCustomerLink');
    const real = (await validRequest(o, world)).params as Record<string, string>;
    const id = real.USER_CUSTOMER_LINK_ID as string;
    for (const linkId of [...ODD_IDS, `${id}#`, `${id}%23`, id.toUpperCase(), `${id}/x`]) {
      const { res, commands } = await callCounting(o, { params: { ...real, USER_CUSTOMER_LINK_ID: linkId } });
      expectObpError(res, 400, 'OBP-30035: User Customer Link not found', [linkId]);
      expect(commands).toEqual(['BatchGetCommand']);
    }
  });

  it('the local router decodes percent-encoded segments into the right operation and parameter', async () => {
    const user = callers.get('getCustomerById') as string;
    // An encoded '/' and '#' stay inside the parameter; they do not add path segments or cut the URL.
    for (const [path, message] of [
      [`/obp/v5.0.0/banks/${world.bankA}/customers/${encodeURIComponent('a/b#c')}`, 'Current CustomerId(a/b#c)'],
      [`/obp/v5.0.0/banks/${encodeURIComponent(`${world.bankA}#x`)}/customers/x`, `Current BankId is ${world.bankA}#x`],
      [`/obp/v5.0.0/banks/${world.bankA}/customers/customer-number`, 'Current CustomerId(customer-number)'],
    ] as const) {
      const res = await call('GET', path, { as: user });
      expect(res.status).toBe(404);
      expect(res.body.message).toContain(message);
    }
  });
});

describe('paths no operation serves (the $default route)', () => {
  it('any odd path or method gets the OBP 404 body naming it, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('obp', 'v5.0.0', 'banks', '..', '%00', '%zz', '#', '?x=1')), { maxLength: 8 }),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        async (segments, method, contentType) => {
          // Set as API Gateway passes it (not parsed as a URL: '//x' or '/%zz' are paths here, not hosts or errors).
          const path = `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
          const event = toApiGatewayEvent({ method, url: '/', headers: { 'content-type': contentType }, routeKey: '$default' });
          event.rawPath = path;
          event.requestContext.http.path = path;
          const result = await notFound(event);
          const res: Response = { status: result.statusCode ?? 0, body: JSON.parse(result.body ?? ''), text: result.body ?? '', headers: result.headers as Record<string, string> };
          expectObpError(res, 404, 'OBP-10404: 404 Not Found. The server could not find the requested URI.', [event.rawPath, contentType ?? '']);
          expect(res.body.message).toContain(`Current Url is (${event.rawPath})`);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});

describe('no key injection', () => {
  const createCustomer = op('createCustomer');
  const customerBody = { legal_name: 'Injection', mobile_phone_number: '1' };

  /** Whether `user` may create a customer at bank A. */
  const canCreate = async (user: string): Promise<boolean> => {
    const res = await invoke(createCustomer, { params: { BANK_ID: world.bankA }, body: customerBody, authorization: await bearer(user) });
    expect([201, 403]).toContain(res.status);
    return res.status === 201;
  };

  it("user ids that differ only by '#' and its escape '%23' are different users", async () => {
    const base = uniqueId('inj');
    const [withHash, withEscape, withBoth] = [`${base}#x`, `${base}%23x`, `${base}%2523x`];
    await grantRoles(withHash, ['CanCreateCustomer'], world.bankA);
    expect(await canCreate(withHash)).toBe(true);
    expect(await canCreate(withEscape)).toBe(false);
    expect(await canCreate(withBoth)).toBe(false);
    expect(await canCreate(base)).toBe(false);
  });

  it('a user id cannot reach another user’s or another bank’s role items by adding key separators', async () => {
    const victim = uniqueId('victim-');
    await grantRoles(victim, ['CanCreateCustomer'], world.bankA);
    for (const attacker of [`${victim}#`, `${victim}#ROLE#${world.bankA}#CanCreateCustomer`, `${victim}%`, `USER#${victim}`, `${victim}\u0000`]) {
      expect(await canCreate(attacker)).toBe(false);
    }
    // Nor does any look-alike of the super admin get its bypass.
    const addEntitlement = op('addEntitlement');
    for (const sub of ['test-admin ', 'TEST-ADMIN', 'test-admin#', ' test-admin', 'test-admin\u0000', 'test-admin,x']) {
      const res = await invoke(addEntitlement, { params: { USER_ID: uniqueId('t-') }, body: { bank_id: '', role_name: 'CanCreateBank' }, authorization: await bearer(sub) });
      expectObpError(res, 403, 'OBP-20050: Current User is not a Super Admin!');
    }
  });

  it('long ids (hashed into keys) stay distinct, and nobody can pose as a hash', async () => {
    // 100 '€' are 300 bytes, over the 256-byte key part limit, within the 255-character sub limit.
    const long = `${'€'.repeat(100)}${uniqueId('')}`;
    const sameStart = `${long.slice(0, -1)}${long.endsWith('0') ? '1' : '0'}`;
    const hashLike = `#h${createHash('sha256').update(long).digest('hex')}`;
    await grantRoles(long, ['CanCreateCustomer'], world.bankA);
    expect(await canCreate(long)).toBe(true);
    expect(await canCreate(sameStart)).toBe(false);
    expect(await canCreate(hashLike)).toBe(false);
    // The long user's entitlements are listed under their own id only.
    const reader = uniqueId('reader-');
    await grantRoles(reader, ['CanGetEntitlementsForAnyUserAtAnyBank'], world.bankA);
    const list = async (userId: string) =>
      (await invoke(op('getEntitlements'), { params: { USER_ID: userId }, authorization: await bearer(reader) })).body.list.map((e: { role_name: string }) => e.role_name);
    expect(await list(long)).toEqual(['CanCreateCustomer']);
    expect(await list(sameStart)).toEqual([]);
    expect(await list(hashLike)).toEqual([]);
  });

  it("customer numbers that differ only by '#' and '%23' are different numbers, each found exactly", async () => {
    const creator = callers.get('createCustomer') as string;
    const base = uniqueId('n');
    const numbers = [`${base}#1`, `${base}%231`, `${base}%25231`];
    const ids: string[] = [];
    for (const customer_number of numbers) {
      const res = await invoke(createCustomer, { params: { BANK_ID: world.bankA }, body: { ...customerBody, customer_number }, authorization: await bearer(creator) });
      expect(res.status).toBe(201);
      ids.push(res.body.customer_id);
    }
    const byNumber = op('getCustomerByNumber');
    const reader = callers.get('getCustomerByNumber') as string;
    for (const [i, customer_number] of numbers.entries()) {
      const res = await invoke(byNumber, { params: { BANK_ID: world.bankA }, body: { customer_number }, authorization: await bearer(reader) });
      expect({ status: res.status, id: res.body.customer_id }).toEqual({ status: 200, id: ids[i] });
    }
    const missing = await invoke(byNumber, { params: { BANK_ID: world.bankA }, body: { customer_number: `${base}` }, authorization: await bearer(reader) });
    expect(missing.status).toBe(404);
  });

  it('odd token subjects are users like any other: they see exactly their own identity and nothing else', async () => {
    const current = op('getCurrentUser');
    for (const sub of ['a#b', 'a%23b', 'USER#test-admin', 'ROLE##CanCreateBank', '💥 spaced out ', '\u202eadmin', 'nul\u0000byte', '../..']) {
      const res = await invoke(current, { authorization: await bearer(sub) });
      expect({ status: res.status, user_id: res.body.user_id, roles: res.body.entitlements.list }).toEqual({ status: 200, user_id: sub, roles: [] });
    }
  });

  it('a customer of bank A linked to an odd user id is listed for that user only', async () => {
    const link = op('createUserCustomerLink');
    const customer = (await newCustomer(world.bankA)) as { customer_id: string };
    const odd = `${uniqueId('odd')}#LINKS`;
    const res = await invoke(link, { params: { BANK_ID: world.bankA }, body: { user_id: odd, customer_id: customer.customer_id }, authorization: await bearer(callers.get('createUserCustomerLink') as string) });
    expect(res.status).toBe(201);
    const post = op('createCustomerMessage');
    const marker = uniqueId('m-');
    const sent = await invoke(post, {
      params: { BANK_ID: world.bankA, CUSTOMER_ID: customer.customer_id },
      body: { message: marker, transport: 'SMS', from_department: 'd', from_person: 'p' },
      authorization: await bearer(callers.get('createCustomerMessage') as string),
    });
    expect(sent.status).toBe(201);
    const mine = op('getMyMessages');
    const messagesOf = async (user: string) =>
      (await invoke(mine, { params: { BANK_ID: world.bankA }, authorization: await bearer(user) })).body.messages.map((m: { message: string }) => m.message);
    expect(await messagesOf(odd)).toEqual([marker]);
    expect(await messagesOf(odd.replace('#LINKS', ''))).toEqual([]);
    expect(await messagesOf(`${odd}#LINKS`)).toEqual([]);
  });
});
