// Write request units by AWS's published rules, for the figures' estimate: DynamoDB Local's ConsumedCapacity for a
// TransactWriteItems does not follow them (it reports about one item's worth for the whole transaction), so the
// benchmark computes what AWS bills from the items themselves. Rules (DynamoDB developer guide, "Read and write
// operations"): a write costs 1 unit per started KB of the larger of the item before and after; an index entry the
// write creates, changes or removes costs the same on the index; in a transaction every item write costs twice.
// Index entries of a transaction are counted at twice as well (DynamoDB Local does the same; AWS's documentation
// says index changes propagate after the commit, so this may be an overestimate of up to the index share).
import { INDEX_KEY, itemSize } from './item-size';

type Item = Record<string, unknown>;
type Input = Record<string, any>;

/** The items a write targets, by `PK\0SK`, as they were before it. */
export type Before = Map<string, Item | undefined>;

const KB = 1024;
const units = (bytes: number): number => Math.max(1, Math.ceil(bytes / KB));
export const keyId = (key: Item): string => `${String(key.PK)}\u0000${String(key.SK)}`;

/** The keys a write command touches, so their items can be looked up before it runs. */
export const writeTargets = (command: string, input: Input): Item[] => {
  switch (command) {
    case 'PutItem':
      return [input.Item];
    case 'UpdateItem':
    case 'DeleteItem':
      return [input.Key];
    case 'TransactWriteItems':
      return (input.TransactItems as Input[]).map((t) => {
        if (t.Put) return t.Put.Item;
        if (t.Update) return t.Update.Key;
        if (t.Delete) return t.Delete.Key;
        throw new Error('write-units: ConditionCheck is not modelled (the product sends none)');
      });
    default:
      return [];
  }
};

interface ActionUnits {
  table: number;
  index: number;
}

/** One item write, not transactional. Update: the item before it (the fields it sets are small next to the item). */
const action = (kind: 'Put' | 'Update' | 'Delete', before: Item | undefined, after?: Item): ActionUnits => {
  const sizes = [before, after].filter((i): i is Item => i !== undefined).map(itemSize);
  const size = Math.max(0, ...sizes);
  const table = units(size);
  if (kind === 'Put') {
    const had = before !== undefined && INDEX_KEY in before;
    const has = after !== undefined && INDEX_KEY in after;
    const moved = had && has && (before as Item)[INDEX_KEY] !== (after as Item)[INDEX_KEY];
    return { table, index: (had || has ? units(size) : 0) * (moved ? 2 : 1) };
  }
  return { table, index: before !== undefined && INDEX_KEY in before ? units(size) : 0 };
};

/** Write units of one write command by AWS's rules, given the items its targets held before it ran. */
export const awsWriteUnits = (command: string, input: Input, before: Before): ActionUnits => {
  const of = (key: Item) => before.get(keyId(key));
  switch (command) {
    case 'PutItem':
      return action('Put', of(input.Item), input.Item);
    case 'UpdateItem':
      return action('Update', of(input.Key));
    case 'DeleteItem':
      return action('Delete', of(input.Key));
    case 'TransactWriteItems': {
      const total = { table: 0, index: 0 };
      for (const t of input.TransactItems as Input[]) {
        const a = t.Put ? action('Put', of(t.Put.Item), t.Put.Item) : t.Update ? action('Update', of(t.Update.Key)) : action('Delete', of(t.Delete.Key));
        total.table += 2 * a.table;
        total.index += 2 * a.index;
      }
      return total;
    }
    default:
      return { table: 0, index: 0 };
  }
};
