// Writes that must be atomic: TransactWriteItems with the outcome of each condition, the idempotency record that
// may travel with an operation's own write, and a bounded retry when DynamoDB reports a conflicting transaction.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './table-client';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An item that travels in the same transaction as an operation's write (the idempotency record, functions/data/idempotency.ts). */
export interface AlsoWrite {
  item: TransactItem;
}

/** Another request with the same Idempotency-Key committed first (its record's condition failed). */
export class IdempotencyKeyTaken extends Error {}

/** Indexes of the transaction's items whose condition failed; any other cancellation reason is not a business outcome. */
export class ConditionsFailed extends Error {
  constructor(readonly indexes: number[]) {
    super(`Transaction conditions failed: ${indexes.join(', ')}`);
  }
}

/** Indexes of the items whose condition failed, or undefined if `error` is not a cancellation by conditions only. */
export const failedConditions = (error: unknown): number[] | undefined => {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  // Any other reason (conflict, throttling, validation) is not a business outcome: let it surface as a 500.
  if (reasons.some((r) => r.Code && r.Code !== 'None' && r.Code !== 'ConditionalCheckFailed')) return undefined;
  return reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
};

const isConflict = (error: unknown): boolean =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');

/**
 * Concurrent transactions on one item (two links to one customer, two updates of one customer's number) make
 * DynamoDB cancel all but one with TransactionConflict. The SDK does not retry those; this does, a few times with
 * jittered backoff, before letting the conflict surface as a 500.
 */
const CONFLICT_ATTEMPTS = 6;
const backoff = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.random() * 15 * 2 ** attempt));

/**
 * Sends `items` (and `also`, last) in one transaction. A failed condition on `also` throws IdempotencyKeyTaken; on
 * the operation's own items, ConditionsFailed with their indexes.
 */
export const transactWrite = async (items: TransactItem[], also?: AlsoWrite): Promise<void> => {
  const TransactItems = also ? [...items, also.item] : items;
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems }));
      return;
    } catch (error) {
      if (isConflict(error) && attempt < CONFLICT_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      const failed = failedConditions(error);
      if (!failed) throw error;
      if (also && failed.includes(items.length)) throw new IdempotencyKeyTaken();
      throw new ConditionsFailed(failed);
    }
  }
};
