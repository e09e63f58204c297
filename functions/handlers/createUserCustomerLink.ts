import validate from '../../generated/validators/create-user-customer-link.cjs';
import schema from '../../schemas/create-user-customer-link.schema.json';
import { obpHandler } from '../core/handler';
import type { BankRecord } from '../data/records';
import { createUserCustomerLink, toLinkJson, type CreateLinkBody } from '../domain/links';

export const handler = obpHandler(
  'createUserCustomerLink',
  async ({ obp }) => {
    const link = await createUserCustomerLink((obp.bank as BankRecord).bankId, obp.body as CreateLinkBody);
    return { status: 201, body: toLinkJson(link) };
  },
  { validator: validate, schema },
);
