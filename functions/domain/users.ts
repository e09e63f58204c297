// getCurrentUser (OBP v3.0.0 shape): the token's identity plus the caller's entitlements.
import { config } from '../common/config';
import { entitlementsOf, toEntitlementJson } from './entitlements';

const claim = (claims: Record<string, unknown>, ...names: string[]): string | null => {
  for (const name of names) {
    const value = claims[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
};

export const currentUserJson = async (userId: string, claims: Record<string, unknown>) => ({
  user_id: userId,
  email: claim(claims, 'email') ?? '',
  provider_id: userId,
  provider: config().jwt.issuer,
  username: claim(claims, 'preferred_username', 'cognito:username', 'username'),
  entitlements: { list: (await entitlementsOf(userId)).map(toEntitlementJson) },
  views: { list: [] as never[] },
});
