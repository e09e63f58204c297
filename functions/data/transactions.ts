// Which items of a cancelled TransactWriteItems failed their condition.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** Indexes of the transaction's items whose condition failed, or undefined if `error` is not such a cancellation. */
export const failedConditions = (error: unknown): number[] | undefined => {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  // Any other reason (conflict, throttling, validation) is not a business outcome: let it surface as a 500.
  if (reasons.some((r) => r.Code && r.Code !== 'None' && r.Code !== 'ConditionalCheckFailed')) return undefined;
  return reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
};
