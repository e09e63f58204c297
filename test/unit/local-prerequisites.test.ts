// The local server's clear errors: no Java, port taken.
import { createServer } from 'node:net';
import { assertPortFree, requireJava } from '../../local/dynamodb-local';

describe('local prerequisites', () => {
  it('explains how to install Java when java is not on the PATH', () => {
    expect(() => requireJava({ ...process.env, PATH: '/nonexistent' })).toThrow(
      /Java 17 or newer is needed.*\n.*apt-get install -y openjdk-17-jre-headless/,
    );
    expect(() => requireJava()).not.toThrow();
  });

  it('names the port that is already in use', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(assertPortFree(port, 'the API')).rejects.toThrow(`Port ${port} (the API) is already in use`);
    } finally {
      server.close();
    }
  });
});
