// Starts `npm start`'s entry point (local/start.ts) as a child process against the tests' DynamoDB Local, with a
// fresh table, and stops it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort } from '../../local/dynamodb-local';
import { undocumented } from '../support/openapi-responses';

export interface StartedServer {
  url: string;
  port: number;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export const startLocalServer = async (extraEnv: Record<string, string> = {}): Promise<StartedServer> => {
  const port = await freePort();
  const responseLog = join(tmpdir(), `obp-e2e-responses-${randomBytes(6).toString('hex')}.jsonl`);
  let output = '';
  // As `npm start` runs it: tsx loaded in-process (its CLI wrapper would SIGKILL a slow child on Ctrl-C, orphaning java).
  const child: ChildProcess = spawn(process.execPath, ['--conditions=import', '--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      IN_MEMORY: '1',
      TABLE_NAME: `e2e-${randomBytes(4).toString('hex')}`,
      SUPER_ADMIN_USER_IDS: 'admin',
      LOG_REQUESTS: '0',
      // Every API answer goes to this file; stop() checks them all against the OpenAPI document.
      RESPONSE_LOG: responseLog,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
    const answers = existsSync(responseLog) ? readFileSync(responseLog, 'utf8').split('\n').filter(Boolean) : [];
    rmSync(responseLog, { force: true });
    const mismatches = answers.flatMap((line) => undocumented(JSON.parse(line)));
    if (mismatches.length > 0) throw new Error(`The local server answered what the OpenAPI document does not describe:\n${mismatches.join('\n')}`);
  };
  const deadline = Date.now() + 60_000;
  while (!output.includes('is listening on')) {
    if (child.exitCode !== null) throw new Error(`local server exited: ${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`local server did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, port, output: () => output, stop };
};
