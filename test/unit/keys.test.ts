// functions/data/keys.ts: key components are escaped, bounded and never ambiguous.
import {
  CUSTOMER_LIST_SHARDS,
  bankKey,
  customerKey,
  customerNumberGuardKey,
  customersOfBankIndexKey,
  entitlementKey,
  keyPart,
  linkKey,
  messageKey,
  userLinkKey,
  userLinksAtBankPrefix,
} from '../../functions/data/keys';

const HASHED = /^#h[0-9a-f]{64}$/;

describe('keyPart', () => {
  it.each([
    ['plain', 'plain'],
    ['gh.29.uk', 'gh.29.uk'],
    ['a#b', 'a%23b'],
    ['a%b', 'a%25b'],
    ['%23', '%2523'],
    ['#', '%23'],
    ['##%%', '%23%23%25%25'],
    ['', ''],
    ['ünïcode ✓', 'ünïcode ✓'],
  ])('%p → %p', (value, part) => {
    expect(keyPart(value)).toBe(part);
  });

  it('never leaves a # in an escaped value, so no value can add a key separator', () => {
    for (const value of ['a#b', '#ROLE#x', 'BANK#1#CUSTOMERS', '%#%#']) expect(keyPart(value)).not.toContain('#');
  });

  it('is injective on values that escaping could confuse', () => {
    const values = ['#', '%23', '%2523', '%', '%25', 'a#b', 'a%23b', 'a%2523b', '#h0', '%23h0'];
    const parts = values.map(keyPart);
    expect(new Set(parts).size).toBe(values.length);
  });

  it('keeps values up to 256 UTF-8 bytes after escaping, hashes longer ones', () => {
    expect(keyPart('a'.repeat(256))).toBe('a'.repeat(256));
    expect(keyPart('a'.repeat(257))).toMatch(HASHED);
    expect(keyPart('é'.repeat(128))).toBe('é'.repeat(128)); // 256 bytes
    expect(keyPart('é'.repeat(129))).toMatch(HASHED); // 258 bytes
    // Escaping counts: 85 '#' become 255 bytes, 86 become 258.
    expect(keyPart('#'.repeat(85))).toBe('%23'.repeat(85));
    expect(keyPart('#'.repeat(86))).toMatch(HASHED);
  });

  it('hashes ill-formed text (lone surrogates) instead of storing it', () => {
    expect(keyPart('\uD800')).toMatch(HASHED);
    expect(keyPart('a\uDC00b')).toMatch(HASHED);
    // Distinct ill-formed values, and a long value with a lone surrogate vs. with U+FFFD, must not share a key.
    const parts = ['\uD800', '\uDC00', '\uDBFF', 'a\uD800', '\uD800a'].map(keyPart);
    expect(new Set(parts).size).toBe(parts.length);
    expect(keyPart(`${'x'.repeat(300)}\uD800`)).not.toBe(keyPart(`${'x'.repeat(300)}\uFFFD`));
  });

  it('hashes deterministically, distinct values to distinct hashes, and never collides with an escaped value', () => {
    const long = 'x'.repeat(1000);
    expect(keyPart(long)).toBe(keyPart('x'.repeat(1000)));
    expect(keyPart(long)).not.toBe(keyPart(`${long}y`));
    // A hash starts with '#', which an escaped value never contains.
    const hash = keyPart(long);
    expect(keyPart(hash)).not.toBe(hash);
  });

  it('stays within a bounded length for any input', () => {
    for (const value of ['a', '#'.repeat(10_000), 'é'.repeat(5_000), '\uD800'.repeat(300), 'z'.repeat(100_000)]) {
      expect(Buffer.byteLength(keyPart(value))).toBeLessThanOrEqual(256);
    }
  });
});

describe('key builders use keyPart for every request value', () => {
  it('bank, customer, guard and entitlement keys', () => {
    expect(bankKey('b#1')).toEqual({ PK: 'BANK#b%231', SK: 'BANK' });
    expect(customerKey('c#1')).toEqual({ PK: 'CUSTOMER#c%231', SK: 'CUSTOMER' });
    expect(customerNumberGuardKey('b#1', 'n#1')).toEqual({ PK: 'CUSTNUM#b%231#n%231', SK: 'CUSTNUM' });
    expect(entitlementKey('u#1', 'b#1', 'CanGetCustomer')).toEqual({ PK: 'USER#u%231', SK: 'ROLE#b%231#CanGetCustomer' });
  });

  it('a user id with # cannot reach another user\'s or bank\'s items', () => {
    // Without escaping, user "a#ROLE" at bank "" would share a prefix with user "a".
    expect(entitlementKey('a#ROLE', '', 'X').PK).not.toBe(entitlementKey('a', '', 'X').PK);
    expect(entitlementKey('a', 'b#ROLE#c', 'X').SK).not.toBe(entitlementKey('a', 'b', 'ROLE#c#X').SK);
    expect(customerNumberGuardKey('b#CUSTNUM', 'x')).not.toEqual(customerNumberGuardKey('b', 'CUSTNUM#x'));
    expect(customerNumberGuardKey('a#b', 'c')).not.toEqual(customerNumberGuardKey('a', 'b#c'));
  });

  it('GSI1 and message/link keys', () => {
    const entry = customersOfBankIndexKey('b#1', 'c1', '2024-01-01T00:00:00.000Z');
    expect(entry.GSI1PK).toMatch(/^BANK#b%231#CUSTOMERS#[0-9a-f]$/);
    expect(entry.GSI1SK).toBe('2024-01-01T00:00:00.000Z#c1');
    expect(messageKey('c1', '2024-01-01T00:00:00.000Z', 'm1')).toEqual({ PK: 'CUSTOMER#c1', SK: 'MSG#2024-01-01T00:00:00.000Z#m1' });
    expect(linkKey('c1', 'u#1')).toEqual({ PK: 'CUSTOMER#c1', SK: 'LINK#u%231' });
    const userSide = userLinkKey('u#1', 'b1', 'c1');
    const prefix = userLinksAtBankPrefix('u#1', 'b1');
    expect(userSide.PK).toBe(prefix.PK);
    expect(userSide.SK.startsWith(prefix.SKPrefix)).toBe(true);
    // A bank whose id extends another's is not matched by the shorter one's prefix.
    expect(userLinkKey('u', 'b1x', 'c1').SK.startsWith(userLinksAtBankPrefix('u', 'b1').SKPrefix)).toBe(false);
  });

  it('spreads a bank\'s customers evenly over the index shards', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 16_000; i++) {
      const pk = customersOfBankIndexKey('b', crypto.randomUUID(), '2024-01-01T00:00:00.000Z').GSI1PK;
      counts.set(pk, (counts.get(pk) ?? 0) + 1);
    }
    expect(counts.size).toBe(CUSTOMER_LIST_SHARDS);
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
  });

  it('message keys sort by creation time', () => {
    const keys = ['2024-01-01T00:00:00.002Z', '2024-01-01T00:00:00.010Z', '2023-12-31T23:59:59.999Z'].map((t) => messageKey('c', t, 'm').SK);
    expect([...keys].sort()).toEqual([keys[2], keys[0], keys[1]]);
  });
});

describe('the operations list names the partitions keys.ts builds', () => {
  it('every partition prefix an operation declares is one of PARTITIONS, and each of PARTITIONS is used', async () => {
    const { OPERATIONS } = await import('../../functions/common/operations');
    const { PARTITIONS } = await import('../../functions/data/keys');
    const declared = new Set(OPERATIONS.flatMap((op) => [...op.table.partitions, ...op.table.writePartitions, ...(op.table.indexPartitions ?? [])]));
    expect([...declared].filter((p) => !Object.values(PARTITIONS).includes(p as never))).toEqual([]);
    expect(Object.values(PARTITIONS).filter((p) => !declared.has(p))).toEqual([]);
  });
});
