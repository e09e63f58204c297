// One paging mechanism for every list (docs/design.md, "Lists and paging"), proven on each of the eight lists
// against DynamoDB Local: default and maximum limits, offset, OBP's parameter errors in OBP's order and after the
// 401/404/403 checks, order in both directions, inclusive time bounds, walking every page by the Link header, walks
// while items are added, and cursors that are refused anywhere but on the list and filters they came from.
// The expected items and their creation times are read from the table directly, never through a list.
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, entitlementByIdKey, entitlementKey, linkByIdKey, userEntitlementsPrefix, type Key } from '../../functions/data/keys';
import { documentClient, tableName } from '../../functions/data/table-client';
import { call, type ApiResponse } from '../support/api';
import { grant, newBank, newCustomer, SUPER_ADMIN, uniqueId, userWith } from '../support/fixtures';
import { nextPageUrl, queryOf, walkPages } from '../support/pages';

jest.setTimeout(600_000);

const FILTER = 'OBP-10016: Incorrect filter Parameters in URL. ';
const SORT_ERROR = `${FILTER} <- OBP-10023: obp_sort_direction parameter can only take two values: DESC or ASC!`;
const DATE_ERROR = `${FILTER} <- OBP-10026: Failed to parse date string. Please use this format yyyy-MM-dd'T'HH:mm:ss.SSS'Z'!`;
const LIMIT_ERROR = `${FILTER} <- OBP-10025: wrong value for obp_limit parameter. Please send a positive integer (=>1)!`;
const OFFSET_ERROR = `${FILTER} <- OBP-10024: wrong value for obp_offset parameter. Please send a positive integer (=>0)!`;
const CURSOR_ERROR = `${FILTER}cursor:`;

// ---- Building lists: each item's id, its place in the list's documented order, and its stored creation time.

interface Item {
  id: string;
  /** The list's documented ascending order: the creation time then the id, or another key. */
  order: string[];
  createdAt: string;
}

const getItem = async (Key: Key) => (await documentClient().send(new GetCommand({ TableName: tableName(), Key, ConsistentRead: true }))).Item;

/** The messages stored under a customer, as items of a time-ordered list. */
const storedMessages = async (customerId: string): Promise<Item[]> => {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :msg)',
        ExpressionAttributeValues: { ':pk': customerKey(customerId).PK, ':msg': 'MSG#' },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const m of out.Items ?? []) items.push({ id: m.messageId, order: [m.createdAt, m.messageId], createdAt: m.createdAt });
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

const compareOrder = (a: Item, b: Item): number => {
  for (let i = 0; i < a.order.length; i++) {
    const [x, y] = [a.order[i] as string, b.order[i] as string];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};
const ascendingIds = (items: Item[]): string[] => [...items].sort(compareOrder).map((i) => i.id);

/** Runs `count` calls of `make`, `width` at a time. */
const inBatches = async <T>(count: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> => {
  const out: T[] = [];
  for (let start = 0; start < count; start += width) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, j) => make(start + j)))));
  }
  return out;
};

const created = (res: ApiResponse, what: string): ApiResponse => {
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
};

const addEntitlement = async (userId: string, bankId: string, roleName: string): Promise<string> =>
  created(await call('POST', `/obp/v5.0.0/users/${userId}/entitlements`, { as: SUPER_ADMIN, body: { bank_id: bankId, role_name: roleName } }), 'addEntitlement').body
    .entitlement_id;

const link = async (linker: string, bankId: string, userId: string, customerId: string): Promise<string> =>
  created(await call('POST', `/obp/v5.0.0/banks/${bankId}/user_customer_links`, { as: linker, body: { user_id: userId, customer_id: customerId } }), 'link').body
    .user_customer_link_id;

const postMessage = async (sender: string, bankId: string, customerId: string, text: string): Promise<void> => {
  created(
    await call('POST', `/obp/v4.0.0/banks/${bankId}/customers/${customerId}/messages`, {
      as: sender,
      body: { message: text, transport: 'SMS', from_department: 'Paging', from_person: 'Test' },
    }),
    'message',
  );
};

const entitlementItem = async (entitlementId: string): Promise<Item> => {
  const e = await getItem(entitlementByIdKey(entitlementId));
  return { id: entitlementId, order: [e?.createdAt, entitlementId], createdAt: e?.createdAt };
};

const linkItem = async (linkId: string, order: (l: Record<string, any>) => string[]): Promise<Item> => {
  const l = (await getItem(linkByIdKey(linkId))) as Record<string, any>;
  return { id: linkId, order: order(l), createdAt: l.dateInserted };
};

/** The bank roles, to give a user many distinct (bank, role) pairs. */
const BANK_ROLES = [
  'CanCreateCustomer',
  'CanCreateCustomerMessage',
  'CanCreateEntitlementAtOneBank',
  'CanCreateUserCustomerLink',
  'CanDeleteEntitlementAtOneBank',
  'CanDeleteUserCustomerLink',
  'CanGetCustomer',
  'CanGetCustomerMessages',
  'CanGetCustomers',
  'CanGetCustomersMinimal',
  'CanGetEntitlementsForAnyUserAtOneBank',
  'CanGetEntitlementsForOneBank',
  'CanGetUserCustomerLink',
  'CanReadDynamicResourceDocsAtOneBank',
  'CanUpdateCustomerBranch',
  'CanUpdateCustomerCreditLimit',
  'CanUpdateCustomerData',
];

/** One list as a test sees it. */
interface Scene {
  /** Path of the list (no query), for the caller below. */
  path: string;
  as: string;
  /** The same path with one of its ids replaced: an unknown bank, an unknown customer. */
  pathWith: (ids: { bankId?: string; customerId?: string }) => string;
  /** Every item the list holds now (read from the table). */
  items: () => Promise<Item[]>;
  /** Adds `count` items to this list. */
  add: (count: number) => Promise<void>;
  /** Another list of the same operation that this caller may read, holding a few items (another bank, customer or user). */
  sibling: () => Promise<string>;
}

interface ListDef {
  name: string;
  itemsKey: string;
  idOf: (item: any) => string;
  /** The 403 for a caller without the role; undefined for a list every logged-in user may read. */
  forbidden?: (bankId: string) => string;
  /** The path has a customer (404 OBP-30046 comes before the query is read). */
  hasCustomer: boolean;
  hasBank: boolean;
  build: (count: number) => Promise<Scene & { bankId: string }>;
}

const customersScene = (list: 'customers' | 'customers-minimal', role: string) => async (count: number) => {
  const bankId = await newBank();
  const reader = await userWith(bankId, role);
  const creator = await userWith(bankId, 'CanCreateCustomer');
  const ids: string[] = [];
  const add = async (n: number) => {
    const made = await inBatches(n, 10, () => call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: creator, body: { legal_name: 'L', mobile_phone_number: '1' } }));
    ids.push(...made.map((r) => created(r, 'customer').body.customer_id));
  };
  await add(count);
  const pathOf = (b: string) => `/obp/v5.0.0/banks/${b}/${list}`;
  return {
    bankId,
    path: pathOf(bankId),
    as: reader,
    pathWith: (o: { bankId?: string }) => pathOf(o.bankId ?? bankId),
    items: () =>
      Promise.all(
        ids.map(async (id) => {
          const c = await getItem(customerKey(id));
          return { id, order: [c?.createdAt, id], createdAt: c?.createdAt };
        }),
      ),
    add,
    sibling: async () => {
      const other = await newBank();
      await grant(reader, role, other);
      await inBatches(3, 3, () => newCustomer(other));
      return pathOf(other);
    },
  };
};

const customerMessagesScene = async (count: number) => {
  const bankId = await newBank();
  const reader = await userWith(bankId, 'CanGetCustomerMessages');
  const sender = await userWith(bankId, 'CanCreateCustomerMessage');
  const customerId = (await newCustomer(bankId)).customer_id as string;
  const add = async (n: number, to = customerId) => {
    await inBatches(n, 25, (i) => postMessage(sender, bankId, to, `m${i}`));
  };
  await add(count);
  const pathOf = (b: string, c: string) => `/obp/v4.0.0/banks/${b}/customers/${c}/messages`;
  return {
    bankId,
    customerId,
    path: pathOf(bankId, customerId),
    as: reader,
    pathWith: (o: { bankId?: string; customerId?: string }) => pathOf(o.bankId ?? bankId, o.customerId ?? customerId),
    items: () => storedMessages(customerId),
    add: (n: number) => add(n),
    sibling: async () => {
      const other = (await newCustomer(bankId)).customer_id as string;
      await add(3, other);
      return pathOf(bankId, other);
    },
  };
};

/** Messages of three customers linked to the caller, spread over them. */
const myMessagesScene = async (count: number) => {
  const bankId = await newBank();
  const me = uniqueId('me-');
  const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
  const sender = await userWith(bankId, 'CanCreateCustomerMessage');
  const mine: string[] = [];
  for (let i = 0; i < 3; i++) {
    const c = (await newCustomer(bankId)).customer_id as string;
    await link(linker, bankId, me, c);
    mine.push(c);
  }
  // A customer of the bank not linked to the caller: its messages are never listed.
  const notMine = (await newCustomer(bankId)).customer_id as string;
  await postMessage(sender, bankId, notMine, 'not mine');
  let posted = 0;
  const add = async (n: number) => {
    await inBatches(n, 25, () => {
      const to = mine[posted++ % mine.length] as string;
      return postMessage(sender, bankId, to, `m${posted}`);
    });
  };
  await add(count);
  const pathOf = (b: string) => `/obp/v1.4.0/banks/${b}/customer/messages`;
  return {
    bankId,
    path: pathOf(bankId),
    as: me,
    pathWith: (o: { bankId?: string }) => pathOf(o.bankId ?? bankId),
    items: async () => (await Promise.all(mine.map(storedMessages))).flat(),
    add,
    sibling: async () => {
      const other = await newBank();
      const c = (await newCustomer(other)).customer_id as string;
      await link(await userWith(other, 'CanCreateUserCustomerLink'), other, me, c);
      const otherSender = await userWith(other, 'CanCreateCustomerMessage');
      for (let i = 0; i < 3; i++) await postMessage(otherSender, other, c, `elsewhere ${i}`);
      return pathOf(other);
    },
  };
};

/** A user holding many (bank, role) pairs; the list is ordered by bank id, then role name. */
const entitlementsScene = async (count: number) => {
  const target = uniqueId('target-');
  const reader = await userWith('', 'CanGetEntitlementsForAnyUserAtAnyBank');
  const held: Array<{ id: string; bankId: string; roleName: string }> = [];
  const grantMany = async (userId: string, n: number, into: typeof held) => {
    for (let start = 0; start < n; start += BANK_ROLES.length) {
      const bankId = await newBank();
      const roles = BANK_ROLES.slice(0, Math.min(BANK_ROLES.length, n - start));
      const ids = await Promise.all(roles.map((roleName) => addEntitlement(userId, bankId, roleName)));
      into.push(...roles.map((roleName, i) => ({ id: ids[i] as string, bankId, roleName })));
    }
  };
  await grantMany(target, count, held);
  const pathOf = (u: string) => `/obp/v4.0.0/users/${u}/entitlements`;
  return {
    bankId: '',
    path: pathOf(target),
    as: reader,
    pathWith: () => pathOf(target),
    items: () =>
      Promise.all(
        held.map(async (h) => {
          const e = await getItem(entitlementKey(target, h.bankId, h.roleName));
          return { id: h.id, order: [h.bankId, h.roleName], createdAt: e?.createdAt };
        }),
      ),
    add: (n: number) => grantMany(target, n, held),
    sibling: async () => {
      const other = uniqueId('other-');
      await grantMany(other, 3, []);
      return pathOf(other);
    },
  };
};

/** A bank's entitlements (its creator's and `count` more), by grant time. */
const bankEntitlementsScene = async (count: number) => {
  const reader = await userWith('', 'CanGetEntitlementsForAnyBank');
  const bankWithCreator = async () => {
    const bankId = uniqueId('bk');
    const creator = uniqueId('creator-');
    await grant(creator, 'CanCreateBank');
    created(await call('POST', '/obp/v5.0.0/banks', { as: creator, body: { id: bankId, bank_code: 'TEST' } }), 'createBank');
    // createBank grants its caller roles at the new bank: they are the bank's first entitlements.
    const own = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :role)',
        ExpressionAttributeValues: { ':pk': userEntitlementsPrefix(creator).PK, ':role': userEntitlementsPrefix(creator).SKPrefix },
        ConsistentRead: true,
      }),
    );
    const creatorEntitlements = (own.Items ?? []).filter((e) => e.bankId === bankId).map((e) => e.entitlementId as string);
    expect(creatorEntitlements.length).toBeGreaterThan(0);
    return { bankId, creatorEntitlements };
  };
  const { bankId, creatorEntitlements } = await bankWithCreator();
  const ids = [...creatorEntitlements];
  const add = async (n: number, b = bankId, into = ids) => {
    into.push(...(await inBatches(n, 10, (i) => addEntitlement(uniqueId('staff-'), b, BANK_ROLES[i % BANK_ROLES.length] as string))));
  };
  await add(count - ids.length);
  const pathOf = (b: string) => `/obp/v4.0.0/banks/${b}/entitlements`;
  return {
    bankId,
    path: pathOf(bankId),
    as: reader,
    pathWith: (o: { bankId?: string }) => pathOf(o.bankId ?? bankId),
    items: () => Promise.all(ids.map(entitlementItem)),
    add: (n: number) => add(n),
    sibling: async () => {
      const other = await bankWithCreator();
      await add(2, other.bankId, []);
      return pathOf(other.bankId);
    },
  };
};

/** One user linked to `count` customers of the bank; ordered by customer id. */
const linksByUserScene = async (count: number) => {
  const bankId = await newBank();
  const reader = await userWith(bankId, 'CanGetUserCustomerLink');
  const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
  const creator = await userWith(bankId, 'CanCreateCustomer');
  const user = uniqueId('linked-');
  const ids: string[] = [];
  const add = async (n: number, u = user, into = ids) => {
    into.push(
      ...(await inBatches(n, 10, async () => {
        const c = created(await call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: creator, body: { legal_name: 'L', mobile_phone_number: '1' } }), 'customer');
        return link(linker, bankId, u, c.body.customer_id);
      })),
    );
  };
  await add(count);
  const pathOf = (b: string, u: string) => `/obp/v4.0.0/banks/${b}/user_customer_links/users/${u}`;
  return {
    bankId,
    path: pathOf(bankId, user),
    as: reader,
    pathWith: (o: { bankId?: string }) => pathOf(o.bankId ?? bankId, user),
    items: () => Promise.all(ids.map((id) => linkItem(id, (l) => [l.customerId]))),
    add: (n: number) => add(n),
    sibling: async () => {
      const other = uniqueId('other-');
      await add(3, other, []);
      return pathOf(bankId, other);
    },
  };
};

/** One customer linked to `count` users; ordered by user id. */
const linksByCustomerScene = async (count: number) => {
  const bankId = await newBank();
  const reader = await userWith(bankId, 'CanGetUserCustomerLink');
  const linker = await userWith(bankId, 'CanCreateUserCustomerLink');
  const customerId = (await newCustomer(bankId)).customer_id as string;
  const ids: string[] = [];
  const add = async (n: number, c = customerId, into = ids) => {
    into.push(...(await inBatches(n, 10, () => link(linker, bankId, uniqueId('user-'), c))));
  };
  await add(count);
  const pathOf = (b: string, c: string) => `/obp/v4.0.0/banks/${b}/user_customer_links/customers/${c}`;
  return {
    bankId,
    path: pathOf(bankId, customerId),
    as: reader,
    pathWith: (o: { bankId?: string; customerId?: string }) => pathOf(o.bankId ?? bankId, o.customerId ?? customerId),
    items: () => Promise.all(ids.map((id) => linkItem(id, (l) => [l.userId]))),
    add: (n: number) => add(n),
    sibling: async () => {
      const other = (await newCustomer(bankId)).customer_id as string;
      await add(3, other, []);
      return pathOf(bankId, other);
    },
  };
};

const bankRole = (role: string) => (bankId: string) => `OBP-20006: User is missing one or more roles: ${role} for BankId(${bankId}).`;

const LISTS: ListDef[] = [
  {
    name: 'getCustomersAtOneBank',
    itemsKey: 'customers',
    idOf: (c) => c.customer_id,
    forbidden: bankRole('CanGetCustomers'),
    hasBank: true,
    hasCustomer: false,
    build: customersScene('customers', 'CanGetCustomers'),
  },
  {
    name: 'getCustomersMinimalAtOneBank',
    itemsKey: 'customers',
    idOf: (c) => c.customer_id,
    forbidden: bankRole('CanGetCustomersMinimal'),
    hasBank: true,
    hasCustomer: false,
    build: customersScene('customers-minimal', 'CanGetCustomersMinimal'),
  },
  {
    name: 'getCustomerMessages',
    itemsKey: 'messages',
    idOf: (m) => m.id,
    forbidden: bankRole('CanGetCustomerMessages'),
    hasBank: true,
    hasCustomer: true,
    build: customerMessagesScene,
  },
  { name: 'getMyMessages', itemsKey: 'messages', idOf: (m) => m.id, hasBank: true, hasCustomer: false, build: myMessagesScene },
  {
    name: 'getEntitlements',
    itemsKey: 'list',
    idOf: (e) => e.entitlement_id,
    forbidden: () => 'OBP-20006: User is missing one or more roles: CanGetEntitlementsForAnyUserAtAnyBank',
    hasBank: false,
    hasCustomer: false,
    build: entitlementsScene,
  },
  {
    name: 'getEntitlementsForBank',
    itemsKey: 'list',
    idOf: (e) => e.entitlement_id,
    forbidden: (b) => `OBP-20006: User is missing one or more roles: CanGetEntitlementsForOneBank or CanGetEntitlementsForAnyBank for BankId(${b}).`,
    hasBank: true,
    hasCustomer: false,
    build: bankEntitlementsScene,
  },
  {
    name: 'getUserCustomerLinksByUserId',
    itemsKey: 'user_customer_links',
    idOf: (l) => l.user_customer_link_id,
    forbidden: bankRole('CanGetUserCustomerLink'),
    hasBank: true,
    hasCustomer: false,
    build: linksByUserScene,
  },
  {
    name: 'getUserCustomerLinksByCustomerId',
    itemsKey: 'user_customer_links',
    idOf: (l) => l.user_customer_link_id,
    forbidden: bankRole('CanGetUserCustomerLink'),
    hasBank: true,
    hasCustomer: true,
    build: linksByCustomerScene,
  },
];

/** 51 items: one more than the default page. */
const COUNT = 51;

describe.each(LISTS)('$name', (def) => {
  let scene: Awaited<ReturnType<ListDef['build']>>;
  let ascending: string[];
  let descending: string[];
  let stored: Item[];

  const get = (query: string, as: string | undefined = scene.as, path = scene.path) => call('GET', `${path}${query}`, { as });
  const idsOf = (res: ApiResponse): string[] => (res.body[def.itemsKey] as unknown[]).map(def.idOf);
  const walk = async (query: string, limit: number) => walkPages(`${scene.path}${query}`, def.itemsKey, scene.as, { limit });

  beforeAll(async () => {
    scene = await def.build(COUNT);
    stored = await scene.items();
    expect(stored).toHaveLength(COUNT);
    ascending = ascendingIds(stored);
    descending = [...ascending].reverse();
  });

  it('default: 50 items, newest (or last) first, with a Link to a last page of 1 item that has no Link', async () => {
    const first = await get('');
    expect(first.status).toBe(200);
    expect(idsOf(first)).toEqual(descending.slice(0, 50));
    const next = nextPageUrl(first) as string;
    expect(next).toBeDefined();
    expect(next.startsWith(`${scene.path}?`)).toBe(true);
    const last = await call('GET', next, { as: scene.as });
    expect(idsOf(last)).toEqual(descending.slice(50));
    expect(last.headers.link).toBeUndefined();
    expect((await get('?sort_direction=DESC')).body).toEqual(first.body);
  });

  it('limit and offset are honoured; the Link of an offset page continues right after it, without offset', async () => {
    const one = await get('?limit=1&offset=0');
    expect(idsOf(one)).toEqual(descending.slice(0, 1));
    expect(idsOf(await get('?limit=3&offset=2'))).toEqual(descending.slice(2, 5));
    const ascendingPage = await get('?sort_direction=asc&offset=4&limit=5');
    expect(idsOf(ascendingPage)).toEqual(ascending.slice(4, 9));
    const next = nextPageUrl(ascendingPage) as string;
    expect(queryOf(next).has('offset')).toBe(false);
    expect(queryOf(next).get('limit')).toBe('5');
    expect(queryOf(next).get('sort_direction')).toBe('asc');
    expect(idsOf(await call('GET', next, { as: scene.as }))).toEqual(ascending.slice(9, 14));
    expect(idsOf(await get('?limit=500'))).toEqual(descending);
    expect(idsOf(await get(`?offset=${COUNT}`))).toEqual([]);
    expect((await get(`?offset=${COUNT - 1}`)).headers.link).toBeUndefined();
  });

  it('every offset gives exactly the items at that place of the whole list, both ways (the merge of several partitions reads in chunks then)', async () => {
    for (const [sort, order] of [['desc', descending], ['asc', ascending]] as const) {
      for (let offset = 0; offset < COUNT; offset += 3) {
        expect({ sort, offset, ids: idsOf(await get(`?sort_direction=${sort}&offset=${offset}&limit=4`)) }).toEqual({ sort, offset, ids: order.slice(offset, offset + 4) });
      }
    }
  });

  it('walking by the Link header returns every item exactly once, in order; a full last page has no Link', async () => {
    const up = await walk('?sort_direction=asc&limit=17', 17);
    expect(up.pages.map((p) => (p.body[def.itemsKey] as unknown[]).length)).toEqual([17, 17, 17]);
    expect(up.items.map(def.idOf)).toEqual(ascending);
    const down = await walk('?limit=10', 10);
    expect(down.pages).toHaveLength(6);
    expect(down.items.map(def.idOf)).toEqual(descending);
    const single = await walk('?limit=1', 1);
    expect(single.items.map(def.idOf)).toEqual(descending);
  });

  it('the Link keeps the request\'s other parameters (also unknown ones) and replaces the cursor', async () => {
    const query = '?limit=20&sort_direction=Asc&from_date=1970-01-01T00:00:00.000Z&to_date=3000-01-01&x-extra=kept';
    const { pages, items } = await walk(query, 20);
    expect(items.map(def.idOf)).toEqual(ascending);
    const cursors = new Set<string>();
    for (const page of pages.slice(0, -1)) {
      const params = queryOf(nextPageUrl(page) as string);
      expect(params.get('limit')).toBe('20');
      expect(params.get('sort_direction')).toBe('Asc');
      expect(params.get('from_date')).toBe('1970-01-01T00:00:00.000Z');
      expect(params.get('to_date')).toBe('3000-01-01');
      expect(params.get('x-extra')).toBe('kept');
      expect(params.getAll('cursor')).toHaveLength(1);
      cursors.add(params.get('cursor') as string);
    }
    expect(cursors.size).toBe(pages.length - 1);
  });

  it('from_date and to_date are inclusive bounds on the creation time, in OBP\'s form and as RFC 3339 with an offset', async () => {
    const byTime = [...stored].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    const from = byTime[10]?.createdAt as string;
    const to = byTime[40]?.createdAt as string;
    const inside = new Set(stored.filter((i) => i.createdAt >= from && i.createdAt <= to).map((i) => i.id));
    expect(inside.size).toBeGreaterThanOrEqual(31);
    expect(inside.size).toBeLessThan(COUNT);
    const expectedUp = ascending.filter((id) => inside.has(id));
    const up = await walk(`?sort_direction=asc&limit=4&from_date=${from}&to_date=${to}`, 4);
    expect(up.items.map(def.idOf)).toEqual(expectedUp);
    const down = await walk(`?limit=7&from_date=${from}&to_date=${to}`, 7);
    expect(down.items.map(def.idOf)).toEqual([...expectedUp].reverse());

    // The same instants written with a +02:00 offset (percent-encoded, as a client sends "+").
    const shifted = (iso: string) => {
      const d = new Date(Date.parse(iso) + 2 * 3600_000).toISOString().slice(0, 23);
      return encodeURIComponent(`${d}+02:00`);
    };
    const offsetForm = await get(`?limit=500&from_date=${shifted(from)}&to_date=${shifted(to)}`);
    expect(idsOf(offsetForm)).toEqual([...expectedUp].reverse());
    // Just outside: one millisecond later and earlier drop the bound items.
    const later = new Date(Date.parse(from) + 1).toISOString();
    const earlier = new Date(Date.parse(to) - 1).toISOString();
    const narrowed = idsOf(await get(`?limit=500&from_date=${later}&to_date=${earlier}`));
    const narrowedExpected = stored.filter((i) => i.createdAt >= later && i.createdAt <= earlier).map((i) => i.id);
    expect(new Set(narrowed)).toEqual(new Set(narrowedExpected));
    expect(narrowed.length).toBeLessThan(inside.size);
    // A day before everything and a day after: nothing.
    expect(idsOf(await get('?to_date=1971-01-01'))).toEqual([]);
    expect(idsOf(await get('?from_date=3999-12-31'))).toEqual([]);
  });

  it.each([
    ['limit=0', LIMIT_ERROR],
    ['limit=-1', LIMIT_ERROR],
    ['limit=1.5', LIMIT_ERROR],
    ['limit=abc', LIMIT_ERROR],
    ['offset=-1', OFFSET_ERROR],
    ['offset=x', OFFSET_ERROR],
    ['sort_direction=x', SORT_ERROR],
    ['sort_direction=ascending', SORT_ERROR],
    ['from_date=2013-02-30', DATE_ERROR],
    ['from_date=garbage', DATE_ERROR],
    ['to_date=2013-02-30', DATE_ERROR],
    ['to_date=2013-01-21T23:08:00', DATE_ERROR],
  ])('?%s → 400 with OBP\'s composed message', async (query, message) => {
    const res = await get(`?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message });
  });

  it('a limit over 500 and an offset over 10,000 are the same errors, naming the maximum', async () => {
    const limit = await get('?limit=501');
    expect(limit.status).toBe(400);
    expect(limit.body.message.startsWith(LIMIT_ERROR)).toBe(true);
    expect(limit.body.message.slice(LIMIT_ERROR.length)).toContain('500');
    const offset = await get('?offset=10001');
    expect(offset.status).toBe(400);
    expect(offset.body.message.startsWith(OFFSET_ERROR)).toBe(true);
    expect(offset.body.message.slice(OFFSET_ERROR.length)).toContain('10000');
    expect((await get('?offset=10000')).status).toBe(200);
  });

  it('parameters are checked in OBP\'s order (sort_direction → from_date → to_date → limit → offset), after 401, 404 and 403', async () => {
    const allBad = '?offset=-1&limit=0&to_date=x&from_date=2013-02-30&sort_direction=up';
    expect((await get(allBad)).body.message).toBe(SORT_ERROR);
    expect((await get('?offset=-1&limit=0&to_date=x&from_date=2013-02-30')).body.message).toBe(DATE_ERROR);
    expect((await get('?offset=-1&limit=0&to_date=x')).body.message).toBe(DATE_ERROR);
    expect((await get('?offset=-1&limit=0')).body.message).toBe(LIMIT_ERROR);
    expect((await get('?offset=-1&cursor=nonsense')).body.message).toBe(OFFSET_ERROR);

    expect((await call('GET', `${scene.path}${allBad}`)).status).toBe(401);
    if (def.hasBank) {
      const missing = uniqueId('nobank');
      const res = await get(allBad, scene.as, scene.pathWith({ bankId: missing }));
      expect(res.body).toEqual({ code: 404, message: `OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is ${missing}` });
    }
    if (def.forbidden) expect((await get(allBad, uniqueId('nobody-'))).body).toEqual({ code: 403, message: def.forbidden(scene.bankId) });
    if (def.hasCustomer) {
      const missing = randomUUID();
      const res = await get(allBad, scene.as, scene.pathWith({ customerId: missing }));
      expect(res.body).toEqual({
        code: 404,
        message: `OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.. Current CustomerId(${missing})`,
      });
    }
  });

  it('a cursor is refused (400 OBP-10016) on another list, with other filters, when edited, and with offset', async () => {
    const first = await get('?limit=5&from_date=1970-01-02');
    const cursor = queryOf(nextPageUrl(first) as string).get('cursor') as string;
    expect((await get(`?limit=5&from_date=1970-01-02&cursor=${cursor}`)).status).toBe(200);

    const refused = async (path: string, query: string) => {
      const res = await get(query, scene.as, path);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(400);
      expect(res.body.message.startsWith(CURSOR_ERROR)).toBe(true);
      expect(res.body).not.toHaveProperty(def.itemsKey);
    };
    const sibling = await scene.sibling();
    expect(idsOf(await get('?limit=5&from_date=1970-01-02', scene.as, sibling)).length).toBeGreaterThan(0);
    await refused(sibling, `?limit=5&from_date=1970-01-02&cursor=${cursor}`);
    for (const other of ['?limit=5&cursor=', '?limit=5&from_date=1970-01-03&cursor=', '?limit=5&from_date=1970-01-02&to_date=3000-01-01&cursor=', '?limit=5&from_date=1970-01-02&sort_direction=asc&cursor=']) {
      await refused(scene.path, `${other}${cursor}`);
    }
    await refused(scene.path, `?limit=5&from_date=1970-01-02&offset=0&cursor=${cursor}`);
    // One character changed, anywhere (payload, separator or digest).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const positions = [0, 1, Math.floor(cursor.length / 2), cursor.indexOf('.'), cursor.length - 1];
    for (const at of positions) {
      const was = cursor[at] as string;
      const edited = `${cursor.slice(0, at)}${alphabet[(alphabet.indexOf(was) + 1) % alphabet.length]}${cursor.slice(at + 1)}`;
      expect(edited).not.toBe(cursor);
      await refused(scene.path, `?limit=5&from_date=1970-01-02&cursor=${edited}`);
    }
    await refused(scene.path, `?limit=5&from_date=1970-01-02&cursor=${cursor}x`);
    await refused(scene.path, '?limit=5&from_date=1970-01-02&cursor=not-a-cursor');
  });

  it('a walk while items are being added returns every item that was there before exactly once, and no item twice', async () => {
    const fresh = await def.build(12);
    const before = ascendingIds(await fresh.items());
    for (const query of ['?limit=3', '?limit=3&sort_direction=asc']) {
      // Bounded, so that an ascending walk (which meets the new items at its end) ends too.
      const background = (async () => {
        for (let i = 0; i < 6; i++) await fresh.add(1);
      })();
      const walked = await walkPages(`${fresh.path}${query}`, def.itemsKey, fresh.as, {
        limit: 3,
        beforeEachNext: (page) => (page <= 3 ? fresh.add(2) : Promise.resolve()),
      });
      await background;
      const ids = walked.items.map(def.idOf);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before) expect(ids.filter((i) => i === id)).toHaveLength(1);
    }
    expect((await fresh.items()).length).toBeGreaterThan(before.length + 8);
  });
});

describe('getMyMessages across several linked customers', () => {
  it('merges them newest first across pages, each message once, none of an unlinked customer', async () => {
    const scene = await myMessagesScene(0);
    const sender = await userWith(scene.bankId, 'CanCreateCustomerMessage');
    const linker = await userWith(scene.bankId, 'CanCreateUserCustomerLink');
    const customers = await inBatches(4, 4, () => newCustomer(scene.bankId));
    for (const c of customers) await link(linker, scene.bankId, scene.as, c.customer_id);
    // Interleaved posts, one after the other, so the expected order is the posting order.
    const texts: string[] = [];
    for (let i = 0; i < 22; i++) {
      const text = `to ${i % 4} #${i}`;
      await postMessage(sender, scene.bankId, customers[i % 4]?.customer_id, text);
      texts.push(text);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const { items } = await walkPages(`${scene.path}?limit=4`, 'messages', scene.as, { limit: 4 });
    expect(items.map((m) => m.message)).toEqual([...texts].reverse());
    const up = await walkPages(`${scene.path}?limit=5&sort_direction=asc`, 'messages', scene.as, { limit: 5 });
    expect(up.items.map((m) => m.message)).toEqual(texts);
  });
});

describe('pages are bounded by limit however long the list', () => {
  it('5,500 messages on one customer: no page holds more than limit items, bodies stay small, a walk returns each once', async () => {
    const scene = await customerMessagesScene(0);
    const linkedUser = uniqueId('holder-');
    await link(await userWith(scene.bankId, 'CanCreateUserCustomerLink'), scene.bankId, linkedUser, scene.customerId);
    await scene.add(5500);
    expect(await scene.items()).toHaveLength(5500);

    const byteBound = (limit: number) => 40 + limit * 200; // each item here is well under 200 bytes
    for (const [path, as] of [
      [scene.path, scene.as],
      [`/obp/v1.4.0/banks/${scene.bankId}/customer/messages`, linkedUser],
    ] as const) {
      const byDefault = await call('GET', path, { as });
      expect(byDefault.body.messages).toHaveLength(50);
      expect(Buffer.byteLength(JSON.stringify(byDefault.body))).toBeLessThan(byteBound(50));
      const biggest = await call('GET', `${path}?limit=500`, { as });
      expect(biggest.body.messages).toHaveLength(500);
      expect(Buffer.byteLength(JSON.stringify(biggest.body))).toBeLessThan(byteBound(500));
      const { pages, items } = await walkPages(`${path}?limit=500`, 'messages', as, { limit: 500 });
      expect(pages).toHaveLength(11);
      expect(new Set(items.map((m) => m.id)).size).toBe(5500);
    }
  });
});
