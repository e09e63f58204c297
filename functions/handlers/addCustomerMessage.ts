import validate from '../../generated/validators/add-customer-message.cjs';
import schema from '../../schemas/add-customer-message.schema.json';
import { obpHandler } from '../core/handler';
import { requirePathCustomer } from '../core/path-customer';
import { addMessage, requireLinkedUser, SUCCESS, type MessageBody } from '../domain/messages';

export const handler = obpHandler(
  'addCustomerMessage',
  async (event) => {
    const customer = requirePathCustomer(event);
    requireLinkedUser(customer);
    // AddCustomerMessageJson has no transport: one sent anyway is an unknown field, ignored (v1.4.0 messages have "").
    const { message, from_department, from_person } = event.obp.body as MessageBody;
    await addMessage(customer.customer.bank_id, customer.customer.customer_id, { message, from_department, from_person });
    return { status: 201, body: SUCCESS };
  },
  { validator: validate, schema },
);
