import validate from '../../generated/validators/create-customer.cjs';
import schema from '../../schemas/create-customer.schema.json';
import { obpHandler } from '../core/handler';
import type { BankRecord } from '../data/records';
import { createCustomer, toCustomerJson, type CreateCustomerBody } from '../domain/customers';

export const handler = obpHandler(
  'createCustomer',
  async ({ obp }) => {
    const customer = await createCustomer((obp.bank as BankRecord).bankId, obp.body as CreateCustomerBody);
    return { status: 201, body: toCustomerJson(customer) };
  },
  { validator: validate, schema },
);
