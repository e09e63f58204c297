export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __DYNAMO__?: { stop: () => Promise<void> } }).__DYNAMO__?.stop();
}
