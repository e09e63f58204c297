import { obpHandler } from '../core/handler';
import { pathParam } from '../core/request';
import { entitlementsOf, toEntitlementJson } from '../domain/entitlements';

export const handler = obpHandler('getEntitlements', async (event) => ({
  status: 200,
  body: { list: (await entitlementsOf(pathParam(event, 'USER_ID') as string)).map(toEntitlementJson) },
}));
