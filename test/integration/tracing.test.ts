// X-Ray tracing as deployed: the real createCustomer bundle (built with the deployment's esbuild options) runs in a
// child process with what Lambda sets (AWS_EXECUTION_ENV, LAMBDA_TASK_ROOT, _X_AMZN_TRACE_ID, the daemon address)
// against DynamoDB Local, and a UDP socket stands in for the X-Ray daemon. The segments must show the handler and
// its DynamoDB calls, and carry none of the request's personal data, no response and no keys. Outside Lambda
// (these tests, the local server) the tracer and its X-Ray SDK are not even loaded.
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLikeDeployment } from '../../bench/bundling';
import { TRACER_ENVIRONMENT } from '../../lib/api-function';
import { lambdaContext, toApiGatewayEvent } from '../../local/api-gateway-event';
import { tracer } from '../../functions/common/observability';
import { handlerEntry, operationByName } from '../../functions/common/operations';
import { newBank, userWith } from '../support/fixtures';
import { tokenFor } from '../support/tokens';

jest.setTimeout(120_000);

// A child that loads the bundle as Lambda would, invokes it once, and gives the emitter time to send.
const RUNNER = `
const [bundle, eventJson, contextJson] = process.argv.slice(1);
const { handler } = await import(bundle);
const result = await handler(JSON.parse(eventJson), { ...JSON.parse(contextJson), getRemainingTimeInMillis: () => 10000 });
await new Promise((resolve) => setTimeout(resolve, 300));
process.stdout.write(JSON.stringify(result));
`;

interface Segment {
  name: string;
  annotations?: Record<string, unknown>;
  metadata?: Record<string, Record<string, unknown>>;
  aws?: Record<string, unknown>;
  namespace?: string;
  subsegments?: Segment[];
}

const flatten = (segments: Segment[]): Segment[] => segments.flatMap((s) => [s, ...flatten(s.subsegments ?? [])]);

describe('tracing', () => {
  it('is off outside Lambda: no tracer, and the X-Ray SDK (with its async hook) is never loaded', () => {
    expect(process.env.AWS_EXECUTION_ENV).toBeUndefined();
    expect(tracer).toBeUndefined();
    expect(Object.keys(require.cache).filter((path) => path.includes('aws-xray-sdk-core'))).toEqual([]);
  });

  describe('the deployed bundle in a Lambda environment', () => {
    let dir: string;
    let daemon: Socket;
    const packets: string[] = [];
    let result: { statusCode: number; body: string };
    const customer = { legal_name: 'Eveline Tripman', mobile_phone_number: '+49 30 901820', email: 'eveline@example.com' };
    let bankId: string;
    let userId: string;
    let token: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'obp-tracing-'));
      const bundle = join(dir, 'index.mjs');
      // The function's generated Lambda entry (the middleware chain around the handler), as the stack deploys it.
      await buildLikeDeployment(handlerEntry(operationByName('createCustomer')), bundle);
      writeFileSync(join(dir, 'runner.mjs'), RUNNER);
      daemon = createSocket('udp4');
      daemon.on('message', (message) => packets.push(message.toString('utf8')));
      await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));

      bankId = await newBank();
      userId = await userWith(bankId, 'CanCreateCustomer');
      token = await tokenFor(userId);
      const path = `/obp/v5.0.0/banks/${bankId}/customers`;
      const event = toApiGatewayEvent({
        method: 'POST',
        url: path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(customer),
        routeKey: 'POST /obp/v5.0.0/banks/{BANK_ID}/customers',
        pathParameters: { BANK_ID: bankId },
      });
      const env = {
        PATH: process.env.PATH,
        ...TRACER_ENVIRONMENT,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        LAMBDA_TASK_ROOT: dir,
        AWS_LAMBDA_FUNCTION_NAME: 'createCustomer',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        _HANDLER: 'index.handler',
        _X_AMZN_TRACE_ID: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1`,
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        TABLE_NAME: process.env.TABLE_NAME,
        DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
        JWT_ISSUER: process.env.JWT_ISSUER,
        JWT_AUDIENCE: process.env.JWT_AUDIENCE,
        JWT_JWKS: process.env.JWT_JWKS,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
      };
      const child = spawn(process.execPath, ['--input-type=module', '-e', RUNNER, bundle, JSON.stringify(event), JSON.stringify(lambdaContext('createCustomer'))], {
        env,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      // The child's stderr is shown only when it failed (a warning alone is no failure).
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      result = JSON.parse(stdout);
      await new Promise((resolve) => setTimeout(resolve, 200));
    });

    afterAll(() => {
      daemon?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const segments = (): Segment[] =>
      flatten(
        packets.map((packet) => {
          const [header, body] = packet.split('\n');
          expect(JSON.parse(header as string)).toEqual({ format: 'json', version: 1 });
          return JSON.parse(body as string) as Segment;
        }),
      );

    it('created the customer', () => {
      expect(result.statusCode).toBe(201);
      expect(JSON.parse(result.body)).toMatchObject({ legal_name: customer.legal_name });
    });

    it('sends the handler’s subsegment with the cold start and service annotations, but no response', () => {
      const handler = segments().find((s) => s.name === '## index.handler');
      expect(handler).toBeDefined();
      expect(handler?.annotations).toEqual({ ColdStart: true, Service: 'obp-person-api' });
      for (const s of segments()) expect(Object.keys(s.metadata?.['obp-person-api'] ?? {}).filter((k) => /response/i.test(k))).toEqual([]);
    });

    it('traces the DynamoDB client: the context read and the transaction, with the table and nothing of the items', () => {
      const dynamo = segments().filter((s) => s.name === 'DynamoDB' && s.namespace === 'aws');
      expect(dynamo.map((s) => s.aws?.operation).sort()).toEqual(['BatchGetItem', 'TransactWriteItems']);
      for (const s of dynamo) expect(Object.keys(s.aws ?? {})).not.toEqual(expect.arrayContaining(['key', 'keys', 'item', 'items']));
    });

    it('carries none of the request’s personal data, ids or token', () => {
      const all = packets.join('\n');
      expect(all.length).toBeGreaterThan(0);
      const customerId = JSON.parse(result.body).customer_id as string;
      for (const secret of [customer.legal_name, customer.mobile_phone_number, customer.email, customerId, userId, token, `BANK#${bankId}`]) {
        expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
      }
    });
  });
});
