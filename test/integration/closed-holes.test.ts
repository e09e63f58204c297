// The two holes OBP leaves open, replayed the way the attacks were made, as regression tests (docs/design.md,
// "Where this product deliberately differs from OBP"):
// (a) any logged-in user could post, under any sender name, into any linked customer's inbox (addCustomerMessage v1.4.0);
// (b) CanCreateUserCustomerLink alone let its holder link itself to any customer and read its messages (getMyMessages).
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, idempotencyRecordKey, LINK_SK_PREFIX, MESSAGE_SK_PREFIX, userLinksAtBankPrefix } from '../../functions/data/keys';
import { documentClient, tableName } from '../../functions/data/table-client';
import { call } from '../support/api';
import { newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';

jest.setTimeout(120_000);

const PHISHING = {
  message: 'Your account is locked. To unlock it, reply with your card number and give your PIN to our agent.',
  from_department: 'Fraud Team',
  from_person: 'Demo Bank Security',
};
const LINK_ERROR = 'OBP-30025: Could not create user_customer_links ';

const queryCount = async (PK: string, prefix: string): Promise<number> => {
  const out = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': prefix },
      ConsistentRead: true,
      Select: 'COUNT',
    }),
  );
  return out.Count ?? 0;
};
const storedMessages = (customerId: string) => queryCount(customerKey(customerId).PK, MESSAGE_SK_PREFIX);
const linkCountOf = async (customerId: string) =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: customerKey(customerId), ConsistentRead: true }))).Item?.linkCount as number;

const myMessages = async (bankId: string, userId: string) => {
  const res = await call('GET', `/obp/v1.4.0/banks/${bankId}/customer/messages`, { as: userId });
  expect(res.status).toBe(200);
  return res.body.messages as { message: string; from_department: string; from_person: string }[];
};

/** A bank whose customer (the victim's) is linked to the victim and has one genuine message from the bank. */
const victimScene = async () => {
  const bankId = await newBank();
  const customerId = (await newCustomer(bankId)).customer_id as string;
  const victim = uniqueId('victim-');
  const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
  expect((await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: victim, customer_id: customerId } })).status).toBe(201);
  const staff = await userWith(bankId, 'CanCreateCustomerMessage');
  const genuine = { message: 'Your new card is on its way', from_department: 'Cards', from_person: 'Tom' };
  expect((await call('POST', `/obp/v4.0.0/banks/${bankId}/customers/${customerId}/messages`, { as: staff, body: { ...genuine, transport: 'SMS' } })).status).toBe(201);
  return { bankId, customerId, victim, staff, genuine };
};

describe('(a) a phishing message into another person’s inbox through addCustomerMessage v1.4.0', () => {
  it.each(['v1.4.0', 'v4.0.0', 'v5.0.0', 'v5.1.0'])('under /obp/%s: a logged-in user without the role → 403, nothing stored, the victim never sees it', async (prefix) => {
    const { bankId, customerId, victim, genuine } = await victimScene();
    const otherBank = await newBank();
    // The attacker: a customer of the same bank with a link of its own (how it learns the API), then other role holders.
    const attackerCustomer = (await newCustomer(bankId)).customer_id as string;
    const attacker = uniqueId('attacker-');
    const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
    expect((await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: attacker, customer_id: attackerCustomer } })).status).toBe(201);
    const attackers = [
      attacker,
      uniqueId('stranger-'),
      await userWith(otherBank, 'CanCreateCustomerMessage'),
      await userWith(bankId, 'CanGetCustomerMessages', 'CanCreateUserCustomerLink', 'CanCreateCustomer'),
      'test-admin',
    ];
    const before = await storedMessages(customerId);
    for (const as of attackers) {
      const res = await call('POST', `/obp/${prefix}/banks/${bankId}/customer/${customerId}/messages`, { as, body: PHISHING });
      expect(res).toMatchObject({ status: 403, body: { code: 403, message: `OBP-20006: User is missing one or more roles: CanCreateCustomerMessage for BankId(${bankId}).` } });
    }
    expect(await storedMessages(customerId)).toBe(before);
    const inbox = await myMessages(bankId, victim);
    expect(inbox.map(({ message, from_department, from_person }) => ({ message, from_department, from_person }))).toEqual([genuine]);
    expect(JSON.stringify(inbox)).not.toContain('PIN');
    expect(JSON.stringify(inbox)).not.toContain('Fraud Team');
  });

  it('the bank’s own staff with CanCreateCustomerMessage still reach the inbox (the control)', async () => {
    const { bankId, customerId, victim, staff } = await victimScene();
    const notice = { message: 'Branch closed on Monday', from_department: 'Branch', from_person: 'Ann' };
    expect((await call('POST', `/obp/v1.4.0/banks/${bankId}/customer/${customerId}/messages`, { as: staff, body: notice })).status).toBe(201);
    expect((await myMessages(bankId, victim)).map((m) => m.message)).toContain(notice.message);
  });
});

describe('(b) a holder of CanCreateUserCustomerLink links itself to a customer', () => {
  it.each(['v4.0.0', 'v5.0.0', 'v5.1.0'])('under /obp/%s: 400 OBP-30025, nothing written, and the customer’s messages stay out of its getMyMessages', async (prefix) => {
    const { bankId, customerId } = await victimScene();
    const insiders = [await userWith(bankId, 'CanCreateUserCustomerLink'), await userWith('', 'CanCreateUserCustomerLinkAtAnyBank')];
    const linksBefore = await queryCount(customerKey(customerId).PK, LINK_SK_PREFIX);
    const countBefore = await linkCountOf(customerId);
    for (const insider of insiders) {
      const res = await call('POST', `/obp/${prefix}/banks/${bankId}/user_customer_links`, { as: insider, body: { user_id: insider, customer_id: customerId } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(400);
      expect(res.body.message.startsWith(LINK_ERROR)).toBe(true);
      const { PK, SKPrefix } = userLinksAtBankPrefix(insider, bankId);
      expect(await queryCount(PK, SKPrefix)).toBe(0);
      expect(await myMessages(bankId, insider)).toEqual([]);
    }
    expect(await queryCount(customerKey(customerId).PK, LINK_SK_PREFIX)).toBe(linksBefore);
    expect(await linkCountOf(customerId)).toBe(countBefore);
    // There was a message to be seen: the bank's genuine one, for the linked victim only.
    expect(await storedMessages(customerId)).toBe(1);
  });

  it('with an Idempotency-Key the refusal stores no record: a retry is refused again, not replayed', async () => {
    const { bankId, customerId } = await victimScene();
    const insider = await userWith(bankId, 'CanCreateUserCustomerLink');
    const path = `/obp/v5.0.0/banks/${bankId}/user_customer_links`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await call('POST', path, { as: insider, body: { user_id: insider, customer_id: customerId }, headers: { 'idempotency-key': 'self-link-1' } });
      expect(res.status).toBe(400);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(res.body.message.startsWith(LINK_ERROR)).toBe(true);
    }
    const record = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: idempotencyRecordKey(insider, 'createUserCustomerLink', path, 'self-link-1'), ConsistentRead: true }),
    );
    expect(record.Item).toBeUndefined();
  });

  it('linking another user still works for the same holder (the control), and gives the holder nothing', async () => {
    const { bankId, customerId } = await victimScene();
    const insider = await userWith(bankId, 'CanCreateUserCustomerLink');
    const customerUser = uniqueId('customer-user-');
    expect((await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: insider, body: { user_id: customerUser, customer_id: customerId } })).status).toBe(201);
    expect(await myMessages(bankId, insider)).toEqual([]);
    expect((await myMessages(bankId, customerUser)).map((m) => m.message)).toEqual(['Your new card is on its way']);
  });
});
