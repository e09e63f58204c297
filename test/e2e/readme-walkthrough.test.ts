// Runs the README's walkthrough blocks (the walkthrough, then "Revoking access" and "Retrying safely", in one
// shell, in order), as written, against `npm start`'s server, and checks what each step printed.
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

const walkthrough = (): string[] => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/g)].map((m) => m[1] as string);
  if (blocks.length === 0) throw new Error('README.md has no walkthrough block');
  return blocks;
};

/** The JSON objects a step printed on one line whose top-level key is `key`. */
const printed = (out: string, key: string): any[] =>
  out
    .split('\n')
    .filter((line) => line.startsWith(`{"${key}":`))
    .map((line) => JSON.parse(line));

it('the README has the walkthrough and its two continuations', () => {
  expect(walkthrough()).toHaveLength(3);
  expect(walkthrough()[0]).toContain('API=http://127.0.0.1:3000');
});

it('works as written', () => {
  const script = walkthrough().join('\n').replace('API=http://127.0.0.1:3000', `API=${server.url}`);
  const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(server.port) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  // No step may have failed with an OBP error.
  expect(out).not.toMatch(/"code":\s*(4|5)\d\d/);
  expect(out).toMatch(/"id":"demo.bank","bank_code":"DEMO"/);
  // Created with one e-mail address, then corrected (both stored lower-cased).
  expect(out).toMatch(/"email":"eveline@example.com"/);
  expect(out).toMatch(/"email":"eveline.tripman@example.com"/);
  const customerId = /"customer_id":"([0-9a-f-]{36})","customer_number"/.exec(out)?.[1] as string;
  expect(out).toMatch(/"user_customer_link_id":"[0-9a-f-]{36}"/);

  // The first page has one message and a Link to the next; the next page is the last.
  expect(out).toMatch(new RegExp(`^link: </obp/v5\\.1\\.0/banks/demo\\.bank/customers/${customerId}/messages\\?limit=1&cursor=[\\w.-]+>; rel="next"\\r?$`, 'im'));
  const reads = printed(out, 'messages').map((r) => (r.messages as Record<string, string>[]).map((m) => m.message));
  expect(reads).toEqual([
    ['Welcome to Demo Bank'], // page 1 of the customer's messages, newest first
    ['Your card is on its way'], // page 2
    ['Welcome to Demo Bank', 'Your card is on its way'], // alice's, while linked
    [], // alice's, once her link is removed
  ]);
  const [page1, page2] = printed(out, 'messages');
  expect(page1.messages[0].transport).toBe(''); // posted through v1.4.0
  expect(page2.messages[0].transport).toBe('SMS');
  expect(printed(out, 'messages')[2].messages[0]).not.toHaveProperty('transport');
  expect(out.match(/^link:/gim)).toHaveLength(1);

  // Revoking: the access review names alice's role; after revocation her post is refused; the link removal is true.
  const review = printed(out, 'list')[0].list as Record<string, string>[];
  expect(review).toHaveLength(3);
  expect(out).toMatch(/^revoked: 204$/m);
  expect(out).toMatch(/^alice posts: 403$/m);
  expect(out).toMatch(/^true$/m);

  // Retrying: two 201s with one customer, the second marked as a replay.
  const answers = out.split(/^HTTP\/1\.1 /m).filter((a) => a.includes('Robin Example'));
  expect(answers).toHaveLength(2);
  const ids = answers.map((a) => /"customer_id":"([0-9a-f-]{36})"/.exec(a)?.[1]);
  expect(ids[0]).toBeDefined();
  expect(ids[1]).toBe(ids[0]);
  expect(answers.map((a) => a.startsWith('201') && /^idempotent-replayed: true\r?$/im.test(a))).toEqual([false, true]);
  expect(answers.every((a) => a.startsWith('201'))).toBe(true);
}, 150_000);
