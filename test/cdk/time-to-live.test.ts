// The table expires idempotency records: DynamoDB's time to live is on, on the attribute that holds their expiry.
import { resetConfig } from '../../functions/common/config';
import { idempotencyRecordWrite } from '../../functions/data/idempotency-repository';
import { TABLE_SCHEMA } from '../../functions/data/table-schema';
import { build, onlyOf } from '../support/template';

describe('time to live', () => {
  it('is enabled on the table, on TABLE_SCHEMA.timeToLiveAttribute', () => {
    const built = build();
    const table = built.state.Resources[onlyOf(built.state, 'AWS::DynamoDB::Table')];
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true });
  });

  it('is the attribute where an idempotency record keeps its expiry (epoch seconds)', () => {
    const env = { ...process.env };
    Object.assign(process.env, { TABLE_NAME: 'ttl-test', JWT_ISSUER: 'https://issuer.example.com', JWT_AUDIENCE: 'ttl-test' });
    resetConfig();
    try {
      const createdAt = '2026-01-31T12:00:00.000Z';
      const expiresAt = Date.parse(createdAt) / 1000 + 24 * 3600;
      const record = { operation: 'createCustomer', userId: 'u', requestHash: 'h', body: '{}', createdAt, expiresAt };
      const put = idempotencyRecordWrite({ PK: 'IDEM#x', SK: 'IDEM' }, record).item.Put as { Item: Record<string, unknown> };
      expect(put.Item[TABLE_SCHEMA.timeToLiveAttribute]).toBe(expiresAt);
    } finally {
      process.env = env;
      resetConfig();
    }
  });
});
