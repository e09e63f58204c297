// Figure 7: end-to-end local throughput of createCustomer and createCustomerMessage through the local server on
// DynamoDB Local (autocannon, loopback, fixed duration), against a bare script that makes the same DynamoDB calls
// directly against the same DynamoDB Local, in the same run, with as many concurrent loops as connections.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DevTokenIssuer } from '../local/dev-tokens';
import { insertEntitlement } from '../functions/data/entitlements-repository';
import { createBank } from '../functions/domain/banks';
import { createCustomer } from '../functions/domain/customers';
import type { BareRun } from './bare-ddb-worker';
import type { LoadResult, LoadRun } from './load-generator-worker';
import { Worker } from './processes';
import { verdict, type FigureResult } from './report';
import { formatSummary, pairwiseRatios, summarize } from './stats';

export const MIN_THROUGHPUT_RATIO = 0.7;
const CONNECTIONS = 8;
const WARMUP_SECONDS = 4;
const SECONDS = 4;
const ROUNDS = 8;

/** CPU time (µs) a process has used, from /proc (Linux); undefined elsewhere. */
const processCpuUs = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (USER_HZ = 100 on Linux)
    return Number.isFinite(ticks) ? ticks * 10_000 : undefined;
  } catch {
    return undefined;
  }
};

const perCall = (cpuUs: number | undefined, calls: number): number | undefined => (cpuUs === undefined || calls === 0 ? undefined : cpuUs / calls);
const showCpu = (values: (number | undefined)[]): string =>
  values.every((v) => v !== undefined) ? formatSummary(summarize(values as number[]), 0) : 'n/a';

export const throughputFigure = async (tokens: DevTokenIssuer, dynamoDbPid?: number): Promise<FigureResult> => {
  // Data the requests need: a bank, one user per connection with both roles there (each connection is a client
  // with its own token, as real callers are), and a customer to post messages to.
  const bankId = `tp${Date.now().toString(36)}`;
  const userIds = Array.from({ length: CONNECTIONS }, (_, i) => `tpuser${i}`);
  await createBank({ actor: 'tpbanker', now: new Date() }, { id: bankId, bank_code: 'BENCH' });
  for (const userId of userIds) {
    for (const roleName of ['CanCreateCustomer', 'CanCreateCustomerMessage']) {
      await insertEntitlement({ entitlementId: randomUUID(), userId, roleName, bankId, createdAt: new Date().toISOString() });
    }
  }
  const customer = await createCustomer({ actor: 'tpbanker', now: new Date() }, bankId, { legal_name: 'Bench Customer', mobile_phone_number: '+44 07972 444 876' });
  const tokenList = await Promise.all(userIds.map((userId) => tokens.issue({ user_id: userId })));

  const server = new Worker('bench/local-server-worker.ts', process.env);
  const bare = new Worker('bench/bare-ddb-worker.ts', process.env);
  const load = new Worker('bench/load-generator-worker.ts', process.env, { importCondition: false });
  try {
    const { port } = await server.request<{ port: number }>('start');
    const base = `http://127.0.0.1:${port}/obp/v5.0.0/banks/${bankId}`;
    const cases = [
      {
        operation: 'createCustomer' as const,
        url: `${base}/customers`,
        body: { legal_name: 'Bench Customer', mobile_phone_number: '+44 07972 444 876' },
      },
      {
        operation: 'createCustomerMessage' as const,
        url: `${base}/customers/${customer.customer_id}/messages`,
        body: { message: 'Your new card is on its way.', transport: 'SMS', from_department: 'Cards', from_person: 'Tom' },
      },
    ];
    const rows: string[][] = [];
    const checks = [];
    for (const c of cases) {
      const viaServer = async (seconds: number) => {
        const [serverCpu, javaCpu] = [await server.request<number>('cpu'), processCpuUs(dynamoDbPid)];
        const result = await load.request<LoadResult>('run', {
          url: c.url,
          body: JSON.stringify(c.body),
          connections: CONNECTIONS,
          seconds,
          tokens: tokenList,
        } satisfies LoadRun);
        if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
          throw new Error(
            `${c.operation} via the local server: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (${JSON.stringify(result.statusCodeStats)})`,
          );
        }
        const javaAfter = processCpuUs(dynamoDbPid);
        const { ok } = result;
        return {
          perSecond: ok / result.duration,
          p50: result.p50,
          serverCpuUs: ((await server.request<number>('cpu')) - serverCpu) / ok,
          javaCpuUs: perCall(javaCpu === undefined || javaAfter === undefined ? undefined : javaAfter - javaCpu, ok),
        };
      };
      const direct = async (seconds: number) => {
        const javaCpu = processCpuUs(dynamoDbPid);
        const result = await bare.request<{ perSecond: number; completed: number; cpuUs: number }>('run', {
          operation: c.operation,
          seconds,
          concurrency: CONNECTIONS,
          bankId,
          userIds,
          customerId: customer.customer_id,
        } satisfies BareRun);
        const javaAfter = processCpuUs(dynamoDbPid);
        return {
          ...result,
          bareCpuUs: result.cpuUs / result.completed,
          javaCpuUs: perCall(javaCpu === undefined || javaAfter === undefined ? undefined : javaAfter - javaCpu, result.completed),
        };
      };

      await viaServer(WARMUP_SECONDS);
      await direct(WARMUP_SECONDS);
      const s: Awaited<ReturnType<typeof viaServer>>[] = [];
      const b: Awaited<ReturnType<typeof direct>>[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which side goes first, so a slow drift of the machine's load favours neither.
        if (round % 2 === 0) {
          s.push(await viaServer(SECONDS));
          b.push(await direct(SECONDS));
        } else {
          b.push(await direct(SECONDS));
          s.push(await viaServer(SECONDS));
        }
      }
      const serverRates = s.map((x) => x.perSecond);
      const bareRates = b.map((x) => x.perSecond);
      const viaServerSummary = summarize(serverRates);
      const bareSummary = summarize(bareRates);
      // The bar is on the ratios of the rounds: each compares two runs measured back to back, so a change in the
      // machine's load between rounds cancels out. The ratio of the medians is shown next to it.
      const perRound = summarize(pairwiseRatios(serverRates, bareRates));
      const ratio = perRound.median;
      const pass = ratio >= MIN_THROUGHPUT_RATIO;
      rows.push([
        c.operation,
        formatSummary(viaServerSummary, 0),
        formatSummary(summarize(s.map((x) => x.p50)), 0),
        formatSummary(bareSummary, 0),
        formatSummary(perRound, 2),
        (viaServerSummary.median / bareSummary.median).toFixed(2),
        `${showCpu(s.map((x) => x.serverCpuUs))} / ${showCpu(b.map((x) => x.bareCpuUs))}`,
        `${showCpu(s.map((x) => x.javaCpuUs))} / ${showCpu(b.map((x) => x.javaCpuUs))}`,
        verdict(pass),
      ]);
      checks.push({ name: `${c.operation} throughput ≥ ${MIN_THROUGHPUT_RATIO} × bare script`, pass, measured: `${ratio.toFixed(2)}×` });
    }
    return {
      title: `7. End-to-end local throughput (bar: ≥ ${MIN_THROUGHPUT_RATIO} × bare DynamoDB script)`,
      method:
        `autocannon (in its own process), ${CONNECTIONS} connections over loopback (each a different user with its own token), against the local server (local/server.ts in its own process, as \`npm start\` runs it) on an in-memory DynamoDB Local; ` +
        `the bare script makes the same BatchGetItem and TransactWriteItems/PutItem calls directly (the same keys and items; the bank read only the first time, as the product does) from ${CONNECTIONS} concurrent loops (one per user). ` +
        `${ROUNDS} rounds of ${SECONDS} s each, server and bare alternating (and swapping order every round), after ${WARMUP_SECONDS} s of warm-up each. ` +
        'Only 2xx responses count (any other fails the run). Ratio per round = server rate / bare rate of the two runs of that round; the bar applies to its median. ' +
        'CPU columns: CPU time per request of the server process vs per operation of the bare script, and of DynamoDB Local (java) in each case.',
      columns: ['operation', 'server req/s', 'server p50 ms', 'bare ops/s', 'ratio per round', 'ratio of medians', 'CPU µs: server / bare', 'java CPU µs: server / bare', 'bar'],
      rows,
      checks,
    };
  } finally {
    await Promise.all([server.stop(), bare.stop(), load.stop()]);
  }
};
