// The size of an item as DynamoDB counts it for capacity (developer guide, "Item sizes and formats"): attribute
// names and values in UTF-8; a number about one byte per two significant digits plus one; null and booleans one
// byte; a list or map 3 bytes plus its elements, one byte more per element (and a map's keys).
import { TABLE_SCHEMA } from '../functions/data/table-schema';

/** An item with this attribute has an entry in the index (it projects ALL attributes). */
export const INDEX_KEY = TABLE_SCHEMA.indexes[0].partitionKey;

const numberSize = (n: number): number => {
  // Significant digits: no sign, no point, no leading or trailing zeros.
  const digits = String(Math.abs(n)).replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
  return Math.ceil(digits / 2) + 1;
};

const valueSize = (value: unknown): number => {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return numberSize(value);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueSize(v), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => (v === undefined ? n : n + 1 + Buffer.byteLength(k) + valueSize(v)), 0);
  }
  throw new Error(`item-size: cannot size a ${typeof value}`);
};

export const itemSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((n, [name, v]) => (v === undefined ? n : n + Buffer.byteLength(name) + valueSize(v)), 0);
