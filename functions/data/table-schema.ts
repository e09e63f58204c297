// The table's key schema, shared by the CDK stack and the local table creation so the two cannot drift.
export const TABLE_SCHEMA = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [{ name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
  /** Epoch seconds after which DynamoDB may delete the item (idempotency records live 24 hours). */
  timeToLiveAttribute: 'expiresAt',
} as const;
