// Instruments the API's DynamoDB document client: every HTTP round trip (each attempt, below the SDK's retry
// middleware) is recorded with its command and start/end times, so the critical path can be counted, not guessed.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface RecordedCall {
  command: string;
  start: number;
  end: number;
}

export interface Recorder {
  /** The calls recorded since the last take(), in start order. */
  take: () => RecordedCall[];
}

export const attachRecorder = (client: DynamoDBDocumentClient): Recorder => {
  let calls: RecordedCall[] = [];
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        calls.push({ command: (context.commandName ?? 'unknown').replace(/Command$/, ''), start, end: performance.now() });
      }
    }) as never,
    { step: 'deserialize', name: 'benchRoundTripRecorder', priority: 'low' },
  );
  return {
    take: () => {
      const taken = calls.sort((a, b) => a.start - b.start);
      calls = [];
      return taken;
    },
  };
};

/**
 * Round trips on the critical path: the longest chain of calls in which each starts only after the previous one
 * ended. Calls that overlap in time (sent in parallel) count once.
 */
export const sequentialDepth = (calls: RecordedCall[]): number => {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if ((sorted[j] as RecordedCall).end <= call.start) before = Math.max(before, depth[j] as number);
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
};

/** `BatchGetItem → Query ×2 (parallel)`: the calls grouped into sequential steps. */
export const describeSteps = (calls: RecordedCall[]): string => {
  if (calls.length === 0) return '(none)';
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const steps: RecordedCall[][] = [];
  for (const call of sorted) {
    const last = steps[steps.length - 1];
    if (last && last.some((c) => c.end > call.start)) last.push(call);
    else steps.push([call]);
  }
  return steps
    .map((step) => {
      const names = [...new Set(step.map((c) => c.command))];
      return step.length === 1 ? names[0] : `${names.join('+')} ×${step.length} (parallel)`;
    })
    .join(' → ');
};
