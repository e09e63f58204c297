import validate from '../../generated/validators/create-entitlement.cjs';
import schema from '../../schemas/create-entitlement.schema.json';
import { obpHandler } from '../core/handler';
import { pathParam } from '../core/request';
import { addEntitlement, toEntitlementJson, type CreateEntitlementBody } from '../domain/entitlements';

export const handler = obpHandler(
  'addEntitlement',
  async (event) => {
    const { obp } = event;
    const entitlement = await addEntitlement(obp.userId as string, pathParam(event, 'USER_ID') as string, obp.body as CreateEntitlementBody);
    return { status: 201, body: toEntitlementJson(entitlement) };
  },
  { validator: validate, schema },
);
