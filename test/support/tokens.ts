// Test tokens signed with the key the global setup made (the handlers trust its public half via JWT_JWKS).
import { importJWK, SignJWT, type JWTPayload } from 'jose';

let key: ReturnType<typeof importJWK> | undefined;
const signingKey = () => (key ??= importJWK(JSON.parse(process.env.TEST_PRIVATE_JWK as string), 'RS256'));

export interface TokenOptions {
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  notBefore?: number;
  claims?: JWTPayload;
}

export const tokenFor = async (userId: string | undefined, options: TokenOptions = {}): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })
    .setIssuer(options.issuer ?? (process.env.JWT_ISSUER as string))
    .setAudience(options.audience ?? (process.env.JWT_AUDIENCE as string))
    .setIssuedAt()
    .setExpirationTime(now + (options.expiresIn ?? 600));
  if (userId !== undefined) jwt.setSubject(userId);
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign(await signingKey());
};
