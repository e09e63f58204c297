// Every authentication fault on every operation that needs a user, under every version prefix: 401 with OBP's
// OBP-20001 base text and `WWW-Authenticate: Bearer…`, decided before any DynamoDB call (so nothing is read or
// written). Among them, validly signed tokens that are not access tokens (an ID token, another typ, issued in the
// future, living longer than a day). Valid access tokens in every accepted form, on the same requests, are the
// control that shows the 401s come from the token alone.
import { createHash } from 'node:crypto';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { operationPaths, OPERATIONS, type Operation } from '../../functions/common/operations';
import { tokenFor } from '../support/tokens';
import { AUTH_OPERATIONS, allowedCaller, buildWorld, expectObpError, grantRoles, invoke, NOT_LOGGED_IN, spyOnTable, validRequest, type World } from './harness';

const ISSUER = process.env.JWT_ISSUER as string;
const AUDIENCE = process.env.JWT_AUDIENCE as string;
const b64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claimsFor = (sub: string): JWTPayload => ({ sub, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 });

/** The trusted signing key, to sign tokens that are wrong in their claims only. */
const trustedKey = () => importJWK(JSON.parse(process.env.TEST_PRIVATE_JWK as string), 'RS256');
const signWith = async (payload: JWTPayload, alg = 'RS256', kid = 'test-key', key?: CryptoKey | Uint8Array): Promise<string> =>
  new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key ?? (await trustedKey()));

/** A token signed by the trusted key with exactly this protected header (besides alg and kid). */
const signWithHeader = async (payload: JWTPayload, header: Record<string, unknown>): Promise<string> =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'test-key', ...header } as { alg: string }).sign(await trustedKey());
const DAY_S = 24 * 3600;
const YEAR_S = 365 * DAY_S;

/** Each fault makes an Authorization header value (undefined: no header) for user `sub`. */
const FAULTS: Record<string, (sub: string) => Promise<string | undefined>> = {
  'no Authorization header': async () => undefined,
  'an empty Authorization header': async () => '',
  '"Bearer" and nothing else': async () => 'Bearer',
  '"Bearer " and spaces': async () => 'Bearer    ',
  'Bearer with garbage': async () => 'Bearer garbage',
  'Bearer with three garbage segments': async () => 'Bearer aaaa.bbbb.cccc',
  'Bearer with a non-ASCII token': async () => 'Bearer ☃.☃.☃',
  'two bearer tokens': async (sub) => `Bearer ${await tokenFor(sub)}, Bearer ${await tokenFor(sub)}`,
  'a token whose signature was altered': async (sub) => {
    const [h, p, s] = (await tokenFor(sub)).split('.') as [string, string, string];
    return `Bearer ${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
  },
  'a token whose payload was altered (another sub)': async (sub) => {
    const [h, , s] = (await tokenFor(sub)).split('.') as [string, string, string];
    return `Bearer ${h}.${b64url(claimsFor('test-admin'))}.${s}`;
  },
  'a token signed with another key (same kid)': async (sub) => `Bearer ${await signWith(claimsFor(sub), 'RS256', 'test-key', otherKey.privateKey)}`,
  'a token signed with another key (unknown kid)': async (sub) => `Bearer ${await signWith(claimsFor(sub), 'RS256', 'attacker-key', otherKey.privateKey)}`,
  'an ES256 token from a key the issuer does not have': async (sub) => `Bearer ${await signWith(claimsFor(sub), 'ES256', 'test-key', ecKey.privateKey)}`,
  'alg: none, empty signature': async (sub) => `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claimsFor(sub))}.`,
  'alg: none with the kid of the real key': async (sub) => `Bearer ${b64url({ alg: 'none', kid: 'test-key' })}.${b64url(claimsFor(sub))}.`,
  'alg: "None", with a signature': async (sub) => `Bearer ${b64url({ alg: 'None', typ: 'JWT' })}.${b64url(claimsFor(sub))}.${b64url('sig')}`,
  'HS256 with the public key PEM as the secret (algorithm confusion)': async (sub) =>
    `Bearer ${await signWith(claimsFor(sub), 'HS256', 'test-key', new TextEncoder().encode(publicPem))}`,
  'HS256 with the public JWK JSON as the secret': async (sub) =>
    `Bearer ${await signWith(claimsFor(sub), 'HS256', 'test-key', new TextEncoder().encode(publicJwkJson))}`,
  'HS256 with the RSA modulus as the secret': async (sub) =>
    `Bearer ${await signWith(claimsFor(sub), 'HS256', 'test-key', Buffer.from(JSON.parse(publicJwkJson).n, 'base64url'))}`,
  'RS384, an algorithm that is not allow-listed, with the real key': async (sub) => {
    const key = await importJWK({ ...JSON.parse(process.env.TEST_PRIVATE_JWK as string), alg: 'RS384' }, 'RS384');
    return `Bearer ${await signWith(claimsFor(sub), 'RS384', 'test-key', key)}`;
  },
  'expired an hour ago': async (sub) => `Bearer ${await tokenFor(sub, { expiresIn: -3600 })}`,
  'expired a minute ago (beyond the clock tolerance)': async (sub) => `Bearer ${await tokenFor(sub, { expiresIn: -60 })}`,
  'not yet valid (nbf in an hour)': async (sub) => `Bearer ${await tokenFor(sub, { notBefore: 3600 })}`,
  'without exp': async (sub) => {
    const { exp: _, ...claims } = claimsFor(sub);
    return `Bearer ${await signWith(claims)}`;
  },
  'a wrong issuer': async (sub) => `Bearer ${await tokenFor(sub, { issuer: 'https://evil.example' })}`,
  'the issuer with a trailing slash': async (sub) => `Bearer ${await tokenFor(sub, { issuer: `${ISSUER}/` })}`,
  'a wrong audience': async (sub) => `Bearer ${await tokenFor(sub, { audience: 'another-api' })}`,
  'no audience at all': async (sub) => {
    const { aud: _, ...claims } = claimsFor(sub);
    return `Bearer ${await signWith(claims)}`;
  },
  'no sub': async () => `Bearer ${await tokenFor(undefined)}`,
  'an empty sub': async () => `Bearer ${await tokenFor('')}`,
  'a numeric sub': async () => `Bearer ${await signWith({ ...claimsFor('x'), sub: 42 as unknown as string })}`,
  'a sub longer than 255 characters': async () => `Bearer ${await tokenFor('u'.repeat(256))}`,
  'a Basic header': async () => `Basic ${Buffer.from('test-admin:password').toString('base64')}`,
  'an OBP DirectLogin header': async () => 'DirectLogin token=eyJhbGciOiJIUzI1NiJ9',
  'the token without the Bearer scheme': async (sub) => tokenFor(sub),
  // Access tokens only (docs/design.md, "Authentication"): each of these is validly signed for the right issuer and audience.
  'a Cognito ID token (token_use: "id")': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), token_use: 'id' })}`,
  'token_use: "Access" (not exactly "access")': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), token_use: 'Access' })}`,
  'a non-string token_use': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), token_use: ['access'] })}`,
  'typ: "JOSE"': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), { typ: 'JOSE' })}`,
  'typ: "JOSE+JSON"': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), { typ: 'JOSE+JSON' })}`,
  'typ: "application/jose"': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), { typ: 'application/jose' })}`,
  'typ: "dpop+jwt"': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), { typ: 'dpop+jwt' })}`,
  'a non-string typ': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), { typ: 1 })}`,
  'iat a year ahead': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), iat: now() + YEAR_S, exp: now() + YEAR_S + 600 })}`,
  'iat a minute ahead (beyond the clock tolerance)': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), iat: now() + 60 })}`,
  'a non-numeric iat': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), iat: 'now' as unknown as number })}`,
  'a lifetime (exp − iat) of 100 years': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), exp: now() + 100 * YEAR_S })}`,
  'a lifetime (exp − iat) of 24 h + 1 s': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), exp: now() + DAY_S + 1 })}`,
  'a lifetime over 24 h issued two days ago, still an hour to live': async (sub) =>
    `Bearer ${await signWith({ ...claimsFor(sub), iat: now() - 2 * DAY_S, exp: now() + 3600 })}`,
  'no iat and exp more than 24 h ahead': async (sub) => {
    const { iat: _, ...claims } = claimsFor(sub);
    return `Bearer ${await signWith({ ...claims, exp: now() + DAY_S + 60 })}`;
  },
};

/** Access tokens in the forms an issuer may send: each one must be accepted (the control of the faults above). */
const ACCEPTED: Record<string, (sub: string) => Promise<string>> = {
  'typ: "JWT"': async (sub) => `Bearer ${await tokenFor(sub)}`,
  'the scheme in lower case': async (sub) => `bearer ${await tokenFor(sub)}`,
  'typ: "at+jwt" (RFC 9068)': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), { typ: 'at+jwt' })}`,
  'no typ': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), {})}`,
  // RFC 7515 §4.1.9: a media type may be written with or without its "application/" prefix.
  'typ: "application/jwt"': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), { typ: 'application/jwt' })}`,
  'typ: "application/at+jwt"': async (sub) => `Bearer ${await signWithHeader(claimsFor(sub), { typ: 'application/at+jwt' })}`,
  'token_use: "access"': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), token_use: 'access' })}`,
  'a Cognito access token (token_use "access", client_id instead of aud)': async (sub) => {
    const { aud: _, ...claims } = claimsFor(sub);
    return `Bearer ${await signWithHeader({ ...claims, token_use: 'access', client_id: AUDIENCE }, {})}`;
  },
  'a lifetime of exactly 24 h': async (sub) => `Bearer ${await signWith({ ...claimsFor(sub), exp: now() + DAY_S })}`,
};

let otherKey: { privateKey: CryptoKey };
let ecKey: { privateKey: CryptoKey };
let publicPem: string;
let publicJwkJson: string;
let world: World;
const callers = new Map<string, string>();

beforeAll(async () => {
  otherKey = await generateKeyPair('RS256');
  ecKey = await generateKeyPair('ES256');
  const publicJwk = (JSON.parse(process.env.JWT_JWKS as string) as { keys: Record<string, unknown>[] }).keys[0] as Record<string, unknown>;
  publicJwkJson = JSON.stringify(publicJwk);
  publicPem = await exportSPKI((await importJWK(publicJwk, 'RS256')) as CryptoKey);
  world = await buildWorld();
  for (const op of AUTH_OPERATIONS) callers.set(op.name, await allowedCaller(op, world));
  // addCustomerMessage now needs CanCreateCustomerMessage as well as a linked customer; the harness's caller for it
  // is the linked user, who holds no role.
  const addCustomerMessage = AUTH_OPERATIONS.find((op) => op.name === 'addCustomerMessage') as Operation;
  const sender = `sender-${world.bankA}`;
  await grantRoles(sender, addCustomerMessage.roles.slice(0, 1), world.bankA);
  callers.set(addCustomerMessage.name, sender);
}, 120_000);

const cases = AUTH_OPERATIONS.flatMap((op) => operationPaths(op).map((path) => [`${op.method} ${path}`, op, path] as const));

describe.each(cases)('%s', (_, op: Operation, path: string) => {
  it.each(Object.keys(FAULTS))('%s → 401 OBP-20001 with WWW-Authenticate: Bearer, before any DynamoDB call', async (fault) => {
    const authorization = await (FAULTS[fault] as (sub: string) => Promise<string | undefined>)(callers.get(op.name) as string);
    // Made before the spy starts: the valid request of a delete first creates what it deletes.
    const request = await validRequest(op, world);
    const table = spyOnTable();
    try {
      const res = await invoke(op, { ...request, path, authorization });
      expectObpError(res, 401, NOT_LOGGED_IN);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
      // The reason, if any, is ours: no jose error names or codes.
      expect(res.body.message).not.toMatch(/ERR_J|JOSE|JWS[A-Z]|JWK[A-Z]|jose/);
      expect(table.commands()).toEqual([]);
    } finally {
      table.restore();
    }
  });

  it('the same request with a valid access token, in each accepted form, is not a 401 (the control)', async () => {
    const caller = callers.get(op.name) as string;
    for (const [form, make] of Object.entries(ACCEPTED)) {
      const res = await invoke(op, { ...(await validRequest(op, world)), path, authorization: await make(caller) });
      expect({ form, status: res.status, body: res.body }).toEqual({ form, status: op.response.status, body: op.response.status === 204 ? undefined : expect.anything() });
    }
  });
});

describe('check order', () => {
  it.each(AUTH_OPERATIONS.filter((op) => op.body).map((op) => [op.name, op] as const))(
    '%s: a malformed or oversized body from an anonymous caller is a 401, not a 400',
    async (_, op) => {
      for (const rawBody of ['{"not json', 'x'.repeat(70_000)]) {
        const res = await invoke(op, { ...(await validRequest(op, world)), rawBody });
        expectObpError(res, 401, NOT_LOGGED_IN);
      }
    },
  );

  it('a bad token at an unknown bank is still a 401 (authentication comes before the bank lookup)', async () => {
    const op = AUTH_OPERATIONS.find((o) => o.name === 'createCustomer') as Operation;
    const res = await invoke(op, { ...(await validRequest(op, world)), params: { BANK_ID: 'no-such-bank' }, authorization: 'Bearer x.y.z' });
    expectObpError(res, 401, NOT_LOGGED_IN);
  });

  it('anonymous operations (root, getBank) ignore a bad token instead of failing', async () => {
    for (const op of OPERATIONS.filter((o) => !o.auth)) {
      const res = await invoke(op, { ...(await validRequest(op, world)), authorization: 'Bearer garbage' });
      expect(res.status).toBe(op.response.status);
    }
  });

  it('a token is bound to its subject: hashes of the key material never authenticate another user', async () => {
    // A token whose signature is the hash of header.payload (what a naive verifier might accept).
    const header = b64url({ alg: 'RS256', kid: 'test-key', typ: 'JWT' });
    const payload = b64url(claimsFor('test-admin'));
    const forged = createHash('sha256').update(`${header}.${payload}`).digest('base64url');
    const op = AUTH_OPERATIONS.find((o) => o.name === 'getCurrentUser') as Operation;
    const res = await invoke(op, { authorization: `Bearer ${header}.${payload}.${forged}` });
    expectObpError(res, 401, NOT_LOGGED_IN);
  });
});

it('covers every fault the issue lists', () => {
  const required = [
    /no Authorization/,
    /garbage/,
    /another key/,
    /alg: none/,
    /HS256 with the public key/,
    /expired/,
    /not yet valid/,
    /wrong issuer/,
    /wrong audience/,
    /no sub/,
    /Basic/,
    /token_use: "id"/,
    /typ: "JOSE"/,
    /typ: "application\/jose"/,
    /iat a year ahead/,
    /100 years/,
    /24 h \+ 1 s/,
  ];
  expect(required.filter((pattern) => !Object.keys(FAULTS).some((f) => pattern.test(f)))).toEqual([]);
});
