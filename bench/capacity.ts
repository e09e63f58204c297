// Read and write units of one request, from the ConsumedCapacity DynamoDB Local returned for each of its calls,
// and what AWS's published rules give where DynamoDB Local departs from them (bench/README.md, "How faithful
// DynamoDB Local's ConsumedCapacity is"): reads of missing items and empty Queries, and transactions.
import type { RecordedCall } from './ddb-recorder';

const READS = new Set(['BatchGetItem', 'GetItem', 'Query']);
export const INDEX = 'GSI1';

export interface RequestUnits {
  /** As DynamoDB Local reported them. */
  readTable: number;
  readIndex: number;
  writeTable: number;
  writeIndex: number;
  /** Read request units by AWS's rules (what on-demand bills): Local's figure plus what Local does not charge. */
  awsRead: number;
  /** Write request units by AWS's rules (bench/write-units.ts); DynamoDB Local's figure when items could not be looked up. */
  awsWrite: number;
  /** Time the benchmark's item lookups took inside the request (to be taken off its duration). */
  lookupMs: number;
  /** Single-item writes whose computed units differ from DynamoDB Local's (a check on the item-size rules). */
  singleWriteMismatches: number;
  /** Items a Query evaluated (ScannedCount), summed over the request's Queries. */
  scanned: number;
}

/**
 * The units a read costs by AWS's rules that DynamoDB Local leaves out: every key of a BatchGetItem is charged
 * even when no item is there (Local charges nothing for a missing key), and a Query that finds nothing still costs
 * one unit (half, eventually consistent), where Local reports 0.
 */
const uncharged = (call: RecordedCall, reported: number): number => {
  const unit = call.consistent ? 1 : 0.5;
  if (call.command === 'BatchGetItem') return ((call.keys ?? 0) - (call.found ?? 0)) * unit;
  if (call.command === 'Query') return Math.max(0, unit - reported);
  return 0;
};

export const unitsOf = (calls: RecordedCall[]): RequestUnits => {
  const u: RequestUnits = { readTable: 0, readIndex: 0, writeTable: 0, writeIndex: 0, awsRead: 0, awsWrite: 0, scanned: 0, lookupMs: 0, singleWriteMismatches: 0 };
  for (const call of calls) {
    if (!call.capacity) throw new Error(`${call.command} returned no ConsumedCapacity (a failed attempt?)`);
    const index = Object.entries(call.capacity.indexes).reduce((sum, [name, units]) => {
      if (name !== INDEX) throw new Error(`Unexpected index ${name} in ConsumedCapacity`);
      return sum + units;
    }, 0);
    const reported = call.capacity.table + index;
    if (READS.has(call.command)) {
      u.readTable += call.capacity.table;
      u.readIndex += index;
      u.awsRead += reported + uncharged(call, reported);
    } else {
      u.writeTable += call.capacity.table;
      u.writeIndex += index;
      u.awsWrite += call.awsWrite ? call.awsWrite.table + call.awsWrite.index : reported;
      // DynamoDB Local follows AWS's rules for single-item writes; where the computed units differ, the sizes are off.
      if (call.awsWrite && call.command !== 'TransactWriteItems' && (call.awsWrite.table !== call.capacity.table || call.awsWrite.index !== index)) {
        u.singleWriteMismatches++;
      }
    }
    u.lookupMs += call.lookupMs ?? 0;
    u.scanned += call.scanned ?? 0;
  }
  return u;
};

/** `1.5`, `2`, `0.5`: units without trailing zeros. */
export const showUnits = (n: number): string => String(Math.round(n * 100) / 100);
