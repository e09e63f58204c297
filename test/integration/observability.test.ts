// Powertools logs and metrics as a function writes them: structured JSON lines with the correlation id, operation and
// user id; a Requests metric per operation and outcome; never a token or a customer's personal data.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';

import { call } from '../support/api';
import { tokenFor } from '../support/tokens';
import { newBank, userWith } from '../support/fixtures';

const captureStdout = async (run: () => Promise<unknown>): Promise<Record<string, any>[]> => {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines.map((l) => JSON.parse(l) as Record<string, any>);
};

describe('observability', () => {
  it("logs every line with the platform's request id as correlation id, the caller's x-request-id beside it, operation and user id, and emits a Requests metric by operation and outcome", async () => {
    const bankId = await newBank();
    const user = await userWith(bankId, 'CanCreateCustomer');
    const token = await tokenFor(user);
    const personal = { legal_name: 'Zoë Secret-Name', mobile_phone_number: '+44 7000 123456', email: 'zoe.secret@example.com' };

    let requestId = '';
    const out = await captureStdout(async () => {
      const res = await call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, {
        as: { authorization: `Bearer ${token}` },
        headers: { 'x-request-id': 'corr-123' },
        body: personal,
      });
      requestId = res.headers['x-request-id'] as string;
    });

    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const logs = out.filter((l) => l.message !== undefined);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).toMatchObject({ correlation_id: requestId, client_request_id: 'corr-123', operation: 'createCustomer', user_id: user, service: 'obp-person-api' });
      expect(line.function_request_id).toEqual(expect.any(String));
    }
    expect(logs).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'request completed', status: 201 }));

    const metric = out.find((l) => l._aws !== undefined);
    expect(metric).toMatchObject({ operation: 'createCustomer', outcome: '2xx', Requests: 1 });
    expect(metric?._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'ObpPersonApi', Dimensions: [expect.arrayContaining(['operation', 'outcome'])] });

    const everything = JSON.stringify(out);
    expect(everything).not.toContain(token);
    for (const value of Object.values(personal)) expect(everything).not.toContain(value);
  });

  it('counts refusals as 4xx and never logs the refused token', async () => {
    const bad = `${await tokenFor('someone')}x`;
    const out = await captureStdout(() => call('GET', '/obp/v5.0.0/users/current', { as: { authorization: `Bearer ${bad}` } }));
    expect(out.find((l) => l._aws !== undefined)).toMatchObject({ operation: 'getCurrentUser', outcome: '4xx', Requests: 1 });
    expect(out).toContainEqual(expect.objectContaining({ message: 'request refused', status: 401 }));
    expect(JSON.stringify(out)).not.toContain(bad.slice(-40));
  });
});
