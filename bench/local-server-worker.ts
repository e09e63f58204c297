// Worker of figure 5: the local server of `npm start` (local/server.ts, the same handlers over HTTP) on a free
// loopback port, against the DynamoDB Local the parent started (DYNAMODB_ENDPOINT).
import './env';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLocalServer, preloadHandlers } from '../local/server';
import { benchTokens } from './env';
import { serveRequests } from './processes';

let server: Server | undefined;

serveRequests({
  start: async () => {
    const tokens = await benchTokens();
    await preloadHandlers();
    server = createLocalServer({ tokens });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(0, '127.0.0.1', resolve);
    });
    return { port: (server.address() as AddressInfo).port };
  },
  /** CPU time this process has used so far (user + system, µs), to report the server's cost per request. */
  cpu: async () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
});
