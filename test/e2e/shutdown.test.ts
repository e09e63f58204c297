// `npm start` with its own DynamoDB Local: Ctrl-C (SIGINT) must leave no java process behind.
import { readdirSync, readFileSync } from 'node:fs';
import { startLocalServer } from './local-server';

/** Pids whose command line runs DynamoDB Local on `port`. */
const dynamoPids = (port: string): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return cmd.some((a) => a.includes('DynamoDBLocal.jar')) && cmd[cmd.indexOf('-port') + 1] === port;
      } catch {
        return false;
      }
    })
    .map(Number);

it('stops its DynamoDB Local on SIGINT', async () => {
  // No DYNAMODB_ENDPOINT: the server starts (and must stop) its own DynamoDB Local.
  const server = await startLocalServer({ DYNAMODB_ENDPOINT: '' });
  const port = /DynamoDB: +http:\/\/127\.0\.0\.1:(\d+)/.exec(server.output())?.[1];
  expect(port).toBeDefined();
  expect(dynamoPids(port as string)).toHaveLength(1);

  await server.stop('SIGINT');
  expect(server.output()).toMatch(/SIGINT: stopping DynamoDB Local and the API/);
  expect(dynamoPids(port as string)).toEqual([]);
}, 120_000);
