// End to end over HTTP through `npm start`'s server: token → entitlement → bank → entitlement → customer.
import { startLocalServer, type StartedServer } from './local-server';

let server: StartedServer;

beforeAll(async () => {
  server = await startLocalServer();
}, 90_000);

afterAll(() => server?.stop());

const post = async (path: string, token: string | undefined, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
};

describe('the local server', () => {
  it('answers root anonymously', async () => {
    const res = await fetch(`${server.url}/obp/v5.0.0/root`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { version: string }).version).toBe('v5.0.0');
  });

  it('goes from a development token to a created customer', async () => {
    const issued = await post('/local/tokens', undefined, { user_id: 'admin', email: 'admin@example.com' });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;

    expect((await post('/obp/v5.0.0/users/admin/entitlements', token, { bank_id: '', role_name: 'CanCreateBank' })).status).toBe(201);
    const bank = await post('/obp/v5.0.0/banks', token, { id: 'e2e.bank', bank_code: 'E2E' });
    expect(bank.status).toBe(201);
    expect(bank.body.id).toBe('e2e.bank');
    expect((await post('/obp/v5.0.0/users/admin/entitlements', token, { bank_id: 'e2e.bank', role_name: 'CanCreateCustomer' })).status).toBe(201);

    const customer = await post('/obp/v5.1.0/banks/e2e.bank/customers', token, { legal_name: 'Eveline Tripman', mobile_phone_number: '+49 30 901820', customer_number: 5987953 });
    expect(customer.status).toBe(201);
    expect(customer.body).toMatchObject({ bank_id: 'e2e.bank', customer_number: '5987953', legal_name: 'Eveline Tripman' });

    const again = await post('/obp/v5.0.0/banks/e2e.bank/customers', token, { legal_name: 'X', mobile_phone_number: '1', customer_number: '5987953' });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/^OBP-30006: /);
  });

  it('issues development tokens for at most 24 hours, the longest lifetime the API accepts', async () => {
    const longest = await post('/local/tokens', undefined, { user_id: 'day-long', expires_in: 86_400 });
    expect(longest.status).toBe(201);
    const claims = JSON.parse(Buffer.from((longest.body.token as string).split('.')[1] as string, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(86_400);
    // The API takes it: a development token is an access token (docs/design.md, "Authentication").
    const me = await fetch(`${server.url}/obp/v5.0.0/users/current`, { headers: { authorization: `Bearer ${longest.body.token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user_id: string }).user_id).toBe('day-long');

    for (const expires_in of [86_401, 100 * 365 * 86_400, 0, -1, 1.5, '3600']) {
      const refused = await post('/local/tokens', undefined, { user_id: 'too-long', expires_in });
      expect({ expires_in, status: refused.status }).toEqual({ expires_in, status: 400 });
      expect(refused.body).toEqual({ code: 400, message: 'OBP-10001: Incorrect json format. expires_in must be a whole number of seconds from 1 to 86400.' });
    }
  });

  it('answers an unknown token with 401 and WWW-Authenticate', async () => {
    const res = await post('/obp/v5.0.0/banks', 'not-a-token', {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.body.message).toMatch(/^OBP-20001: User not logged in\. Authentication is required!/);
  });

  it('answers an unknown path with OBP-10404', async () => {
    const res = await fetch(`${server.url}/obp/v5.0.0/nowhere`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/^OBP-10404: /);
  });

  it('refuses a second server on the same port with a clear message', async () => {
    await expect(startLocalServer({ PORT: String(server.port) })).rejects.toThrow(/Port \d+ \(the API, set by PORT\) is already in use/);
  });
});
