import validate from '../../generated/validators/create-customer-message.cjs';
import schema from '../../schemas/create-customer-message.schema.json';
import { obpHandler } from '../core/handler';
import { requirePathCustomer } from '../core/path-customer';
import { addMessage, SUCCESS, type MessageBody } from '../domain/messages';

export const handler = obpHandler(
  'createCustomerMessage',
  async (event) => {
    const customer = requirePathCustomer(event);
    await addMessage(customer.customer.bank_id, customer.customer.customer_id, event.obp.body as MessageBody);
    return { status: 201, body: SUCCESS };
  },
  { validator: validate, schema },
);
