// The cache of verified tokens in authenticate.ts: it may only save work, never accept what a full check would refuse.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { resetConfig } from '../../functions/common/config';
import { resetKeySet, verifyBearer } from '../../functions/http/middleware/authenticate';

const ISSUER = 'https://issuer.unit';
const AUDIENCE = 'unit-api';
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const token = (sub: string, expiresInSeconds: number, audience = AUDIENCE): Promise<string> =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(privateKey);

const useConfig = (audience: string): void => {
  process.env.JWT_AUDIENCE = audience;
  resetConfig();
};

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  process.env.TABLE_NAME = 'unit';
  process.env.JWT_ISSUER = ISSUER;
  process.env.JWT_JWKS = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] });
  delete process.env.JWT_JWKS_URL;
  useConfig(AUDIENCE);
  resetKeySet();
});

afterEach(() => {
  jest.useRealTimers();
  useConfig(AUDIENCE);
  resetKeySet();
});

describe('verified-token cache', () => {
  it('answers a repeated token with the same identity', async () => {
    const t = await token('alice', 600);
    const first = await verifyBearer(`Bearer ${t}`);
    expect(await verifyBearer(`Bearer ${t}`)).toEqual(first);
    expect(first.userId).toBe('alice');
  });

  it('does not serve a token past its exp', async () => {
    const t = await token('bob', 30);
    await verifyBearer(`Bearer ${t}`);
    jest.useFakeTimers({ now: Date.now() + 40_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    await expect(verifyBearer(`Bearer ${t}`)).rejects.toMatchObject({ status: 401, message: expect.stringContaining('expired') });
  });

  it('forgets what it verified when the configuration changes', async () => {
    const t = await token('carol', 600);
    await verifyBearer(`Bearer ${t}`);
    useConfig('another-api');
    await expect(verifyBearer(`Bearer ${t}`)).rejects.toMatchObject({ status: 401 });
  });

  it('never remembers a refusal', async () => {
    const wrongAudience = await token('dave', 600, 'another-api');
    await expect(verifyBearer(`Bearer ${wrongAudience}`)).rejects.toMatchObject({ status: 401 });
    await expect(verifyBearer(`Bearer ${wrongAudience}`)).rejects.toMatchObject({ status: 401 });
  });
});
