// The local server's documentation, end to end: /openapi.json and the /docs page over HTTP, the page in a real
// browser (Debian's Chromium driven by playwright-core), and every documented operation called over HTTP with its
// answer checked against the document. Needs /usr/bin/chromium (apt-get install -y chromium): without it the
// browser test fails, it is never skipped.
import { mkdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { operationByName, operationPaths, OPERATIONS } from '../../functions/common/operations';
import { createDevTokenIssuer } from '../../local/dev-tokens';
import { docsRoutes, SWAGGER_UI_ASSETS } from '../../local/docs';
import { createLocalServer } from '../../local/server';
import { launchChromium, type RunningChromium } from '../../scripts/chromium';
import { buildOpenApi, OPENAPI_ROUTE, PERSON_OPERATIONS, type JsonObject } from '../../scripts/openapi';
import { grant, newBank, newCustomer, SUPER_ADMIN, uniqueId, userWith } from '../support/fixtures';
import { documentChecker } from '../support/openapi';
import { createResponseChecker } from '../support/openapi-check';
import { tokenFor } from '../support/tokens';

const OUTPUT_DIR = join(__dirname, '..', '..', 'test-output');
const SCREENSHOT = join(OUTPUT_DIR, 'docs-page.png');

const doc = buildOpenApi();
const check = documentChecker(doc);
const answerProblems = createResponseChecker(doc);
let server: Server;
let base: string;

beforeAll(async () => {
  server = createLocalServer({ tokens: await createDevTokenIssuer(), extraRoutes: docsRoutes(doc) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

interface HttpOptions {
  as?: string;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

const http = async (method: string, path: string, options: HttpOptions = {}): Promise<HttpResponse> => {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': options.contentType ?? 'application/json', ...options.headers };
  if (options.as) headers.authorization = `Bearer ${await tokenFor(options.as)}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
};

/**
 * The response is one the document lists for that operation, with the documented body (none for a 204) and the
 * documented headers: every answer's, Link and Idempotent-Replayed only where the document has them.
 */
const expectDocumented = (method: string, template: string, res: HttpResponse): void => {
  const problems = answerProblems(method, template, res.status, res.text);
  expect({ method, template, status: res.status, problems }).toEqual({ method, template, status: res.status, problems: [] });
  if (res.text !== '') expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  if (res.status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  const headers = Object.keys((check.operation(method, template).responses as any)[String(res.status)]?.headers ?? {});
  if (res.headers.get('link') !== null) expect(headers).toContain('Link');
  if (res.headers.get('idempotent-replayed') !== null) expect(headers).toContain('Idempotent-Replayed');
};

/** The request body example the document shows for an operation. */
const exampleBody = (name: string): unknown => {
  const op = operationByName(name);
  const example = (check.operation(op.method, operationPaths(op).at(-1) as string).requestBody as any)?.content['application/json'].example;
  if (example === undefined) throw new Error(`The document shows no request example for ${name}`);
  return structuredClone(example);
};

const fill = (template: string, params: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for ${name} in ${template}`);
    return encodeURIComponent(value);
  });

describe('the document and the docs page over HTTP', () => {
  test('GET /openapi.json serves the generated document as JSON', async () => {
    const res = await fetch(`${base}${OPENAPI_ROUTE.path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(doc);
  });

  test('GET /docs is an HTML page whose every asset is served by this server from swagger-ui-dist, none from a CDN', async () => {
    const res = await fetch(`${base}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.sort()).toEqual([...Object.keys(SWAGGER_UI_ASSETS).map((f) => `/docs/${f}`), '/docs/docs.js'].sort());
    for (const asset of assets) {
      const file = asset.replace('/docs/', '');
      const got = await fetch(`${base}${asset}`);
      expect({ asset, status: got.status }).toEqual({ asset, status: 200 });
      expect(got.headers.get('content-type')).toBe(SWAGGER_UI_ASSETS[file] ?? 'text/javascript; charset=utf-8');
      expect((await got.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const initializer = await (await fetch(`${base}/docs/docs.js`)).text();
    expect(initializer).toContain('url: "/openapi.json"');
    expect(initializer).toContain('validatorUrl: null'); // no call to validator.swagger.io
  });

  test('a path under /docs that is not an asset is not served', async () => {
    const res = await fetch(`${base}/docs/index.html`);
    expect(res.status).toBe(404);
    expect((await fetch(`${base}/docs/swagger-ui-bundle.js.map`)).status).toBe(404);
  });
});

describe('every documented operation answers as the document says', () => {
  test('without a token: 401 where authentication is required, else the documented success', async () => {
    const bankId = await newBank();
    const customer = await newCustomer(bankId);
    const params = {
      BANK_ID: bankId,
      CUSTOMER_ID: customer.customer_id as string,
      USER_ID: uniqueId('user-'),
      ENTITLEMENT_ID: 'c0ffee00-0000-4000-8000-00000000e001',
      USER_CUSTOMER_LINK_ID: 'c0ffee00-0000-4000-8000-00000000f001',
    };
    for (const [template, item] of Object.entries(doc.paths)) {
      if (template === OPENAPI_ROUTE.path) continue;
      for (const [method, operation] of Object.entries(item)) {
        const res = await http(method.toUpperCase(), fill(template, params), { body: method === 'post' || method === 'put' ? {} : undefined });
        expectDocumented(method.toUpperCase(), template, res);
        expect({ template, status: res.status }).toEqual({ template, status: ((operation as JsonObject).security as unknown[]).length > 0 ? 401 : 200 });
      }
    }
  });

  test('each operation succeeds with its documented status and body, and its errors have the documented body', async () => {
    const succeeded = new Set<string>();
    // Call an operation under one of its paths (the newest by default) and check the answer against the document.
    const run = async (name: string, params: Record<string, string>, options: HttpOptions & { prefix?: string; query?: string } = {}) => {
      const op = operationByName(name);
      const paths = operationPaths(op);
      const template = options.prefix ? (paths.find((p) => p.startsWith(`/obp/${options.prefix}/`)) as string) : (paths.at(-1) as string);
      expect(template).toBeDefined();
      const res = await http(op.method, `${fill(template, params)}${options.query ?? ''}`, options);
      expectDocumented(op.method, template, res);
      if (res.status === op.response.status) succeeded.add(name);
      return res;
    };
    /** The path and query of a page's `Link: <…>; rel="next"`, to follow it. */
    const nextPage = (res: HttpResponse): string | undefined => /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1];

    expect((await run('root', {}, { prefix: 'v1.4.0' })).status).toBe(200);

    const creator = uniqueId('creator-');
    await grant(creator, 'CanCreateBank');
    const bankId = uniqueId('bk');
    const bank = { id: bankId, bank_code: 'TEST', full_name: 'Test Bank', bank_routings: [{ scheme: 'BIC', address: 'TESTGB2L' }] };
    expect((await run('createBank', {}, { as: creator, body: bank })).status).toBe(201);
    expect((await run('createBank', {}, { as: creator, body: bank })).status).toBe(400); // OBP-34000
    expect((await run('getBank', { BANK_ID: bankId })).status).toBe(200);
    expect((await run('getBank', { BANK_ID: 'no-such-bank' })).status).toBe(404);

    // Roles: grant, list (a user's, the bank's), revoke.
    const clerk = uniqueId('clerk-');
    const granted = await run('addEntitlement', { USER_ID: clerk }, { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: 'CanCreateCustomer' } });
    expect(granted.status).toBe(201);
    expect((await run('addEntitlement', { USER_ID: clerk }, { as: clerk, body: { bank_id: '', role_name: 'CanCreateBank' } })).status).toBe(403);
    const auditor = await userWith(bankId, 'CanGetEntitlementsForAnyUserAtAnyBank', 'CanGetEntitlementsForOneBank');
    expect((await run('getEntitlements', { USER_ID: clerk }, { as: auditor })).body.list).toHaveLength(1);
    expect((await run('getEntitlements', { USER_ID: clerk }, { as: clerk })).status).toBe(403);
    expect((await run('getEntitlements', { USER_ID: clerk }, { as: auditor, query: '?limit=0' })).status).toBe(400); // OBP-10016
    expect((await run('getCurrentUser', {}, { as: clerk })).body.entitlements.list).toHaveLength(1);
    const review = await run('getEntitlementsForBank', { BANK_ID: bankId }, { as: auditor });
    expect(review.body.list.map((e: Record<string, string>) => e.user_id)).toContain(clerk);
    const temporary = await run('addEntitlement', { USER_ID: clerk }, { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: 'CanGetCustomers' } });
    const revoke = { USER_ID: clerk, ENTITLEMENT_ID: temporary.body.entitlement_id as string };
    expect((await run('deleteEntitlement', revoke, { as: clerk })).status).toBe(403);
    expect((await run('deleteEntitlement', revoke, { as: SUPER_ADMIN })).status).toBe(204);
    expect((await run('deleteEntitlement', revoke, { as: SUPER_ADMIN })).status).toBe(404); // OBP-30212
    expect((await run('deleteEntitlement', { ...revoke, ENTITLEMENT_ID: granted.body.entitlement_id, USER_ID: auditor }, { as: SUPER_ADMIN })).status).toBe(400); // OBP-30213

    // The Person operations are called with the request examples the document shows.
    const FULL = { ...(exampleBody('createCustomer') as Record<string, unknown>), customer_number: uniqueId('n') };
    const created = await run('createCustomer', { BANK_ID: bankId }, { as: clerk, body: FULL, prefix: 'v5.0.0' });
    expect(created.status).toBe(201);
    const customerId = created.body.customer_id as string;
    expect((await run('createCustomer', { BANK_ID: bankId }, { as: clerk, body: FULL })).status).toBe(400); // OBP-30006
    expect((await run('createCustomer', { BANK_ID: bankId }, { as: clerk, body: { legal_name: 'No phone' } })).status).toBe(400);
    expect((await run('createCustomer', { BANK_ID: bankId }, { as: auditor, body: FULL })).status).toBe(403);
    expect((await run('createCustomer', { BANK_ID: 'no-such-bank' }, { as: clerk, body: FULL })).status).toBe(404);
    expect((await run('createCustomer', { BANK_ID: bankId }, { as: clerk, body: FULL, contentType: 'text/plain' })).status).toBe(404); // OBP-10404

    // Retrying safely: a replay, the same key with another body, a malformed key.
    const retried = { legal_name: 'Retried Customer', mobile_phone_number: '+44 1234' };
    const key = { 'idempotency-key': uniqueId('key-') };
    const first = await run('createCustomer', { BANK_ID: bankId }, { as: clerk, body: retried, headers: key });
    expect(first.status).toBe(201);
    const again = await run('createCustomer', { BANK_ID: bankId }, { as: clerk, body: retried, headers: key });
    expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), body: again.body }).toEqual({ status: 201, replayed: 'true', body: first.body });
    expect((await run('createCustomer', { BANK_ID: bankId }, { as: clerk, body: { ...retried, legal_name: 'Other' }, headers: key })).status).toBe(422); // OBP-10061
    expect((await run('createCustomer', { BANK_ID: bankId }, { as: clerk, body: retried, headers: { 'idempotency-key': 'has space' } })).status).toBe(400); // OBP-10060

    // Messages: the v1.4.0 post needs the role and a link to the customer.
    const ids = { BANK_ID: bankId, CUSTOMER_ID: customerId };
    const alice = await userWith(bankId, 'CanCreateCustomerMessage');
    const v14 = exampleBody('addCustomerMessage');
    expect((await run('addCustomerMessage', ids, { as: clerk, body: v14 })).status).toBe(403);
    expect((await run('addCustomerMessage', ids, { as: alice, body: v14 })).status).toBe(400); // OBP-30008: no link yet
    const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
    const linked = await run('createUserCustomerLink', { BANK_ID: bankId }, { as: linker, body: { user_id: alice, customer_id: customerId } });
    expect(linked.status).toBe(201);
    expect((await run('createUserCustomerLink', { BANK_ID: bankId }, { as: linker, body: { user_id: linker, customer_id: customerId } })).status).toBe(400); // no self-link
    expect((await run('addCustomerMessage', ids, { as: alice, body: v14, prefix: 'v1.4.0' })).status).toBe(201);
    const messenger = await userWith(bankId, 'CanCreateCustomerMessage');
    const v4 = exampleBody('createCustomerMessage');
    expect((await run('createCustomerMessage', ids, { as: messenger, body: v4, prefix: 'v4.0.0' })).status).toBe(201);
    expect((await run('createCustomerMessage', ids, { as: clerk, body: v4 })).status).toBe(403);
    expect((await run('createCustomerMessage', { ...ids, CUSTOMER_ID: 'no-such-customer' }, { as: messenger, body: v4 })).status).toBe(404);

    // Lists: a page of one with a Link to the next, followed to the last page (which has none).
    const reader = await userWith(bankId, 'CanGetCustomerMessages');
    expect((await run('getCustomerMessages', ids, { as: reader })).body.messages).toHaveLength(2);
    const page1 = await run('getCustomerMessages', ids, { as: reader, query: '?limit=1' });
    const next = nextPage(page1);
    expect({ items: page1.body.messages.length, next: next?.includes('cursor=') }).toEqual({ items: 1, next: true });
    const page2 = await http('GET', next as string, { as: reader });
    expectDocumented('GET', operationPaths(operationByName('getCustomerMessages')).at(-1) as string, page2);
    expect({ items: page2.body.messages.length, next: nextPage(page2) }).toEqual({ items: 1, next: undefined });
    expect(page2.body.messages[0].id).not.toBe(page1.body.messages[0].id);
    expect((await run('getCustomerMessages', ids, { as: reader, query: `?cursor=${encodeURIComponent('x.y')}` })).status).toBe(400);
    expect((await run('getMyMessages', { BANK_ID: bankId }, { as: alice })).body.messages).toHaveLength(2);

    const getter = await userWith(bankId, 'CanGetCustomer', 'CanGetCustomers', 'CanGetCustomersMinimal', 'CanGetUserCustomerLink');
    expect((await run('getCustomerById', ids, { as: getter })).body.customer_id).toBe(customerId);
    expect((await run('getCustomerByNumber', { BANK_ID: bankId }, { as: getter, body: { customer_number: FULL.customer_number } })).status).toBe(200);
    expect((await run('getCustomerByNumber', { BANK_ID: bankId }, { as: getter, body: { customer_number: 'none' } })).status).toBe(404);
    const customers = await run('getCustomersAtOneBank', { BANK_ID: bankId }, { as: getter, query: '?limit=1' });
    expect({ items: customers.body.customers.length, next: nextPage(customers) !== undefined }).toEqual({ items: 1, next: true });
    expect((await run('getCustomersMinimalAtOneBank', { BANK_ID: bankId }, { as: getter })).body.customers).toHaveLength(2);
    expect((await run('getUserCustomerLinksByUserId', { BANK_ID: bankId, USER_ID: alice }, { as: getter })).body.user_customer_links).toHaveLength(1);
    expect((await run('getUserCustomerLinksByCustomerId', ids, { as: getter })).body.user_customer_links).toHaveLength(1);

    // The eight customer updates, each with the example the document shows and its own role.
    for (const op of OPERATIONS.filter((o) => o.name.startsWith('updateCustomer'))) {
      const editor = await userWith(bankId, ...op.roles.slice(0, 1));
      expect((await run(op.name, ids, { as: getter, body: exampleBody(op.name) })).status).toBe(403);
      const updated = await run(op.name, ids, { as: editor, body: exampleBody(op.name) });
      expect({ name: op.name, status: updated.status }).toEqual({ name: op.name, status: 200 });
    }
    const numberEditor = await userWith(bankId, 'CanUpdateCustomerNumber');
    const taken = exampleBody('updateCustomerNumber'); // the first customer's number since the loop above
    const otherId = first.body.customer_id as string;
    expect((await run('updateCustomerNumber', { ...ids, CUSTOMER_ID: otherId }, { as: numberEditor, body: taken })).status).toBe(400); // OBP-30006

    // Revoking a link: 200 true, then it is gone.
    const unlinker = await userWith(bankId, 'CanDeleteUserCustomerLink');
    const link = { BANK_ID: bankId, USER_CUSTOMER_LINK_ID: linked.body.user_customer_link_id as string };
    expect((await run('deleteUserCustomerLink', link, { as: unlinker })).body).toBe(true);
    expect((await run('deleteUserCustomerLink', link, { as: unlinker })).status).toBe(400); // OBP-30035
    expect((await run('addCustomerMessage', ids, { as: alice, body: v14 })).status).toBe(400); // OBP-30008 again

    expect([...succeeded].sort()).toEqual(OPERATIONS.map((op) => op.name).sort());
  });
});

describe('the docs page in a real browser', () => {
  let chromium: RunningChromium | undefined;
  afterAll(async () => chromium?.close());

  test('Chromium shows the Person operations, runs a request against this server, and loads nothing from elsewhere', async () => {
    chromium = await launchChromium({ width: 1280, height: 900 }); // fails clearly when /usr/bin/chromium is missing
    const page = await chromium.context.newPage();
    const requested: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${base}/docs`);
    await page.locator('#operations-tag-Person').waitFor({ state: 'visible', timeout: 30_000 });
    await expectPageTitle(page.locator('.info .title'), 'OBP Person API');

    // The three Person operations, each under the Person tag, with its newest path.
    for (const name of PERSON_OPERATIONS) {
      const block = page.locator(`#operations-Person-${name}`);
      await block.waitFor({ state: 'visible' });
      expect((await block.locator('.opblock-summary-operation-id').textContent())?.trim()).toBe(name);
      const op = operationByName(name);
      expect((await block.locator('.opblock-summary-path').textContent())?.replace(/\u200b/g, '').trim()).toBe(operationPaths(op).at(-1));
      expect((await block.locator('.opblock-summary-method').textContent())?.trim()).toBe(op.method);
    }
    // …and their aliases under the older prefixes: as many entries as the document has under Person.
    const personOperations = Object.values(doc.paths).flatMap((item) => Object.values(item)).filter((o) => (o.tags as string[])?.includes('Person'));
    expect(await page.locator('[id^="operations-Person-"]').count()).toBe(personOperations.length);

    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);

    // "Try it out" on root: the page's server URL reaches this server's API.
    const root = page.locator('#operations-API-root');
    await root.locator('.opblock-summary-control').click();
    await root.getByRole('button', { name: 'Try it out' }).click();
    await root.getByRole('button', { name: 'Execute' }).click();
    const status = root.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ state: 'visible', timeout: 15_000 });
    expect((await status.textContent())?.trim()).toBe('200');
    expect(await root.locator('.live-responses-table tr.response .response-col_description').first().textContent()).toContain('"api_name": "obp-person-api"');

    expect(requested.length).toBeGreaterThan(3);
    const elsewhere = requested.filter((url) => /^(https?|wss?):/.test(url) && new URL(url).origin !== base);
    expect(elsewhere).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([`${base}/docs`, `${base}/openapi.json`, `${base}/docs/swagger-ui-bundle.js`, `${base}/obp/v5.1.0/root`]));
    expect(pageErrors).toEqual([]);
  });
});

const expectPageTitle = async (locator: import('playwright-core').Locator, title: string): Promise<void> => {
  await locator.waitFor({ state: 'visible' });
  expect(await locator.textContent()).toContain(title);
};
