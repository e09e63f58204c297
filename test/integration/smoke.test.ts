import { call } from '../support/api';
import { MINIMAL_CUSTOMER, newBank, userWith } from '../support/fixtures';

describe('createCustomer v5.0.0 smoke', () => {
  it('creates a customer with the defaults of a minimal body', async () => {
    const bankId = await newBank();
    const user = await userWith(bankId, 'CanCreateCustomer');
    const res = await call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: user, body: MINIMAL_CUSTOMER });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ bank_id: bankId, legal_name: 'Legal Name', email: '', face_image: { url: '', date: null } });
  });
});
