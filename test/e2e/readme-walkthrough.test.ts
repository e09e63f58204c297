// Runs the README's walkthrough block, as written, against `npm start`'s server.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalServer, type StartedServer } from './local-server';

const ROOT = join(__dirname, '..', '..');
let server: StartedServer;

beforeAll(async () => {
  server = await startLocalServer();
}, 90_000);

afterAll(() => server?.stop());

const walkthrough = (): string => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no walkthrough block');
  return block[1] as string;
};

it('works as written', () => {
  const script = walkthrough().replace('API=http://127.0.0.1:3000', `API=${server.url}`);
  const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(server.port) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  // No step may have failed with an OBP error.
  expect(out).not.toMatch(/"code":\s*(4|5)\d\d/);
  expect(out).toMatch(/"id":"demo.bank","bank_code":"DEMO"/);
  expect(out).toMatch(/"email":"eveline@example.com"/);
  expect(out).toMatch(/"user_customer_link_id":"[0-9a-f-]{36}"/);
  // Both reads list both messages, newest first; alice's read has no transport.
  const reads = out.match(/\{"messages":\[.*?\]\}/g) ?? [];
  expect(reads).toHaveLength(2);
  const [customerMessages, myMessages] = reads.map((r) => JSON.parse(r).messages as Record<string, string>[]);
  expect(customerMessages?.map((m) => m.message)).toEqual(['Welcome to Demo Bank', 'Your card is on its way']);
  expect(customerMessages?.[0]?.transport).toBe('');
  expect(myMessages?.map((m) => m.message)).toEqual(['Welcome to Demo Bank', 'Your card is on its way']);
  expect(myMessages?.[0]).not.toHaveProperty('transport');
}, 150_000);
