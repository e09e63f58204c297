// DynamoDB faults: every failure of the table ends as 500 `OBP-50000: Unknown Error. Request id: <id>` (the id also in
// the logs), with no SDK text, stack or table name in the body, and no partial write.
// 1. aws-sdk-client-mock makes every call of every operation fail, for each kind of fault;
// 2. reads reach DynamoDB Local but the write fails: the table is unchanged afterwards;
// 3. DynamoDB Local really cancels a transaction for a reason other than the guard: nothing of it is written;
// 4. real transport faults through the SDK's own retry logic: an endpoint that throttles, one that is down, one that
//    hangs, and one that throttles twice and then recovers (the request succeeds, written once).
import { forgetKnownBanks } from '../../functions/data/request-context-repository';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteItemCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { resetConfig } from '../../functions/shared/config';
import { logger } from '../../functions/shared/observability';
import { resetDocumentClient } from '../../functions/data/table-client';
import { OPERATIONS, type Operation } from '../../functions/shared/operations';
import { LOCAL_CREDENTIALS } from '../../local/dynamodb-local';
import { newCustomer, uniqueId } from '../support/fixtures';
import {
  allowedCaller,
  bearer,
  buildWorld,
  checkObpError,
  invoke,
  keyId,
  LOCAL_ENDPOINT,
  snapshot,
  tableChange,
  UNKNOWN_ERROR,
  usePrivateTable,
  validRequest,
  type Request,
  type Response,
  type World,
} from './harness';

const table = usePrivateTable('faults');
jest.setTimeout(120_000);

/** Text that must never reach a client: it is in every injected error. */
const SECRET = 'SECRET-7f3a arn:aws:dynamodb:eu-west-1:123456789012:table/obp-person-api';
const metadata = (httpStatusCode = 400) => ({ httpStatusCode, requestId: 'AWSREQ-SECRET', attempts: 3, totalRetryDelay: 1234 });

const serviceError = (name: string, status = 400) =>
  new DynamoDBServiceException({ name, $fault: status >= 500 ? 'server' : 'client', message: `${name}: ${SECRET}`, $metadata: metadata(status) });

/** The faults, as the SDK reports them after its retries. */
const FAULTS: Record<string, () => unknown> = {
  ProvisionedThroughputExceededException: () => new ProvisionedThroughputExceededException({ message: `Throughput exceeded ${SECRET}`, $metadata: metadata() }),
  ThrottlingException: () => new ThrottlingException({ message: `Rate exceeded ${SECRET}`, $metadata: metadata() }),
  RequestLimitExceeded: () => new RequestLimitExceeded({ message: `Account limit ${SECRET}`, $metadata: metadata() }),
  InternalServerError: () => new InternalServerError({ message: `Internal ${SECRET}`, $metadata: metadata(500) }),
  'TransactionCanceledException (TransactionConflict)': () =>
    new TransactionCanceledException({
      message: `Transaction cancelled [None, TransactionConflict] ${SECRET}`,
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict', Message: SECRET }],
      $metadata: metadata(),
    }),
  'TransactionCanceledException (throttled, next to a failed guard)': () =>
    new TransactionCanceledException({
      message: `Transaction cancelled [ThrottlingError, ConditionalCheckFailed] ${SECRET}`,
      CancellationReasons: [{ Code: 'ThrottlingError', Message: SECRET }, { Code: 'ConditionalCheckFailed' }],
      $metadata: metadata(),
    }),
  'ResourceNotFoundException (no table)': () => new ResourceNotFoundException({ message: `Requested resource not found ${SECRET}`, $metadata: metadata() }),
  AccessDeniedException: () => serviceError('AccessDeniedException'),
  ValidationException: () => serviceError('ValidationException'),
  'a request timeout': () => Object.assign(new Error(`Connection timed out after 2000 ms ${SECRET}`), { name: 'TimeoutError' }),
  'connection refused': () => Object.assign(new Error(`connect ECONNREFUSED 10.0.0.1:443 ${SECRET}`), { code: 'ECONNREFUSED' }),
  'a TypeError inside the SDK': () => new TypeError(`Cannot read properties of undefined (reading 'Items') ${SECRET}`),
};

const READ_COMMANDS = [BatchGetCommand, GetCommand, QueryCommand, ScanCommand];
const WRITE_COMMANDS = [PutCommand, UpdateCommand, DeleteCommand, TransactWriteCommand, BatchWriteCommand];
/** The real send, captured before any mock replaces it, so chosen calls can still reach DynamoDB Local. */
const realSend = DynamoDBDocumentClient.prototype.send as (this: DynamoDBDocumentClient, command: unknown) => Promise<unknown>;
type Command = (typeof READ_COMMANDS)[number] | (typeof WRITE_COMMANDS)[number];
const passThrough = (mock: AwsStub<any, any, any>, Command: Command) =>
  mock.on(Command as any).callsFake((input: any, getClient: () => DynamoDBDocumentClient) => realSend.call(getClient(), new (Command as any)(input)));

/** A low-level client of the real DynamoDB Local that no mock touches (mocks replace the document client's send). */
const localClient = () => new DynamoDBClient({ endpoint: LOCAL_ENDPOINT, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });

let world: World;
const callers = new Map<string, string>();
const TABLE_OPERATIONS = OPERATIONS.filter((op) => op.table.actions.length > 0);
const WRITING_OPERATIONS = OPERATIONS.filter((op) => op.table.actions.some((a) => /Put|Update/.test(a)));
let faultsInjected = 0;

beforeAll(async () => {
  world = await buildWorld();
  for (const op of TABLE_OPERATIONS) callers.set(op.name, await allowedCaller(op, world));
}, 120_000);

afterAll(() => {
  process.stdout.write(`dynamodb faults injected: ${faultsInjected}\n`);
});

/** The request as the operation's allowed caller, with a caller-chosen correlation id. */
const send = async (op: Operation, extra: Partial<Request> = {}): Promise<{ res: Response; correlationId: string }> => {
  const correlationId = uniqueId('corr-');
  const res = await invoke(op, {
    ...(await validRequest(op, world)),
    authorization: op.auth ? await bearer(callers.get(op.name) as string) : undefined,
    headers: { 'x-request-id': correlationId },
    ...extra,
  });
  return { res, correlationId };
};

/**
 * 500 OBP-50000 with the platform's request id (never the caller's x-request-id), and nothing else: no SDK text, no
 * stack, no table name. Returns the request id.
 */
const expectUnknownError = (res: Response, clientRequestId: string): string => {
  checkObpError(res);
  expect(res.status).toBe(500);
  const requestId = res.headers['x-request-id'] as string;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(requestId).not.toBe(clientRequestId);
  expect(res.body).toEqual({ code: 500, message: `${UNKNOWN_ERROR} Request id: ${requestId}` });
  expect(res.text).not.toContain('SECRET');
  expect(res.text).not.toMatch(/Exception|Throttl|Timeout|ECONN|arn:|AWSREQ|\$metadata|TypeError/);
  return requestId;
};

/** Records what the error log received, and the correlation id it was logged under. */
const spyOnErrorLog = () => {
  const logged: { message: unknown; error: unknown; correlationId: unknown }[] = [];
  const spy = jest.spyOn(logger, 'error').mockImplementation(((message: unknown, error?: unknown) => {
    logged.push({ message, error, correlationId: logger.getCorrelationId() });
  }) as typeof logger.error);
  return { logged, restore: () => spy.mockRestore() };
};

describe('1. every DynamoDB call fails', () => {
  let mock: AwsStub<any, any, any>;
  beforeEach(() => {
    mock = mockClient(DynamoDBDocumentClient);
    // A bank once read is remembered (banks are immutable): forget them, so every operation has a read to fail.
    forgetKnownBanks();
  });
  afterEach(() => mock.restore());

  describe.each(TABLE_OPERATIONS.map((op) => [op.name, op] as const))('%s', (_, op) => {
    it.each(Object.keys(FAULTS))('%s → 500 OBP-50000 with the request id, logged with the same id', async (fault) => {
      mock.onAnyCommand().callsFake(() => {
        faultsInjected++;
        throw (FAULTS[fault] as () => unknown)();
      });
      const log = spyOnErrorLog();
      try {
        const { res, correlationId } = await send(op);
        const requestId = expectUnknownError(res, correlationId);
        expect(mock.calls().length).toBeGreaterThan(0);
        // The details go to the log, under the request id the client sees.
        expect(log.logged).toHaveLength(1);
        expect(log.logged[0]).toMatchObject({ message: 'unexpected error', correlationId: requestId });
        expect(String((log.logged[0]?.error as Error).message)).toContain('SECRET');
      } finally {
        log.restore();
      }
    });
  });

  it('whatever the x-request-id, the 500 carries the API Gateway request id', async () => {
    mock.onAnyCommand().rejects(FAULTS.ThrottlingException?.() as Error);
    faultsInjected++;
    const op = OPERATIONS.find((o) => o.name === 'createCustomer') as Operation;
    const { res } = await send(op, { headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(res.status).toBe(500);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.message).toBe(`${UNKNOWN_ERROR} Request id: ${res.headers['x-request-id']}`);
  });

  it('root (API info) still answers while DynamoDB is down', async () => {
    mock.onAnyCommand().rejects(FAULTS.InternalServerError?.() as Error);
    const root = OPERATIONS.find((o) => o.name === 'root') as Operation;
    expect((await invoke(root)).status).toBe(200);
  });
});

describe('2. the write fails after the reads succeeded: nothing is written', () => {
  const WRITE_FAULTS = ['ProvisionedThroughputExceededException', 'TransactionCanceledException (TransactionConflict)', 'a request timeout', 'InternalServerError'];

  describe.each(WRITING_OPERATIONS.map((op) => [op.name, op] as const))('%s', (_, op) => {
    it.each(WRITE_FAULTS)('%s on the write → 500, table unchanged', async (fault) => {
      const before = await snapshot(table.name);
      const mock = mockClient(DynamoDBDocumentClient);
      let writes = 0;
      try {
        for (const Command of READ_COMMANDS) passThrough(mock, Command);
        for (const Command of WRITE_COMMANDS) {
          mock.on(Command as any).callsFake(() => {
            writes++;
            faultsInjected++;
            throw (FAULTS[fault] as () => unknown)();
          });
        }
        const { res, correlationId } = await send(op);
        expectUnknownError(res, correlationId);
        expect(writes).toBe(1);
      } finally {
        mock.restore();
      }
      expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [], changed: [] });
    });
  });
});

describe('3. DynamoDB really cancels the transaction for a reason other than the guard', () => {
  it('createCustomer: the customer item already exists (id collision) → 500, the number guard is not written', async () => {
    const op = OPERATIONS.find((o) => o.name === 'createCustomer') as Operation;
    const number = uniqueId('n');
    const raw = localClient();
    let squatter: { PK: string; SK: string } | undefined;
    const before = await snapshot(table.name);
    const mock = mockClient(DynamoDBDocumentClient);
    try {
      for (const Command of READ_COMMANDS) passThrough(mock, Command);
      mock.on(TransactWriteCommand).callsFake(async (input: any, getClient: () => DynamoDBDocumentClient) => {
        // Just before the transaction, an item appears at the new customer's key.
        const item = input.TransactItems[0].Put.Item as { PK: string; SK: string };
        squatter = { PK: item.PK, SK: item.SK };
        await raw.send(new PutItemCommand({ TableName: table.name, Item: { PK: { S: item.PK }, SK: { S: item.SK }, entity: { S: 'Squatter' } } }));
        faultsInjected++;
        return realSend.call(getClient(), new TransactWriteCommand(input));
      });
      const { res, correlationId } = await send(op, { body: { legal_name: 'Collision', mobile_phone_number: '1', customer_number: number } });
      expectUnknownError(res, correlationId);
    } finally {
      mock.restore();
      raw.destroy();
    }
    // Only the squatter is new: the guard of `number` (the transaction's other item) was not written.
    expect(squatter).toBeDefined();
    expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [keyId(squatter as { PK: string; SK: string })], removed: [], changed: [] });
  });

  it('createUserCustomerLink: the customer disappears before the transaction → 500, no link is written', async () => {
    const op = OPERATIONS.find((o) => o.name === 'createUserCustomerLink') as Operation;
    const customer = (await newCustomer(world.bankA)) as { customer_id: string };
    const raw = localClient();
    let deleted: { PK: string; SK: string } | undefined;
    const before = await snapshot(table.name);
    const mock = mockClient(DynamoDBDocumentClient);
    try {
      for (const Command of READ_COMMANDS) passThrough(mock, Command);
      mock.on(TransactWriteCommand).callsFake(async (input: any, getClient: () => DynamoDBDocumentClient) => {
        const key = input.TransactItems[1].Update.Key as { PK: string; SK: string };
        deleted = key;
        await raw.send(new DeleteItemCommand({ TableName: table.name, Key: { PK: { S: key.PK }, SK: { S: key.SK } } }));
        faultsInjected++;
        return realSend.call(getClient(), new TransactWriteCommand(input));
      });
      const { res, correlationId } = await send(op, { body: { user_id: uniqueId('orphan-'), customer_id: customer.customer_id } });
      expectUnknownError(res, correlationId);
    } finally {
      mock.restore();
      raw.destroy();
    }
    // Only the customer we deleted is gone; the link (the transaction's other item) was never written.
    expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [keyId(deleted as { PK: string; SK: string })], changed: [] });
  });
});

describe('4. real transport faults, through the SDK’s retries (maxAttempts 3, timeouts 1 s connect / 2 s request)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((s) => {
        s.closeAllConnections();
        return new Promise((done) => s.close(done));
      }),
    );
    process.env.DYNAMODB_ENDPOINT = LOCAL_ENDPOINT;
    resetConfig();
    resetDocumentClient();
  });

  /** Points the product at `endpoint`, as a cold start with that configuration would. */
  const useEndpoint = (endpoint: string) => {
    process.env.DYNAMODB_ENDPOINT = endpoint;
    resetConfig();
    resetDocumentClient();
  };

  const listen = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  /** A DynamoDB endpoint that answers every request with `__type` (what the service sends when it throttles). */
  const throttlingEndpoint = async (type: string, status = 400): Promise<{ endpoint: string; requests: () => number }> => {
    let count = 0;
    const endpoint = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        count++;
        faultsInjected++;
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'AWSREQ-SECRET' });
        res.end(JSON.stringify({ __type: type, message: `Throttled ${SECRET}` }));
      });
    });
    return { endpoint, requests: () => count };
  };

  const createCustomer = () => OPERATIONS.find((o) => o.name === 'createCustomer') as Operation;

  it.each([
    ['ProvisionedThroughputExceededException', 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 'com.amazon.coral.availability#ThrottlingException', 400],
    ['RequestLimitExceeded', 'com.amazonaws.dynamodb.v20120810#RequestLimitExceeded', 400],
    ['InternalServerError (HTTP 500)', 'com.amazonaws.dynamodb.v20120810#InternalServerError', 500],
  ])('%s on every attempt: 3 attempts, then 500 OBP-50000', async (_, type, status) => {
    const { endpoint, requests } = await throttlingEndpoint(type, status);
    useEndpoint(endpoint);
    const started = Date.now();
    const { res, correlationId } = await send(createCustomer());
    expectUnknownError(res, correlationId);
    expect(requests()).toBe(3);
    // Full-jitter backoff: at most 1 s + 2 s of waiting for throttling, far less otherwise.
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('throttled twice, then DynamoDB recovers: the SDK’s retries make the request succeed, written once', async () => {
    let count = 0;
    const local = new URL(LOCAL_ENDPOINT);
    const endpoint = await listen((req, res) => {
      count++;
      if (count <= 2) {
        faultsInjected++;
        req.resume();
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' }));
        return;
      }
      const upstream = httpRequest({ host: local.hostname, port: local.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    const before = await snapshot(table.name);
    useEndpoint(endpoint);
    const { res } = await send(createCustomer(), { body: { legal_name: 'Recovered', mobile_phone_number: '1' } });
    expect(res.status).toBe(201);
    expect(count).toBe(4); // 2 throttled + the BatchGetItem that got through + the TransactWriteItems
    const change = tableChange(before, await snapshot(table.name));
    expect(change.added).toHaveLength(2); // the customer and its number guard, once
    expect(change.added).toContain(`CUSTOMER#${res.body.customer_id} | CUSTOMER`);
    expect({ removed: change.removed, changed: change.changed }).toEqual({ removed: [], changed: [] });
  });

  /**
   * A proxy to DynamoDB Local that lets the first write through but drops its answer (the connection is reset),
   * as a network fault after DynamoDB committed would: the SDK retries the same request.
   */
  const answerLostOnFirstWrite = async (): Promise<{ endpoint: string; writes: () => number }> => {
    const local = new URL(LOCAL_ENDPOINT);
    let writes = 0;
    const endpoint = await listen((req, res) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const isWrite = /PutItem|TransactWriteItems|UpdateItem/.test(target);
      if (isWrite) writes++;
      const dropAnswer = isWrite && writes === 1;
      const upstream = httpRequest({ host: local.hostname, port: local.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        if (dropAnswer) {
          faultsInjected++;
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    return { endpoint, writes: () => writes };
  };

  it.each(['createCustomer', 'createCustomerMessage', 'addCustomerMessage', 'createUserCustomerLink', 'createBank', 'addEntitlement'])(
    '%s: the answer to a committed write is lost, the SDK retries: the client gets a definite answer and the item is written exactly once',
    async (name) => {
      const op = OPERATIONS.find((o) => o.name === name) as Operation;
      const { endpoint, writes } = await answerLostOnFirstWrite();
      const before = await snapshot(table.name);
      useEndpoint(endpoint);
      const { res } = await send(op);
      const change = tableChange(before, await snapshot(table.name));
      expect(writes()).toBe(2);
      expect({ status: res.status, body: res.body }).toEqual({ status: op.response.status, body: expect.anything() });
      const expectedNew: Record<string, number> = { createCustomer: 2, createCustomerMessage: 1, addCustomerMessage: 1, createUserCustomerLink: 1, createBank: 3, addEntitlement: 1 };
      expect(change.added).toHaveLength(expectedNew[name] as number);
      expect(change.removed).toEqual([]);
    },
  );

  it('DynamoDB endpoint down (connection refused): 500 OBP-50000 within seconds', async () => {
    const endpoint = await listen(() => undefined);
    const closed = servers.pop() as Server;
    await new Promise((done) => closed.close(done)); // the port is now closed
    useEndpoint(endpoint);
    faultsInjected++;
    const started = Date.now();
    for (const op of [createCustomer(), OPERATIONS.find((o) => o.name === 'getBank') as Operation, OPERATIONS.find((o) => o.name === 'createCustomerMessage') as Operation]) {
      const { res, correlationId } = await send(op);
      expectUnknownError(res, correlationId);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('DynamoDB hangs (accepts, never answers): each attempt times out after 2 s, then 500 OBP-50000, not a Lambda timeout', async () => {
    let attempts = 0;
    const endpoint = await listen((req) => {
      attempts++;
      faultsInjected++;
      req.resume(); // read the request, never answer
    });
    useEndpoint(endpoint);
    const started = Date.now();
    const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('The request hung: no request timeout')), 20_000).unref());
    const { res, correlationId } = await Promise.race([send(createCustomer()), hung]);
    const elapsed = Date.now() - started;
    expectUnknownError(res, correlationId);
    expect(attempts).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 2_000 - 200);
    expect(elapsed).toBeLessThan(12_000);
  });
});
