// User–customer links taken away and reviewed (docs/design.md, "Revocation" and "Audit"):
// deleteUserCustomerLink, the two link reads scoped to the path's bank, and the customer's link count staying exact
// while links are created and removed concurrently.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, LINK_SK_PREFIX, linkByIdKey, userLinkKey } from '../../functions/data/keys';
import { documentClient, tableName } from '../../functions/data/table-client';
import { invoke } from '../../local/invoke';
import { call } from '../support/api';
import { expectDocumented } from '../support/openapi-responses';
import { newBank, newCustomer, uniqueId, userWith } from '../support/fixtures';
import { tokenFor } from '../support/tokens';

jest.setTimeout(180_000);

const PREFIXES = ['v4.0.0', 'v5.0.0', 'v5.1.0'];
const LINK_NOT_FOUND = { code: 400, message: 'OBP-30035: User Customer Link not found' };
const CUSTOMER_NOT_FOUND = 'OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.';
const NOT_LOGGED_IN = 'OBP-20001: User not logged in. Authentication is required!';
const mayNotDelete = (bankId: string) => ({ code: 403, message: `OBP-20006: User is missing one or more roles: CanDeleteUserCustomerLink for BankId(${bankId}).` });
const mayNotRead = (bankId: string) => ({ code: 403, message: `OBP-20006: User is missing one or more roles: CanGetUserCustomerLink for BankId(${bankId}).` });

const linksPath = (bankId: string, prefix = 'v5.0.0') => `/obp/${prefix}/banks/${encodeURIComponent(bankId)}/user_customer_links`;
const unlinkPath = (bankId: string, linkId: string, prefix?: string) => `${linksPath(bankId, prefix)}/${encodeURIComponent(linkId)}`;
const byUserPath = (bankId: string, userId: string, prefix?: string) => `${linksPath(bankId, prefix)}/users/${encodeURIComponent(userId)}`;
const byCustomerPath = (bankId: string, customerId: string, prefix?: string) => `${linksPath(bankId, prefix)}/customers/${encodeURIComponent(customerId)}`;

/** deleteUserCustomerLink's answer exactly as sent (its body text must be `true`), checked against the OpenAPI document. */
const unlink = async (as: string | undefined, bankId: string, linkId: string, prefix?: string) => {
  const result = await invoke({ method: 'DELETE', url: unlinkPath(bankId, linkId, prefix), headers: as === undefined ? {} : { authorization: `Bearer ${await tokenFor(as)}` } });
  if (!result) throw new Error('no route');
  expectDocumented(result);
  return { status: result.status, text: result.text, body: result.text ? JSON.parse(result.text) : undefined, headers: result.headers };
};

interface Link {
  user_customer_link_id: string;
  customer_id: string;
  user_id: string;
  date_inserted: string;
  is_active: boolean;
}

const link = async (linker: string, bankId: string, userId: string, customerId: string): Promise<Link> => {
  const res = await call('POST', linksPath(bankId), { as: linker, body: { user_id: userId, customer_id: customerId } });
  if (res.status !== 201) throw new Error(`link failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Link;
};

/** Every page of a link list (limit per page), following the Link header. */
const walk = async (as: string, firstUrl: string): Promise<Link[]> => {
  const items: Link[] = [];
  let url: string | undefined = firstUrl;
  while (url) {
    const res = await call('GET', url, { as });
    expect(res.status).toBe(200);
    items.push(...(res.body.user_customer_links as Link[]));
    url = res.headers.link ? (/^<([^>]+)>; rel="next"$/.exec(res.headers.link)?.[1] as string) : undefined;
  }
  return items;
};

/** What the table holds of a customer's links: its link count, its link items, and each link's other two items. */
const storedLinksOf = async (customerId: string) => {
  const client = documentClient();
  const customer = (await client.send(new GetCommand({ TableName: tableName(), Key: customerKey(customerId), ConsistentRead: true }))).Item;
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': customerKey(customerId).PK, ':prefix': LINK_SK_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { linkCount: customer?.linkCount as number | undefined, links: items.map((i) => ({ linkId: i.linkId as string, userId: i.userId as string, bankId: i.bankId as string })) };
};

/** Whether a link's item by id and its user-side item exist. */
const otherItemsOf = async (l: { linkId: string; userId: string; bankId: string }, customerId: string) => {
  const client = documentClient();
  const get = async (Key: { PK: string; SK: string }) => (await client.send(new GetCommand({ TableName: tableName(), Key, ConsistentRead: true }))).Item !== undefined;
  return { byId: await get(linkByIdKey(l.linkId)), userSide: await get(userLinkKey(l.userId, l.bankId, customerId)) };
};

/** A bank with a customer, a linker and an unlinker. */
const scene = async () => {
  const bankId = await newBank();
  const customerId = (await newCustomer(bankId)).customer_id as string;
  return { bankId, customerId, linker: await userWith(bankId, 'CanCreateUserCustomerLink'), unlinker: await userWith(bankId, 'CanDeleteUserCustomerLink') };
};

describe('deleteUserCustomerLink', () => {
  it.each(PREFIXES)('under /obp/%s: 200 with the body exactly `true`; the three link items are gone and the count is down by one', async (prefix) => {
    const { bankId, customerId, linker, unlinker } = await scene();
    const kept = await link(linker, bankId, uniqueId('kept-'), customerId);
    const gone = await link(linker, bankId, uniqueId('gone-'), customerId);
    expect((await storedLinksOf(customerId)).linkCount).toBe(2);

    const res = await unlink(unlinker, bankId, gone.user_customer_link_id, prefix);
    expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: 'true' });
    const stored = await storedLinksOf(customerId);
    expect(stored.linkCount).toBe(1);
    expect(stored.links.map((l) => l.linkId)).toEqual([kept.user_customer_link_id]);
    expect(await otherItemsOf({ linkId: gone.user_customer_link_id, userId: gone.user_id, bankId }, customerId)).toEqual({ byId: false, userSide: false });
    expect(await otherItemsOf({ linkId: kept.user_customer_link_id, userId: kept.user_id, bankId }, customerId)).toEqual({ byId: true, userSide: true });
    const reader = await userWith(bankId, 'CanGetUserCustomerLink');
    expect((await call('GET', byCustomerPath(bankId, customerId), { as: reader })).body.user_customer_links).toEqual([kept]);
    expect((await call('GET', byUserPath(bankId, gone.user_id), { as: reader })).body.user_customer_links).toEqual([]);
  });

  it('an unknown link id → 400 OBP-30035 (exact); a second delete of the same link → the same', async () => {
    const { bankId, customerId, linker, unlinker } = await scene();
    for (const id of [crypto.randomUUID(), 'not-a-uuid']) expect(await unlink(unlinker, bankId, id)).toMatchObject({ status: 400, body: LINK_NOT_FOUND });
    const l = await link(linker, bankId, uniqueId('u-'), customerId);
    expect((await unlink(unlinker, bankId, l.user_customer_link_id)).status).toBe(200);
    expect(await unlink(unlinker, bankId, l.user_customer_link_id)).toMatchObject({ status: 400, body: LINK_NOT_FOUND });
    expect((await storedLinksOf(customerId)).linkCount).toBe(0);
  });

  it('a link to another bank’s customer, deleted through this bank’s path → 400 OBP-30035, and the link still exists', async () => {
    const a = await scene();
    const b = await scene();
    const l = await link(b.linker, b.bankId, uniqueId('u-'), b.customerId);
    // A holder of the role at bank A (not at B) uses bank A's path for bank B's link.
    expect(await unlink(a.unlinker, a.bankId, l.user_customer_link_id)).toMatchObject({ status: 400, body: LINK_NOT_FOUND });
    const stored = await storedLinksOf(b.customerId);
    expect(stored).toEqual({ linkCount: 1, links: [{ linkId: l.user_customer_link_id, userId: l.user_id, bankId: b.bankId }] });
    expect(await otherItemsOf(stored.links[0] as { linkId: string; userId: string; bankId: string }, b.customerId)).toEqual({ byId: true, userSide: true });
    // Bank A's role does not open bank B's path either; bank B's own unlinker may remove it.
    expect(await unlink(a.unlinker, b.bankId, l.user_customer_link_id)).toMatchObject({ status: 403, body: mayNotDelete(b.bankId) });
    expect((await unlink(b.unlinker, b.bankId, l.user_customer_link_id)).status).toBe(200);
  });

  it('check order: 401 → 404 OBP-30001 (unknown bank) → 403 (exact) → 400 OBP-30035', async () => {
    const { bankId, customerId, linker } = await scene();
    const otherBank = await newBank();
    const l = await link(linker, bankId, uniqueId('u-'), customerId);
    const anonymous = await unlink(undefined, bankId, l.user_customer_link_id);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message.startsWith(NOT_LOGGED_IN)).toBe(true);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer\b/);
    const anyBank = await userWith('', 'CanDeleteUserCustomerLinkAtAnyBank');
    expect(await unlink(anyBank, 'no-such-bank', 'no-such-link')).toMatchObject({
      status: 404,
      body: { code: 404, message: 'OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is no-such-bank' },
    });
    const refused = [
      uniqueId('nobody-'),
      await userWith(otherBank, 'CanDeleteUserCustomerLink'),
      // OBP defines CanDeleteUserCustomerLinkAtAnyBank and never accepts it; nor do link creators or readers get to delete.
      anyBank,
      await userWith(bankId, 'CanCreateUserCustomerLink', 'CanGetUserCustomerLink'),
      'test-admin',
    ];
    for (const as of refused) {
      expect(await unlink(as, bankId, l.user_customer_link_id)).toMatchObject({ status: 403, body: mayNotDelete(bankId) });
      expect(await unlink(as, bankId, 'no-such-link')).toMatchObject({ status: 403, body: mayNotDelete(bankId) });
    }
    expect((await storedLinksOf(customerId)).linkCount).toBe(1);
  });
});

describe('link reads (getUserCustomerLinksByUserId, getUserCustomerLinksByCustomerId)', () => {
  it.each(PREFIXES)('under /obp/%s: {"user_customer_links": [UserCustomerLinkJson]} of THIS bank only', async (prefix) => {
    const a = await scene();
    const b = await scene();
    const user = uniqueId('user-');
    const second = (await newCustomer(a.bankId)).customer_id as string;
    const atA = [await link(a.linker, a.bankId, user, a.customerId), await link(a.linker, a.bankId, user, second)];
    const atB = await link(b.linker, b.bankId, user, b.customerId);
    const otherUser = await link(a.linker, a.bankId, uniqueId('other-'), a.customerId);
    const reader = await userWith(a.bankId, 'CanGetUserCustomerLink');

    const byUser = await call('GET', `${byUserPath(a.bankId, user, prefix)}?sort_direction=asc`, { as: reader });
    expect(byUser.status).toBe(200);
    expect(Object.keys(byUser.body)).toEqual(['user_customer_links']);
    // A user's links by customer id; bank B's link is not among them.
    expect(byUser.body.user_customer_links).toEqual([...atA].sort((x, y) => (x.customer_id < y.customer_id ? -1 : 1)));
    expect(byUser.body.user_customer_links).not.toContainEqual(atB);

    const byCustomer = await call('GET', `${byCustomerPath(a.bankId, a.customerId, prefix)}?sort_direction=asc`, { as: reader });
    expect(byCustomer.body.user_customer_links).toEqual([atA[0], otherUser].sort((x, y) => ((x as Link).user_id < (y as Link).user_id ? -1 : 1)));
    // Bank B sees its own link of the same user, and only that.
    const readerB = await userWith(b.bankId, 'CanGetUserCustomerLink');
    expect((await call('GET', byUserPath(b.bankId, user, prefix), { as: readerB })).body.user_customer_links).toEqual([atB]);
  });

  it('a CUSTOMER_ID of another bank → 404 OBP-30046; an unknown one too; an unknown user → an empty list', async () => {
    const a = await scene();
    const b = await scene();
    await link(b.linker, b.bankId, uniqueId('u-'), b.customerId);
    const reader = await userWith(a.bankId, 'CanGetUserCustomerLink');
    for (const customerId of [b.customerId, 'no-such-customer']) {
      const res = await call('GET', byCustomerPath(a.bankId, customerId), { as: reader });
      expect(res.status).toBe(404);
      expect(res.body.message.startsWith(CUSTOMER_NOT_FOUND)).toBe(true);
      expect(res.body.message).toContain(customerId);
    }
    expect((await call('GET', byUserPath(a.bankId, uniqueId('never-seen-')), { as: reader })).body).toEqual({ user_customer_links: [] });
  });

  it('roles: CanGetUserCustomerLink at the bank; everyone else 403 (exact, before the customer check); 401; 404 OBP-30001', async () => {
    const { bankId, customerId, linker } = await scene();
    const otherBank = await newBank();
    const user = uniqueId('u-');
    await link(linker, bankId, user, customerId);
    const allowed = await userWith(bankId, 'CanGetUserCustomerLink');
    expect((await call('GET', byUserPath(bankId, user), { as: allowed })).status).toBe(200);
    expect((await call('GET', byCustomerPath(bankId, customerId), { as: allowed })).status).toBe(200);
    const refused = [
      uniqueId('nobody-'),
      await userWith(otherBank, 'CanGetUserCustomerLink'),
      // Defined by OBP, accepted by neither OBP nor this API.
      await userWith('', 'CanGetUserCustomerLinkAtAnyBank'),
      await userWith(bankId, 'CanCreateUserCustomerLink', 'CanDeleteUserCustomerLink', 'CanGetCustomer'),
      'test-admin',
    ];
    for (const as of refused) {
      expect(await call('GET', byUserPath(bankId, user), { as })).toMatchObject({ status: 403, body: mayNotRead(bankId) });
      expect(await call('GET', byCustomerPath(bankId, customerId), { as })).toMatchObject({ status: 403, body: mayNotRead(bankId) });
      expect(await call('GET', byCustomerPath(bankId, 'no-such-customer'), { as })).toMatchObject({ status: 403, body: mayNotRead(bankId) });
    }
    for (const path of [byUserPath(bankId, user), byCustomerPath(bankId, customerId)]) expect((await call('GET', path)).status).toBe(401);
    expect((await call('GET', byUserPath('no-such-bank', user), { as: allowed })).status).toBe(404);
    expect((await call('GET', byCustomerPath('no-such-bank', customerId), { as: allowed })).body.message).toMatch(/^OBP-30001: /);
  });
});

describe('the link count under concurrency', () => {
  it('30 links, then 50 concurrent operations on ONE customer (20 removals, 5 repeated removals, 25 new links): count = link items = listed links', async () => {
    const { bankId, customerId, linker, unlinker } = await scene();
    const reader = await userWith(bankId, 'CanGetUserCustomerLink');

    // 30 links, made concurrently.
    const initial = await Promise.all(Array.from({ length: 30 }, (_, i) => link(linker, bankId, uniqueId(`first${i}-`), customerId)));
    expect(await storedLinksOf(customerId)).toMatchObject({ linkCount: 30 });

    const removed = initial.slice(0, 20);
    const repeated = removed.slice(0, 5);
    const newUsers = Array.from({ length: 25 }, (_, i) => uniqueId(`second${i}-`));
    const operations: Promise<{ kind: string; status: number; body: any }>[] = [
      ...removed.map(async (l) => ({ kind: 'remove', ...(await unlink(unlinker, bankId, l.user_customer_link_id)) })),
      ...repeated.map(async (l) => ({ kind: 'remove', ...(await unlink(unlinker, bankId, l.user_customer_link_id)) })),
      ...newUsers.map(async (u) => ({ kind: 'create', ...(await call('POST', linksPath(bankId), { as: linker, body: { user_id: u, customer_id: customerId } })) })),
    ];
    expect(operations).toHaveLength(50);
    const results = await Promise.all(operations);

    const statuses = (kind: string) => results.filter((r) => r.kind === kind).map((r) => r.status).sort();
    // Each removed link is removed once: 20 × 200 and, for the 5 links removed twice, one of each pair 400 OBP-30035.
    expect(statuses('remove')).toEqual([...Array(20).fill(200), ...Array(5).fill(400)]);
    expect(results.filter((r) => r.status === 400).every((r) => r.body.message === LINK_NOT_FOUND.message)).toBe(true);
    expect(statuses('create')).toEqual(Array(25).fill(201));

    const stored = await storedLinksOf(customerId);
    const survivors = [...initial.slice(20).map((l) => l.user_customer_link_id), ...results.filter((r) => r.kind === 'create').map((r) => r.body.user_customer_link_id as string)];
    expect(stored.links.map((l) => l.linkId).sort()).toEqual([...survivors].sort());
    expect(stored.linkCount).toBe(stored.links.length);
    for (const l of stored.links) expect(await otherItemsOf(l, customerId)).toEqual({ byId: true, userSide: true });
    for (const l of removed) expect(await otherItemsOf({ linkId: l.user_customer_link_id, userId: l.user_id, bankId }, customerId)).toEqual({ byId: false, userSide: false });

    // Every remaining link listed exactly once, page by page.
    const listed = await walk(reader, `${byCustomerPath(bankId, customerId)}?limit=7`);
    expect(listed.map((l) => l.user_customer_link_id).sort()).toEqual([...survivors].sort());
    expect(new Set(listed.map((l) => l.user_customer_link_id)).size).toBe(listed.length);
    process.stdout.write(`link race: ${stored.links.length} link items remain, linkCount ${stored.linkCount}, ${listed.length} listed\n`);

    // All remaining links removed concurrently: the count reaches exactly 0, and the v1.4.0 post needs a link again.
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');
    const post = () => call('POST', `/obp/v1.4.0/banks/${bankId}/customer/${customerId}/messages`, { as: sender, body: { message: 'm', from_department: 'd', from_person: 'p' } });
    expect((await post()).status).toBe(201);
    const last = await Promise.all(stored.links.map((l) => unlink(unlinker, bankId, l.linkId)));
    expect(last.map((r) => r.status)).toEqual(stored.links.map(() => 200));
    expect(await storedLinksOf(customerId)).toEqual({ linkCount: 0, links: [] });
    expect(await post()).toMatchObject({ status: 400, body: { code: 400, message: `OBP-30008: User Customer Link not found by USER_ID Current customerId (${customerId})` } });
    expect(await walk(reader, byCustomerPath(bankId, customerId))).toEqual([]);
  });

  it('removing the last link makes addCustomerMessage 400 OBP-30008; linking again makes it 201', async () => {
    const { bankId, customerId, linker, unlinker } = await scene();
    const sender = await userWith(bankId, 'CanCreateCustomerMessage');
    const post = () => call('POST', `/obp/v5.1.0/banks/${bankId}/customer/${customerId}/messages`, { as: sender, body: { message: 'm', from_department: 'd', from_person: 'p' } });
    const noLink = { status: 400, body: { code: 400, message: `OBP-30008: User Customer Link not found by USER_ID Current customerId (${customerId})` } };
    expect(await post()).toMatchObject(noLink);
    const first = await link(linker, bankId, uniqueId('u-'), customerId);
    const second = await link(linker, bankId, uniqueId('u-'), customerId);
    expect((await post()).status).toBe(201);
    expect((await unlink(unlinker, bankId, first.user_customer_link_id)).status).toBe(200);
    expect((await post()).status).toBe(201);
    expect((await unlink(unlinker, bankId, second.user_customer_link_id)).status).toBe(200);
    expect(await post()).toMatchObject(noLink);
    await link(linker, bankId, second.user_id, customerId);
    expect((await post()).status).toBe(201);
  });
});
