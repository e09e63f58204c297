import validate from '../../generated/validators/customer-number.cjs';
import schema from '../../schemas/customer-number.schema.json';
import { obpHandler } from '../core/handler';
import { ObpError, ObpMessages } from '../core/obp-errors';
import { findCustomerByNumber } from '../data/customers-repository';
import type { BankRecord } from '../data/records';
import { toCustomerWithAttributesJson } from '../domain/customers';

export const handler = obpHandler(
  'getCustomerByNumber',
  async ({ obp }) => {
    const { customer_number } = obp.body as { customer_number: string };
    const customer = await findCustomerByNumber((obp.bank as BankRecord).bankId, customer_number);
    if (!customer) throw new ObpError(404, ObpMessages.CustomerNotFound);
    return { status: 200, body: toCustomerWithAttributesJson(customer) };
  },
  { validator: validate, schema },
);
