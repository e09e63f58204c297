import validate from '../../generated/validators/customer-number.cjs';
import schema from '../../schemas/customer-number.schema.json';
import { obpHandler } from '../core/handler';
import type { BankRecord } from '../data/records';
import { customerByNumber, toCustomerWithAttributesJson } from '../domain/customers';

export const handler = obpHandler(
  'getCustomerByNumber',
  async ({ obp }) => {
    const { customer_number } = obp.body as { customer_number: string };
    return { status: 200, body: toCustomerWithAttributesJson(await customerByNumber((obp.bank as BankRecord).bankId, customer_number)) };
  },
  { validator: validate, schema },
);
