// Development token issuer of the local server (never deployed): RS256 tokens signed by a key generated on first
// start and kept under .data/ (in memory with IN_MEMORY=1), so tokens survive restarts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { MAX_TOKEN_LIFETIME_S } from '../functions/http/middleware/authenticate';

export const LOCAL_ISSUER = 'obp-person-api-local';
export const LOCAL_AUDIENCE = 'obp-person-api';
/** The longest lifetime the functions accept (functions/http/middleware/authenticate.ts). */
export const MAX_EXPIRES_IN = MAX_TOKEN_LIFETIME_S;
const DEFAULT_EXPIRES_IN = 12 * 3600;

export interface DevTokenIssuer {
  /** Public keys, as served at /.well-known/jwks.json. */
  jwks: { keys: JWK[] };
  issue: (request: { user_id: string; email?: string; expires_in?: number }) => Promise<string>;
}

const loadOrCreateKey = async (keyFile?: string): Promise<JWK> => {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}`, alg: 'RS256', use: 'sig' };
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
};

export const createDevTokenIssuer = async (options: { keyFile?: string; issuer?: string; audience?: string } = {}): Promise<DevTokenIssuer> => {
  const privateJwk = await loadOrCreateKey(options.keyFile);
  const { kid, n, e, kty } = privateJwk;
  const publicJwk: JWK = { kty, n, e, kid, alg: 'RS256', use: 'sig' };
  const key = await importJWK(privateJwk, 'RS256');
  return {
    jwks: { keys: [publicJwk] },
    issue: async ({ user_id, email, expires_in }) => {
      const claims: Record<string, unknown> = { preferred_username: user_id };
      if (email) claims.email = email;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: kid as string, typ: 'JWT' })
        .setIssuer(options.issuer ?? LOCAL_ISSUER)
        .setAudience(options.audience ?? LOCAL_AUDIENCE)
        .setSubject(user_id)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (expires_in ?? DEFAULT_EXPIRES_IN))
        .sign(key);
    },
  };
};
