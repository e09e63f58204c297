// Verifies the bearer JWT inside the function (signature against the issuer's JWKS, iss, aud, exp, nbf, an
// allow-listed algorithm), accepts access tokens only (docs/design.md, "Authentication"), and makes its `sub` the
// caller's user id. Every failure is a 401 OBP-20001.
import type { MiddlewareObj } from '@middy/core';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { config } from '../../common/config';
import { notLoggedIn } from '../../common/obp-errors';
import type { ObpEvent, ObpResult } from '../state';

let keySet: JWTVerifyGetKey | undefined;

// Remote keys are cached by jose for 10 minutes and refetched at most every 30 s when an unknown key id shows up,
// so a key rotation at the issuer is picked up without a cold start.
const keys = (): JWTVerifyGetKey => {
  if (!keySet) {
    const { jwks, jwksUrl } = config().jwt;
    keySet = jwks ? createLocalJWKSet(JSON.parse(jwks)) : createRemoteJWKSet(new URL(jwksUrl as string));
  }
  return keySet;
};

/**
 * Tokens this process has verified, so a caller's repeated requests to a warm function skip the RS256 check
 * (WebCrypto costs ~0.1 ms of CPU, about half of the whole middleware chain; see bench/README.md). Only successes
 * are kept, each until the token's exp or VERIFIED_TTL_MS after its check, whichever comes first, and at most
 * VERIFIED_MAX of them (the oldest go first). Staleness: a token whose signing key the issuer withdraws stays
 * accepted here for at most VERIFIED_TTL_MS longer than it would be anyway (jose keeps a fetched JWKS for up to
 * 10 minutes), and these JWTs cannot be revoked before exp in any case. A changed configuration empties the cache.
 */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 1_000;
interface Verified {
  userId: string;
  claims: Record<string, unknown>;
}
const verified = new Map<string, { result: Verified; until: number }>();
let verifiedUnder: ReturnType<typeof config>['jwt'] | undefined;

const rememberVerified = (token: string, result: Verified, exp: number): void => {
  verified.set(token, { result, until: Math.min(Date.now() + VERIFIED_TTL_MS, exp * 1000) });
  if (verified.size > VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
};

const recallVerified = (token: string): Verified | undefined => {
  const jwt = config().jwt;
  if (verifiedUnder !== jwt) {
    verified.clear();
    verifiedUnder = jwt;
  }
  const entry = verified.get(token);
  if (!entry) return undefined;
  if (Date.now() < entry.until) return entry.result;
  verified.delete(token);
  return undefined;
};

export const resetKeySet = (): void => {
  keySet = undefined;
  verified.clear();
};

/** Clock skew allowed between the issuer and this function, in seconds. */
const CLOCK_TOLERANCE_S = 5;
/** The longest lifetime (exp − iat) an access token may have: longer-lived bearer tokens cannot be trusted to expire. */
export const MAX_TOKEN_LIFETIME_S = 24 * 3600;
const ACCESS_TOKEN_TYPES = new Set(['jwt', 'at+jwt']);

/**
 * Only access tokens: an ID token (Cognito's carry token_use "id") proves who someone is to a client, not that the
 * client may call this API; a token with another `typ`, issued in the future, or living longer than a day is refused.
 */
const accessTokenProblem = (payload: Record<string, unknown>, typ: unknown): string | undefined => {
  // RFC 7515 §4.1.9: a typ may carry its media type's "application/" prefix or not, in any case.
  const mediaType = typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : undefined;
  if (typ !== undefined && !(mediaType !== undefined && ACCESS_TOKEN_TYPES.has(mediaType))) return 'The token is not an access token (typ).';
  if (payload.token_use !== undefined && payload.token_use !== 'access') return 'The token is not an access token (token_use).';
  const now = Math.floor(Date.now() / 1000);
  const iat = payload.iat;
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + CLOCK_TOLERANCE_S)) return "The token's iat claim is not acceptable.";
  const exp = payload.exp as number;
  if (exp - (typeof iat === 'number' ? iat : now) > MAX_TOKEN_LIFETIME_S) return 'The token lives longer than 24 hours.';
  return undefined;
};

const reasonFor = (error: unknown): string | undefined => {
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not acceptable.`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is not valid.';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token algorithm is not allowed.';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token was not signed by a key of the issuer.';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'The token does not say which key signed it.';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return 'The token is malformed.';
  }
  return undefined;
};

/** Cognito access tokens carry the app client in `client_id` instead of `aud`. */
const audienceMatches = (payload: Record<string, unknown>, audience: string): boolean => {
  const aud = payload.aud;
  if (Array.isArray(aud)) return aud.includes(audience);
  if (typeof aud === 'string') return aud === audience;
  return payload.client_id === audience;
};

export const verifyBearer = async (authorization: string | undefined): Promise<Verified> => {
  if (!authorization) throw notLoggedIn();
  const match = /^Bearer +([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*\.[A-Za-z0-9\-_=]*)\s*$/i.exec(authorization);
  if (!match) {
    throw notLoggedIn(/^Bearer\b/i.test(authorization) ? 'The token is malformed.' : 'Send an OAuth2 bearer token: Authorization: Bearer <JWT>.');
  }
  const token = match[1] as string;
  const known = recallVerified(token);
  if (known) return known;
  const { issuer, audience, algorithms } = config().jwt;
  let payload: Record<string, unknown>;
  let typ: unknown;
  try {
    const verified = await jwtVerify(token, keys(), { issuer, algorithms, requiredClaims: ['exp', 'sub'], clockTolerance: CLOCK_TOLERANCE_S });
    payload = verified.payload;
    typ = verified.protectedHeader.typ;
  } catch (error) {
    const reason = reasonFor(error);
    if (reason) throw notLoggedIn(reason);
    throw error; // e.g. the JWKS endpoint is unreachable: our failure, not the caller's (500)
  }
  if (!audienceMatches(payload, audience)) throw notLoggedIn("The token's aud claim is not acceptable.");
  const problem = accessTokenProblem(payload, typ);
  if (problem) throw notLoggedIn(problem);
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub === '' || sub.length > 255) throw notLoggedIn("The token's sub claim is not acceptable.");
  const result = { userId: sub, claims: payload };
  rememberVerified(token, result, payload.exp as number);
  return result;
};

export const authenticate = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: async (request) => {
    const { obp } = request.event;
    const { headers } = request.event;
    if (!obp.operation.auth) return;
    const { userId, claims } = await verifyBearer(headers?.authorization);
    obp.userId = userId;
    obp.claims = claims;
  },
});
