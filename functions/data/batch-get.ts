// BatchGetItem with strongly consistent reads that also fetches any keys DynamoDB left unprocessed.
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { Key } from './keys';
import { documentClient, tableName } from './table-client';

const MAX_ROUNDS = 5;

const keyId = (key: Key): string => `${key.PK}\u0000${key.SK}`;

/** Items found, by `PK\0SK`. Duplicate keys are sent once (DynamoDB rejects duplicates). */
export const batchGet = async (keys: Key[]): Promise<Map<string, Record<string, unknown>>> => {
  const found = new Map<string, Record<string, unknown>>();
  let pending = [...new Map(keys.map((k) => [keyId(k), { PK: k.PK, SK: k.SK }])).values()];
  const table = tableName();
  for (let round = 0; pending.length > 0; round++) {
    if (round === MAX_ROUNDS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${MAX_ROUNDS} rounds`);
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** round));
    const out = await documentClient().send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of out.Responses?.[table] ?? []) found.set(keyId(item as Key), item);
    pending = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
  }
  return found;
};

export const lookup = (found: Map<string, Record<string, unknown>>, key: Key): Record<string, unknown> | undefined =>
  found.get(keyId(key));
