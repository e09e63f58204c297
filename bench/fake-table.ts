// A fake in-memory table behind the API's document client, for timing the middleware chain without DynamoDB:
// it answers the few commands the measured operations send, from a Map, with no I/O.
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

const keyOf = (key: Item): string => `${String(key.PK)}\u0000${String(key.SK)}`;

export class FakeTable {
  readonly items = new Map<string, Item>();
  calls = 0;

  async send(command: unknown): Promise<unknown> {
    this.calls++;
    if (command instanceof PutCommand) {
      this.items.set(keyOf(command.input.Item as Item), command.input.Item as Item);
      return {};
    }
    if (command instanceof TransactWriteCommand) {
      for (const t of command.input.TransactItems ?? []) {
        if (!t.Put) throw new Error('FakeTable: only Put inside TransactWriteItems');
        this.items.set(keyOf(t.Put.Item as Item), t.Put.Item as Item);
      }
      return {};
    }
    if (command instanceof BatchGetCommand) {
      const [table, request] = Object.entries(command.input.RequestItems ?? {})[0] as [string, { Keys: Item[] }];
      return { Responses: { [table]: request.Keys.flatMap((k) => this.items.get(keyOf(k)) ?? []) }, UnprocessedKeys: {} };
    }
    if (command instanceof GetCommand) return { Item: this.items.get(keyOf(command.input.Key as Item)) };
    throw new Error(`FakeTable: ${(command as object).constructor.name} is not faked`);
  }

  /** Makes `client.send` answer from this table. */
  install(client: DynamoDBDocumentClient): void {
    (client as unknown as { send: (c: unknown) => Promise<unknown> }).send = (c) => this.send(c);
  }
}
