// Idempotency-Key under faults (docs/design.md, "Retrying safely"): the record is written in the operation's own
// transaction, so whatever happens after the commit — the answer lost on the network, the function failing before
// it answers — the client's retry with the same key gets the stored answer and creates nothing; a write that never
// committed stores nothing, so the retry runs as new; and a request whose key another request committed between its
// read and its write replays that answer (or 409 while it cannot be read, 422 for another body), never writing twice.
// For every operation that takes the header (derived from the operations list).
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { PARTITIONS } from '../../functions/data/keys';
import { resetDocumentClient } from '../../functions/data/table-client';
import { resetConfig } from '../../functions/common/config';
import { metrics } from '../../functions/common/observability';
import { OPERATIONS, takesIdempotencyKey, type Operation } from '../../functions/common/operations';
import { uniqueId } from '../support/fixtures';
import {
  bearer,
  buildWorld,
  checkObpError,
  expectObpError,
  grantRoles,
  invoke,
  LOCAL_ENDPOINT,
  snapshot,
  tableChange,
  UNKNOWN_ERROR,
  usePrivateTable,
  validRequest,
  type Request,
  type Response,
  type TableChange,
  type World,
} from './harness';

const table = usePrivateTable('idempotency-faults');
jest.setTimeout(120_000);

const IDEMPOTENT = OPERATIONS.filter(takesIdempotencyKey);
const CASES = IDEMPOTENT.map((op) => [op.name, op] as const);
const NO_CHANGE: TableChange = { added: [], removed: [], changed: [] };
const notes: string[] = [];

let world: World;
const callers = new Map<string, string>();
beforeAll(async () => {
  world = await buildWorld();
  // A user holding the operation's first role at bank A (system roles system-wide).
  for (const op of IDEMPOTENT) {
    const user = uniqueId('caller-');
    await grantRoles(user, op.roles.slice(0, 1), world.bankA);
    callers.set(op.name, user);
  }
}, 120_000);
afterAll(() => process.stdout.write(`idempotency faults:\n${notes.join('\n')}\n`));

const isRecord = (id: string): boolean => id.startsWith(PARTITIONS.idempotency);
const sizes = (change: TableChange) => ({
  added: change.added.length,
  removed: change.removed.length,
  changed: change.changed.length,
  records: [...change.added, ...change.changed].filter(isRecord).length,
});

const send = async (op: Operation, request: Request, key: string): Promise<Response> =>
  invoke(op, { ...request, authorization: await bearer(callers.get(op.name) as string), headers: { 'idempotency-key': key } });

/**
 * What one successful request with a key changes in the table (its items and its record), measured on the real
 * endpoint: a faulted request and its retries together must change exactly as much, i.e. write one resource.
 */
const oneWrite = async (op: Operation): Promise<ReturnType<typeof sizes>> => {
  const before = await snapshot(table.name);
  const res = await send(op, await validRequest(op, world), uniqueId('baseline-'));
  expect(res.status).toBe(op.response.status);
  const change = sizes(tableChange(before, await snapshot(table.name)));
  expect(change.records).toBe(1);
  return change;
};

const expectFresh = (res: Response, op: Operation): void => {
  expect({ status: res.status, replayed: res.headers['idempotent-replayed'] }).toEqual({ status: op.response.status, replayed: undefined });
};

const expectReplayOf = (res: Response, first: Response): void => {
  expect({ status: res.status, text: res.text, replayed: res.headers['idempotent-replayed'] }).toEqual({ status: first.status, text: first.text, replayed: 'true' });
};

/** A 500 OBP-50000 with its request id: what a client sees when the function failed. */
const expectUnknownError = (res: Response): void => {
  checkObpError(res);
  expect(res.status).toBe(500);
  expect(res.body.message).toBe(`${UNKNOWN_ERROR} Request id: ${res.headers['x-request-id']}`);
};

/** After a fault: the retry with the same key answers the stored success and writes nothing more; one write in all. */
const expectRetryReplays = async (op: Operation, request: Request, key: string, before: Awaited<ReturnType<typeof snapshot>>, expected: ReturnType<typeof sizes>) => {
  const beforeRetry = await snapshot(table.name);
  const retry = await send(op, request, key);
  const afterRetry = await snapshot(table.name);
  expect({ status: retry.status, replayed: retry.headers['idempotent-replayed'] }).toEqual({ status: op.response.status, replayed: 'true' });
  expect(tableChange(beforeRetry, afterRetry)).toEqual(NO_CHANGE);
  const change = tableChange(before, afterRetry);
  expect(sizes(change)).toEqual(expected);
  // The replayed answer is the one stored with the write.
  const recordId = change.added.find(isRecord) as string;
  expect(JSON.parse(afterRetry.get(recordId) as string).body).toBe(retry.text);
  return retry;
};

// ---------------------------------------------------------------------------------------------------------------
// A proxy in front of DynamoDB Local (the technique of dynamodb-faults.test.ts)

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((done) => s.close(done));
    }),
  );
  useEndpoint(LOCAL_ENDPOINT);
});

/** Points the product at `endpoint`, as a cold start with that configuration would. */
const useEndpoint = (endpoint: string): void => {
  process.env.DYNAMODB_ENDPOINT = endpoint;
  resetConfig();
  resetDocumentClient();
};

/**
 * A proxy to DynamoDB Local that lets the first write through and drops its answer (the connection is reset after
 * DynamoDB committed). With `dropLaterWrites`, every later write is dropped before it reaches DynamoDB, so all the
 * SDK's retries fail too: the function fails after its write committed.
 */
const answerLostAfterFirstWrite = async (dropLaterWrites: boolean): Promise<{ endpoint: string; writes: () => number }> => {
  const local = new URL(LOCAL_ENDPOINT);
  let writes = 0;
  const server = createServer((req, res) => {
    const isWrite = /PutItem|TransactWriteItems|UpdateItem|DeleteItem/.test(String(req.headers['x-amz-target'] ?? ''));
    if (isWrite) writes++;
    if (isWrite && writes > 1 && dropLaterWrites) {
      req.resume();
      req.on('end', () => res.socket?.destroy());
      return;
    }
    const dropAnswer = isWrite && writes === 1;
    const upstream = httpRequest({ host: local.hostname, port: local.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (dropAnswer) {
        answer.resume();
        answer.on('end', () => res.socket?.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, writes: () => writes };
};

describe('1. the answer to the committed write is lost; the SDK retries the write', () => {
  it.each(CASES)('%s: the client gets a success; its own retry with the key gets the same answer, replayed; one write', async (_, op) => {
    const expected = await oneWrite(op);
    const request = await validRequest(op, world);
    const key = uniqueId('lost-');
    const before = await snapshot(table.name);
    const proxy = await answerLostAfterFirstWrite(false);
    useEndpoint(proxy.endpoint);
    const first = await send(op, request, key);
    useEndpoint(LOCAL_ENDPOINT);
    expect(proxy.writes()).toBe(2);
    // The SDK's retry of the committed transaction either succeeds as the same transaction or finds the record and
    // replays it: a definite success either way.
    expect(first.status).toBe(op.response.status);
    notes.push(`  answer lost, SDK retried: ${op.name} → ${first.status}${first.headers['idempotent-replayed'] ? ' (replayed)' : ''}`);
    const retry = await expectRetryReplays(op, request, key, before, expected);
    expect(retry.text).toBe(first.text);
  });
});

describe('2. the function fails after its write committed: the client never gets the answer', () => {
  it.each(CASES)('%s: every attempt after the commit is dropped → 500; the retry with the key replays, nothing new', async (_, op) => {
    const expected = await oneWrite(op);
    const request = await validRequest(op, world);
    const key = uniqueId('crash-');
    const before = await snapshot(table.name);
    const proxy = await answerLostAfterFirstWrite(true);
    useEndpoint(proxy.endpoint);
    const first = await send(op, request, key);
    useEndpoint(LOCAL_ENDPOINT);
    expect(proxy.writes()).toBe(3); // the committed one and the SDK's two retries
    expectUnknownError(first);
    // The write and its record were committed together.
    expect(sizes(tableChange(before, await snapshot(table.name)))).toEqual(expected);
    await expectRetryReplays(op, request, key, before, expected);
  });

  it.each(CASES)('%s: the write returns, then the handler fails (injected on the response path) → 500; the retry replays', async (_, op) => {
    const expected = await oneWrite(op);
    const request = await validRequest(op, world);
    const key = uniqueId('after-');
    const before = await snapshot(table.name);
    const mock = mockClient(DynamoDBDocumentClient);
    let committed = 0;
    let first: Response;
    try {
      passReads(mock);
      mock.on(TransactWriteCommand).callsFake(async (input: any, getClient: () => DynamoDBDocumentClient) => {
        await realSend.call(getClient(), new TransactWriteCommand(input));
        committed++;
        throw Object.assign(new Error('Connection reset after the commit'), { name: 'TimeoutError' });
      });
      first = await send(op, request, key);
    } finally {
      mock.restore();
    }
    expect(committed).toBe(1);
    expectUnknownError(first);
    await expectRetryReplays(op, request, key, before, expected);
  });
});

describe('3. a write that never committed stores nothing: the retry with the key runs as new', () => {
  it.each(CASES)('%s: the write fails → 500, table unchanged; the retry → a fresh success', async (_, op) => {
    const request = await validRequest(op, world);
    const key = uniqueId('failed-');
    const before = await snapshot(table.name);
    const mock = mockClient(DynamoDBDocumentClient);
    let first: Response;
    try {
      passReads(mock);
      mock.on(TransactWriteCommand).rejects(Object.assign(new Error('Connection refused'), { code: 'ECONNREFUSED' }));
      first = await send(op, request, key);
    } finally {
      mock.restore();
    }
    expectUnknownError(first);
    expect(tableChange(before, await snapshot(table.name))).toEqual(NO_CHANGE);
    const retry = await send(op, request, key);
    expectFresh(retry, op);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Concurrent repeats, made deterministic: the first request's write waits while a second one with the same key runs
// to completion, as if the second had committed between the first one's read and its write.

/** The real send, captured before any mock replaces it, so chosen calls still reach DynamoDB Local. */
const realSend = DynamoDBDocumentClient.prototype.send as (this: DynamoDBDocumentClient, command: unknown) => Promise<unknown>;

/** The IAM actions a document-client command needs (a transaction: each of its items' actions). */
const actionsOf = (name: string, input: any): string[] => {
  if (name === 'TransactWriteCommand') {
    const ITEM_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };
    return (input.TransactItems as object[]).flatMap((item) => Object.keys(item).map((k) => `dynamodb:${ITEM_ACTIONS[k]}`));
  }
  const ACTIONS: Record<string, string> = {
    BatchGetCommand: 'BatchGetItem',
    GetCommand: 'GetItem',
    QueryCommand: 'Query',
    PutCommand: 'PutItem',
    UpdateCommand: 'UpdateItem',
    DeleteCommand: 'DeleteItem',
  };
  return [`dynamodb:${ACTIONS[name]}`];
};

const READS = [BatchGetCommand, GetCommand, QueryCommand];
const OTHER_WRITES = [PutCommand, UpdateCommand, DeleteCommand];

/** Every read (and the writes other than transactions) reaches DynamoDB Local; `seen` collects their IAM actions. */
function passReads(mock: AwsStub<any, any, any>, seen?: Set<string>, getItem?: (input: any, getClient: () => DynamoDBDocumentClient) => Promise<unknown>) {
  for (const Command of [...READS, ...OTHER_WRITES]) {
    mock.on(Command as any).callsFake((input: any, getClient: () => DynamoDBDocumentClient) => {
      for (const action of actionsOf(Command.name, input)) seen?.add(action);
      if (Command === GetCommand && getItem) return getItem(input, getClient);
      return realSend.call(getClient(), new (Command as any)(input));
    });
  }
}

interface Race {
  loser: Response;
  winner: Response;
  /** IAM actions of every DynamoDB call both requests made. */
  actions: Set<string>;
  change: TableChange;
}

/**
 * Sends `loserRequest`; when its transaction is about to go out, `winnerRequest` (same key) runs to completion
 * first. `recordRead` replaces the loser's read of the winner's record (the GetItem after its condition failed).
 */
const raceBetweenReadAndWrite = async (
  op: Operation,
  loserRequest: Request,
  winnerRequest: Request,
  recordRead?: (input: any, getClient: () => DynamoDBDocumentClient) => Promise<unknown>,
): Promise<Race> => {
  const key = uniqueId('race-');
  const before = await snapshot(table.name);
  const mock = mockClient(DynamoDBDocumentClient);
  const actions = new Set<string>();
  let winner: Promise<Response> | undefined;
  let loser: Response;
  try {
    passReads(mock, actions, async (input, getClient) => {
      if (recordRead && String(input.Key?.PK).startsWith(PARTITIONS.idempotency)) return recordRead(input, getClient);
      return realSend.call(getClient(), new GetCommand(input));
    });
    mock.on(TransactWriteCommand).callsFake(async (input: any, getClient: () => DynamoDBDocumentClient) => {
      for (const action of actionsOf('TransactWriteCommand', input)) actions.add(action);
      if (!winner) {
        winner = send(op, winnerRequest, key);
        await winner;
      }
      return realSend.call(getClient(), new TransactWriteCommand(input));
    });
    loser = await send(op, loserRequest, key);
  } finally {
    mock.restore();
  }
  expect(winner).toBeDefined();
  return { loser, winner: await (winner as Promise<Response>), actions, change: tableChange(before, await snapshot(table.name)) };
};

describe('4. a request with the same key commits between this request’s read and its write', () => {
  it.each(CASES)('%s: the write’s record condition fails → the winner’s answer, replayed; one write; only permitted calls', async (_, op) => {
    const expected = await oneWrite(op);
    const request = await validRequest(op, world);
    const publish = jest.spyOn(metrics, 'publishStoredMetrics');
    let race: Race;
    try {
      race = await raceBetweenReadAndWrite(op, request, request);
      // Both invocations end as invocations do, the replay (an early answer from an error handler) included.
      expect(publish).toHaveBeenCalledTimes(2);
    } finally {
      publish.mockRestore();
    }
    const { loser, winner, actions, change } = race;
    expectFresh(winner, op);
    expectReplayOf(loser, winner);
    expect(sizes(change)).toEqual(expected);
    // Every DynamoDB call on this path, the read of the winner's record included, is one the function may make.
    expect(actions.has('dynamodb:GetItem')).toBe(true);
    expect([...actions].filter((a) => !(op.table.actions as readonly string[]).includes(a))).toEqual([]);
  });

  it.each(CASES)('%s: the winner’s record cannot be read yet → 409 OBP-10062; one write', async (_, op) => {
    const expected = await oneWrite(op);
    const request = await validRequest(op, world);
    const { loser, winner, change } = await raceBetweenReadAndWrite(op, request, request, async () => ({}));
    expectFresh(winner, op);
    expectObpError(loser, 409, 'OBP-10062: A request with this Idempotency-Key is still in progress.');
    expect(sizes(change)).toEqual(expected);
  });

  it.each(CASES)('%s: the winner had another body → 422 OBP-10061; only the winner’s write', async (_, op) => {
    const expected = await oneWrite(op);
    const request = await validRequest(op, world);
    const other = { ...request, body: { ...(request.body as object), another_field: 'x' } };
    const { loser, winner, change } = await raceBetweenReadAndWrite(op, other, request);
    expectFresh(winner, op);
    expectObpError(loser, 422, 'OBP-10061: The Idempotency-Key was already used for another request.');
    expect(sizes(change)).toEqual(expected);
  });
});
