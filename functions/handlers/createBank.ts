import validate from '../../generated/validators/create-bank.cjs';
import schema from '../../schemas/create-bank.schema.json';
import { obpHandler } from '../core/handler';
import { createBank, toBankJson, type CreateBankBody } from '../domain/banks';

export const handler = obpHandler(
  'createBank',
  async ({ obp }) => ({ status: 201, body: toBankJson(await createBank(obp.userId as string, obp.body as CreateBankBody), 'created') }),
  { validator: validate, schema },
);
