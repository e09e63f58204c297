// Figure 1: DynamoDB round trips on the critical path of every operation, counted by an instrumented document
// client while the real handlers run in-process against DynamoDB Local. Each operation runs once per repetition,
// in a scenario that makes it succeed (2xx).
import { randomBytes } from 'node:crypto';
import type { DevTokenIssuer } from '../local/dev-tokens';
import { OPERATIONS } from '../functions/shared/operations';
import { documentClient } from '../functions/data/table-client';
import { attachRecorder, describeSteps, sequentialDepth, type Recorder } from './ddb-recorder';
import { SUPER_ADMIN } from './env';
import { invoke, prepareCall } from './invoke';
import { verdict, type FigureResult } from './report';
import { formatSummary, summarize } from './stats';

const REPETITIONS = 3;

interface Expectation {
  /** `exact`: must equal; `atMost`: must not exceed; `report`: no bar in docs/design.md ("Bars"), shown for completeness. */
  kind: 'exact' | 'atMost' | 'report';
  depth: number;
  /** For `exact`: the calls, in order, that must make up the critical path. */
  calls?: string[];
  why: string;
}

/**
 * Reads: the minimum their access pattern allows. Every operation that has a bank in its path or needs a role makes
 * one context read first (bank, the caller's candidate roles and the path's customer in one BatchGetItem), because
 * The check order (docs/design.md, "Check order") answers 404/403 before anything else; whatever the path already addresses is folded into that read.
 * Then each step that needs the previous step's answer (or that is a Query, which BatchGetItem cannot carry) is one
 * more round trip; independent calls go out in parallel and count once.
 */
export const EXPECTED: Record<string, Expectation> = {
  createCustomer: { kind: 'exact', depth: 2, calls: ['BatchGetItem', 'TransactWriteItems'], why: 'context read; customer + number guard in one transaction' },
  createCustomerMessage: { kind: 'atMost', depth: 2, why: 'context read (bank, role, customer); the message Put' },
  addCustomerMessage: { kind: 'atMost', depth: 2, why: 'context read (bank, customer with its link count); the message Put' },
  root: { kind: 'exact', depth: 0, why: 'no table access' },
  getBank: { kind: 'atMost', depth: 1, why: 'the bank is the context read' },
  getCustomerById: { kind: 'atMost', depth: 1, why: 'bank, role and the path\'s customer in the one context read' },
  getCurrentUser: { kind: 'atMost', depth: 1, why: 'one Query of the caller\'s entitlements (no bank, no role)' },
  getEntitlements: { kind: 'atMost', depth: 2, why: 'role check; Query of the user\'s entitlements' },
  getCustomerMessages: { kind: 'atMost', depth: 2, why: 'context read (bank, role, customer); Query of its messages' },
  getCustomerByNumber: {
    kind: 'atMost',
    depth: 2,
    why: 'context read; GetItem of the number guard (the number is in the body, read only after the 404/403 checks)',
  },
  getMyMessages: {
    kind: 'atMost',
    depth: 3,
    why: "bank check; the caller's links at the bank (GSI1 Query); each linked customer's messages (Queries in parallel)",
  },
  createBank: { kind: 'report', depth: 2, why: 'role check; bank + creator grants in one transaction' },
  addEntitlement: { kind: 'report', depth: 2, why: "caller's granting roles and the bank; the Put" },
  createUserCustomerLink: { kind: 'report', depth: 3, why: 'context read; the body\'s customer (GetItem); link + link count in one transaction' },
};

const uid = (prefix: string): string => `${prefix}${randomBytes(4).toString('hex')}`;

interface Observation {
  depth: number;
  calls: string[];
  steps: string;
}

export const roundTripFigure = async (tokens: DevTokenIssuer): Promise<FigureResult> => {
  const recorder: Recorder = attachRecorder(documentClient());
  const observations = new Map<string, Observation[]>();
  const token = (userId: string) => tokens.issue({ user_id: userId });

  /** Invokes once; when `measure` is set, records the operation's round trips. The call must succeed. */
  const call = async (method: string, path: string, as: string | undefined, body?: unknown, measure = true): Promise<any> => {
    const prepared = await prepareCall(method, path, { token: as ? await token(as) : undefined, body });
    recorder.take();
    const result = await invoke(prepared);
    const calls = recorder.take();
    if (result.status >= 300) throw new Error(`${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
    if (measure) {
      const list = observations.get(prepared.operation.name) ?? [];
      list.push({ depth: sequentialDepth(calls), calls: calls.map((c) => c.command), steps: describeSteps(calls) });
      observations.set(prepared.operation.name, list);
    }
    return result.body;
  };
  const grant = (userId: string, role: string, bankId: string, measure = false) =>
    call('POST', `/obp/v5.0.0/users/${userId}/entitlements`, SUPER_ADMIN, { bank_id: bankId, role_name: role }, measure);

  for (let rep = 0; rep < REPETITIONS; rep++) {
    const bankId = uid('rt');
    const banker = uid('banker');
    const user = uid('user');
    await grant(banker, 'CanCreateBank', '', true);
    await call('POST', '/obp/v5.0.0/banks', banker, { id: bankId, bank_code: 'BENCH' });
    for (const role of ['CanCreateCustomer', 'CanGetCustomer', 'CanCreateUserCustomerLink', 'CanCreateCustomerMessage', 'CanGetCustomerMessages']) {
      await grant(user, role, bankId);
    }
    await grant(user, 'CanGetEntitlementsForAnyUserAtAnyBank', '');
    const bank = `/obp/v5.0.0/banks/${bankId}`;
    await call('GET', bank, undefined);
    const number = uid('n');
    const customer = await call('POST', `${bank}/customers`, user, { legal_name: 'Bench Customer', mobile_phone_number: '+44 07972 444 876', customer_number: number });
    const second = await call('POST', `${bank}/customers`, user, { legal_name: 'Second Customer', mobile_phone_number: '+44 07972 444 877' }, false);
    await call('GET', `${bank}/customers/${customer.customer_id}`, user);
    await call('POST', `${bank}/customers/customer-number`, user, { customer_number: number });
    await call('POST', `${bank}/user_customer_links`, user, { user_id: user, customer_id: customer.customer_id });
    await call('POST', `${bank}/user_customer_links`, user, { user_id: user, customer_id: second.customer_id }, false);
    const message = { message: 'Your new card is on its way.', transport: 'SMS', from_department: 'Cards', from_person: 'Tom' };
    await call('POST', `${bank}/customers/${customer.customer_id}/messages`, user, message);
    await call('POST', `${bank}/customers/${second.customer_id}/messages`, user, message, false);
    await call('POST', `/obp/v1.4.0/banks/${bankId}/customer/${customer.customer_id}/messages`, user, {
      message: 'Hello',
      from_department: 'Cards',
      from_person: 'Tom',
    });
    await call('GET', `${bank}/customers/${customer.customer_id}/messages`, user);
    const mine = await call('GET', `/obp/v1.4.0/banks/${bankId}/customer/messages`, user);
    if (mine.messages.length !== 3) throw new Error(`getMyMessages returned ${mine.messages.length} messages, expected 3`);
    await call('GET', `/obp/v5.0.0/users/${user}/entitlements`, user);
    await call('GET', '/obp/v5.0.0/users/current', user);
    await call('GET', '/obp/v5.0.0/root', undefined);
  }

  const rows: string[][] = [];
  const checks = [];
  for (const operation of OPERATIONS.map((o) => o.name)) {
    const seen = observations.get(operation);
    const expected = EXPECTED[operation];
    if (!seen || !expected) throw new Error(`No round-trip observation or expectation for ${operation}`);
    const depth = summarize(seen.map((o) => o.depth));
    const steps = [...new Set(seen.map((o) => o.steps))].join(' / ');
    const totals = summarize(seen.map((o) => o.calls.length));
    let pass: boolean | undefined;
    let bar: string;
    if (expected.kind === 'exact') {
      pass = seen.every((o) => o.depth === expected.depth && (!expected.calls || o.calls.join() === expected.calls.join()));
      bar = expected.calls ? `= ${expected.depth} (${expected.calls.join(', ')})` : `= ${expected.depth}`;
    } else if (expected.kind === 'atMost') {
      pass = depth.max <= expected.depth;
      bar = `≤ ${expected.depth}`;
    } else {
      bar = `(none; design: ${expected.depth})`;
    }
    rows.push([operation, formatSummary(depth, 0), formatSummary(totals, 0), steps, bar, expected.why, pass === undefined ? '—' : verdict(pass)]);
    if (pass !== undefined) checks.push({ name: `${operation} round trips ${bar}`, pass, measured: `${depth.max}` });
  }
  return {
    title: '1. DynamoDB round trips on the critical path',
    method:
      `Every operation run ${REPETITIONS} times through its real handler (in-process) against DynamoDB Local, with a middleware on the document client that records each ` +
      'HTTP round trip (per attempt, below the SDK retries). "sequential" counts the longest chain of calls that do not overlap in time; "calls" counts them all. ' +
      'getMyMessages runs for a user linked to two customers, so its two message Queries show up as parallel.',
    columns: ['operation', 'sequential', 'calls', 'critical path', 'bar', 'why this is the minimum', 'result'],
    rows,
    checks,
  };
};
