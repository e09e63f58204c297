// DynamoDB faults: every failure of the table ends as 500 `OBP-50000: Unknown Error. Request id: <id>` (the id also in
// the logs), with no SDK text, stack or table name in the body, and no partial write.
// 1. aws-sdk-client-mock makes every call of every operation fail, for each kind of fault;
// 2. reads reach DynamoDB Local but the write fails: the table is unchanged afterwards;
// 3. DynamoDB Local really cancels a transaction for a reason other than the guard: nothing of it is written;
// 4. real transport faults through the SDK's own retry logic: an endpoint that throttles, one that is down, one that
//    hangs, one that throttles twice and then recovers (the request succeeds, written once), and one that loses the
//    answer to a committed write (the SDK's retry gets the right answer, the write happens once).
// A bank once read is remembered by the process (banks are immutable): each case forgets them first, so every
// operation has a read to fail.
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
import { resetConfig } from '../../functions/common/config';
import { logger } from '../../functions/common/observability';
import { resetDocumentClient } from '../../functions/data/table-client';
import { operationByName, OPERATIONS, takesIdempotencyKey, writes as writesTable, type Operation } from '../../functions/common/operations';
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
const WRITING_OPERATIONS = OPERATIONS.filter(writesTable);
/** How often a transaction cancelled by TransactionConflict is sent in all (functions/data/transactions.ts). */
const CONFLICT_ATTEMPTS = 6;
let faultsInjected = 0;

beforeAll(async () => {
  world = await buildWorld();
  for (const op of TABLE_OPERATIONS) callers.set(op.name, await allowedCaller(op, world));
}, 120_000);

afterAll(() => {
  process.stdout.write(`dynamodb faults injected: ${faultsInjected}\n`);
});

/**
 * The operation's valid request as its allowed caller, with a caller-chosen correlation id. It is built first (a
 * delete's request makes the item it removes), so the fault can be set up after it and before `send`.
 */
const prepare = async (op: Operation, extra: Partial<Request> = {}): Promise<Request> => ({
  ...(await validRequest(op, world)),
  authorization: op.auth ? await bearer(callers.get(op.name) as string) : undefined,
  headers: { 'x-request-id': uniqueId('corr-') },
  ...extra,
});

const send = async (op: Operation, request: Request): Promise<{ res: Response; correlationId: string }> => {
  // The per-process bank cache is forgotten, so the operation reads (and meets the fault) as on a cold start.
  forgetKnownBanks();
  const res = await invoke(op, request);
  return { res, correlationId: request.headers?.['x-request-id'] as string };
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
  let mock: AwsStub<any, any, any> | undefined;
  afterEach(() => mock?.restore());

  describe.each(TABLE_OPERATIONS.map((op) => [op.name, op] as const))('%s', (_, op) => {
    it.each(Object.keys(FAULTS))('%s → 500 OBP-50000 with the platform’s request id, logged under the same id', async (fault) => {
      const request = await prepare(op);
      mock = mockClient(DynamoDBDocumentClient);
      mock.onAnyCommand().callsFake(() => {
        faultsInjected++;
        throw (FAULTS[fault] as () => unknown)();
      });
      const log = spyOnErrorLog();
      try {
        const { res, correlationId } = await send(op, request);
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
    const op = operationByName('createCustomer');
    const request = await prepare(op, { headers: { 'x-request-id': 'bad id\nwith newline' } });
    mock = mockClient(DynamoDBDocumentClient);
    mock.onAnyCommand().rejects(FAULTS.ThrottlingException?.() as Error);
    faultsInjected++;
    const { res } = await send(op, request);
    expect(res.status).toBe(500);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.message).toBe(`${UNKNOWN_ERROR} Request id: ${res.headers['x-request-id']}`);
  });

  it('root (API info) still answers while DynamoDB is down', async () => {
    mock = mockClient(DynamoDBDocumentClient);
    mock.onAnyCommand().rejects(FAULTS.InternalServerError?.() as Error);
    const root = OPERATIONS.find((o) => o.name === 'root') as Operation;
    expect((await invoke(root)).status).toBe(200);
  });
});

/** Lets the reads reach DynamoDB Local and fails every write with `fault`; returns the names of the writes tried. */
const failWrites = (mock: AwsStub<any, any, any>, fault: string): string[] => {
  const tried: string[] = [];
  for (const Command of READ_COMMANDS) passThrough(mock, Command);
  for (const Command of WRITE_COMMANDS) {
    mock.on(Command as any).callsFake(() => {
      tried.push(Command.name);
      faultsInjected++;
      throw (FAULTS[fault] as () => unknown)();
    });
  }
  return tried;
};

describe('2. the write fails after the reads succeeded: nothing is written', () => {
  const WRITE_FAULTS = ['ProvisionedThroughputExceededException', 'TransactionCanceledException (TransactionConflict)', 'a request timeout', 'InternalServerError'];

  it('covers every operation that writes', () => {
    expect(WRITING_OPERATIONS.length).toBe(OPERATIONS.filter((op) => op.table.actions.some((a) => /Put|Update|Delete/.test(a))).length);
    expect(WRITING_OPERATIONS.map((op) => op.name)).toEqual(expect.arrayContaining(['deleteEntitlement', 'deleteUserCustomerLink', 'updateCustomerNumber', 'updateCustomerEmail']));
  });

  describe.each(WRITING_OPERATIONS.map((op) => [op.name, op] as const))('%s', (_, op) => {
    it.each(WRITE_FAULTS)('%s on the write → 500, table unchanged', async (fault) => {
      const request = await prepare(op);
      const before = await snapshot(table.name);
      const mock = mockClient(DynamoDBDocumentClient);
      let tried: string[];
      try {
        tried = failWrites(mock, fault);
        const { res, correlationId } = await send(op, request);
        expectUnknownError(res, correlationId);
      } finally {
        mock.restore();
      }
      // One write, all or nothing; a transaction cancelled by a conflict is sent again a bounded number of times.
      const [command] = tried;
      const conflictRetried = fault.includes('TransactionConflict') && command === 'TransactWriteCommand';
      expect(tried).toEqual(Array(conflictRetried ? CONFLICT_ATTEMPTS : 1).fill(command));
      expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [], changed: [] });
    });
  });

  describe.each(WRITING_OPERATIONS.filter(takesIdempotencyKey).map((op) => [op.name, op] as const))('%s with an Idempotency-Key', (_, op) => {
    it('the write with its idempotency record fails → 500, neither the write nor the record is stored', async () => {
      const request = await prepare(op);
      request.headers = { ...request.headers, 'idempotency-key': uniqueId('fault-key-') };
      const before = await snapshot(table.name);
      const mock = mockClient(DynamoDBDocumentClient);
      let tried: string[];
      try {
        tried = failWrites(mock, 'InternalServerError');
        const { res, correlationId } = await send(op, request);
        expectUnknownError(res, correlationId);
      } finally {
        mock.restore();
      }
      // With a key, the record travels in the operation's one transaction.
      expect(tried).toEqual(['TransactWriteCommand']);
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
      const { res, correlationId } = await send(op, await prepare(op, { body: { legal_name: 'Collision', mobile_phone_number: '1', customer_number: number } }));
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
        const key = input.TransactItems.find((i: any) => i.Update).Update.Key as { PK: string; SK: string };
        deleted = key;
        await raw.send(new DeleteItemCommand({ TableName: table.name, Key: { PK: { S: key.PK }, SK: { S: key.SK } } }));
        faultsInjected++;
        return realSend.call(getClient(), new TransactWriteCommand(input));
      });
      const { res, correlationId } = await send(op, await prepare(op, { body: { user_id: uniqueId('orphan-'), customer_id: customer.customer_id } }));
      expectUnknownError(res, correlationId);
    } finally {
      mock.restore();
      raw.destroy();
    }
    // Only the customer we deleted is gone; the link (the transaction's other item) was never written.
    expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [keyId(deleted as { PK: string; SK: string })], changed: [] });
  });
});

describe('3b. a transaction of a new write meets a concurrent change: cancelled whole, nothing partial', () => {
  /** Sends `request` with every call reaching DynamoDB Local, and `meddle` run there just before each transaction. */
  const meddleBeforeTransaction = async (op: Operation, request: Request, meddle: (input: any) => Promise<void>) => {
    const mock = mockClient(DynamoDBDocumentClient);
    try {
      for (const Command of [...READ_COMMANDS, ...WRITE_COMMANDS.filter((c) => c !== TransactWriteCommand)]) passThrough(mock, Command);
      mock.on(TransactWriteCommand).callsFake(async (input: any, getClient: () => DynamoDBDocumentClient) => {
        await meddle(input);
        faultsInjected++;
        return realSend.call(getClient(), new TransactWriteCommand(input));
      });
      return await send(op, request);
    } finally {
      mock.restore();
    }
  };
  const raw = localClient();
  afterAll(() => raw.destroy());
  const keyOf = (k: { PK: string; SK: string }) => ({ PK: { S: k.PK }, SK: { S: k.SK } });

  it('deleteEntitlement: the role item changes hands just before (revoked and granted anew) → 404 OBP-30212, the item by id stays', async () => {
    const op = operationByName('deleteEntitlement');
    const request = await prepare(op);
    const before = await snapshot(table.name);
    let roleItem: { PK: string; SK: string } | undefined;
    const { res } = await meddleBeforeTransaction(op, request, async (input) => {
      roleItem = input.TransactItems[0].Delete.Key;
      await raw.send(new PutItemCommand({ TableName: table.name, Item: { ...keyOf(roleItem as { PK: string; SK: string }), entity: { S: 'Entitlement' }, entitlementId: { S: 'another' } } }));
    });
    expect({ status: res.status, message: res.body?.message }).toEqual({ status: 404, message: 'OBP-30212: EntitlementId not found' });
    expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [], changed: [keyId(roleItem as { PK: string; SK: string })] });
  });

  it('deleteUserCustomerLink: the link by id is removed just before (a concurrent delete) → 400 OBP-30035, its other items and the count stay', async () => {
    const op = operationByName('deleteUserCustomerLink');
    const request = await prepare(op);
    const before = await snapshot(table.name);
    let byId: { PK: string; SK: string } | undefined;
    const { res } = await meddleBeforeTransaction(op, request, async (input) => {
      byId = input.TransactItems[0].Delete.Key;
      await raw.send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(byId as { PK: string; SK: string }) }));
    });
    expect({ status: res.status, message: res.body?.message }).toEqual({ status: 400, message: 'OBP-30035: User Customer Link not found' });
    expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [keyId(byId as { PK: string; SK: string })], changed: [] });
  });

  it('updateCustomerNumber: the new number is taken just before → 400 OBP-30006, the old guard and the customer unchanged', async () => {
    const op = operationByName('updateCustomerNumber');
    const customer = (await newCustomer(world.bankA)) as { customer_id: string };
    const request = await prepare(op, { params: { BANK_ID: world.bankA, CUSTOMER_ID: customer.customer_id }, body: { customer_number: uniqueId('taken-') } });
    const before = await snapshot(table.name);
    let guard: { PK: string; SK: string } | undefined;
    const { res } = await meddleBeforeTransaction(op, request, async (input) => {
      guard = input.TransactItems[0].Put.Item;
      await raw.send(new PutItemCommand({ TableName: table.name, Item: { ...keyOf(guard as { PK: string; SK: string }), entity: { S: 'CustomerNumber' }, customerId: { S: 'squatter' } } }));
    });
    expect({ status: res.status, message: String(res.body?.message).slice(0, 9) }).toEqual({ status: 400, message: 'OBP-30006' });
    expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [keyId(guard as { PK: string; SK: string })], removed: [], changed: [] });
  });

  it('an update with an Idempotency-Key whose customer vanishes just before → 404 OBP-30046, and no idempotency record', async () => {
    const op = operationByName('updateCustomerEmail');
    const customer = (await newCustomer(world.bankA)) as { customer_id: string };
    const request = await prepare(op, { params: { BANK_ID: world.bankA, CUSTOMER_ID: customer.customer_id } });
    request.headers = { ...request.headers, 'idempotency-key': uniqueId('vanish-') };
    const before = await snapshot(table.name);
    const { res } = await meddleBeforeTransaction(op, request, async (input) => {
      expect(input.TransactItems).toHaveLength(2); // the update and the record, together
      await raw.send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(input.TransactItems[0].Update.Key) }));
    });
    expect({ status: res.status, message: String(res.body?.message).slice(0, 9) }).toEqual({ status: 404, message: 'OBP-30046' });
    expect(tableChange(before, await snapshot(table.name))).toEqual({ added: [], removed: [`CUSTOMER#${customer.customer_id} | CUSTOMER`], changed: [] });
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
    forgetKnownBanks();
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

  const createCustomer = () => operationByName('createCustomer');

  it.each([
    ['ProvisionedThroughputExceededException', 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 'com.amazon.coral.availability#ThrottlingException', 400],
    ['RequestLimitExceeded', 'com.amazonaws.dynamodb.v20120810#RequestLimitExceeded', 400],
    ['InternalServerError (HTTP 500)', 'com.amazonaws.dynamodb.v20120810#InternalServerError', 500],
  ])('%s on every attempt: 3 attempts, then 500 OBP-50000', async (_, type, status) => {
    const request = await prepare(createCustomer());
    const { endpoint, requests } = await throttlingEndpoint(type, status);
    useEndpoint(endpoint);
    const started = Date.now();
    const { res, correlationId } = await send(createCustomer(), request);
    expectUnknownError(res, correlationId);
    expect(requests()).toBe(3);
    // Full-jitter backoff: at most 1 s + 2 s of waiting for throttling, far less otherwise.
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it.each(['updateCustomerNumber', 'updateCustomerData', 'getCustomersAtOneBank', 'getUserCustomerLinksByUserId', 'deleteEntitlement', 'deleteUserCustomerLink'])(
    '%s throttled on every attempt: 3 attempts of its first read, then 500 OBP-50000',
    async (name) => {
      const op = operationByName(name);
      const request = await prepare(op);
      const { endpoint, requests } = await throttlingEndpoint('com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException');
      useEndpoint(endpoint);
      const { res, correlationId } = await send(op, request);
      expectUnknownError(res, correlationId);
      expect(requests()).toBe(3);
    },
  );

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
    const request = await prepare(createCustomer(), { body: { legal_name: 'Recovered', mobile_phone_number: '1' } });
    const before = await snapshot(table.name);
    useEndpoint(endpoint);
    const { res } = await send(createCustomer(), request);
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
      const isWrite = /PutItem|TransactWriteItems|UpdateItem|DeleteItem/.test(target);
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

  /** What one committed write of each operation changes: items added, removed, changed. */
  const ONE_WRITE: Record<string, { added: number; removed: number; changed: number }> = {
    createCustomer: { added: 2, removed: 0, changed: 0 }, // the customer and its number guard
    createCustomerMessage: { added: 1, removed: 0, changed: 0 },
    addCustomerMessage: { added: 1, removed: 0, changed: 0 },
    createUserCustomerLink: { added: 3, removed: 0, changed: 1 }, // three link items; the customer's link count
    createBank: { added: 5, removed: 0, changed: 0 }, // the bank; two creator roles, each with its item by id
    addEntitlement: { added: 2, removed: 0, changed: 0 }, // the role item and the item by id
    updateCustomerNumber: { added: 1, removed: 1, changed: 1 }, // the new guard, the old one, the customer
    ...Object.fromEntries(
      OPERATIONS.filter((o) => o.name.startsWith('updateCustomer') && o.name !== 'updateCustomerNumber').map((o) => [o.name, { added: 0, removed: 0, changed: 1 }]),
    ),
    deleteEntitlement: { added: 0, removed: 2, changed: 0 },
    deleteUserCustomerLink: { added: 0, removed: 3, changed: 1 },
  };

  it('knows what every writing operation writes', () => {
    expect(Object.keys(ONE_WRITE).sort()).toEqual(WRITING_OPERATIONS.map((o) => o.name).sort());
  });

  it.each(WRITING_OPERATIONS.map((o) => o.name))(
    '%s: the answer to a committed write is lost, the SDK retries: the client gets a definite answer and the write happens exactly once',
    async (name) => {
      const op = operationByName(name);
      const request = await prepare(op);
      const { endpoint, writes } = await answerLostOnFirstWrite();
      const before = await snapshot(table.name);
      useEndpoint(endpoint);
      const { res } = await send(op, request);
      const after = await snapshot(table.name);
      const change = tableChange(before, after);
      expect(writes()).toBe(2);
      expect({ status: res.status, message: res.body?.message }).toEqual({ status: op.response.status, message: undefined });
      expect({ added: change.added.length, removed: change.removed.length, changed: change.changed.length }).toEqual(ONE_WRITE[name]);
      if (name.startsWith('updateCustomer')) {
        // The answer is the customer as stored.
        const stored = JSON.parse(after.get(`CUSTOMER#${request.params?.CUSTOMER_ID} | CUSTOMER`) as string);
        expect(res.body).toEqual(stored.customer);
      }
    },
  );

  it('DynamoDB endpoint down (connection refused): 500 OBP-50000 within seconds', async () => {
    const endpoint = await listen(() => undefined);
    const closed = servers.pop() as Server;
    await new Promise((done) => closed.close(done)); // the port is now closed
    const requests = await Promise.all(TABLE_OPERATIONS.map((op) => prepare(op)));
    useEndpoint(endpoint);
    for (const [i, op] of TABLE_OPERATIONS.entries()) {
      faultsInjected++;
      const started = Date.now();
      const { res, correlationId } = await send(op, requests[i] as Request);
      expectUnknownError(res, correlationId);
      expect({ op: op.name, fast: Date.now() - started < 3_000 }).toEqual({ op: op.name, fast: true });
    }
  });

  it('DynamoDB hangs (accepts, never answers): each attempt times out after 2 s, then 500 OBP-50000, not a Lambda timeout', async () => {
    let attempts = 0;
    const endpoint = await listen((req) => {
      attempts++;
      faultsInjected++;
      req.resume(); // read the request, never answer
    });
    const request = await prepare(createCustomer());
    useEndpoint(endpoint);
    const started = Date.now();
    const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('The request hung: no request timeout')), 20_000).unref());
    const { res, correlationId } = await Promise.race([send(createCustomer(), request), hung]);
    const elapsed = Date.now() - started;
    expectUnknownError(res, correlationId);
    expect(attempts).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 2_000 - 200);
    expect(elapsed).toBeLessThan(12_000);
  });
});
