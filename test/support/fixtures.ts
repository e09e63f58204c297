// Test data builders: each test gets its own bank and users, so tests never see each other's data.
import { randomBytes } from 'node:crypto';
import { call } from './api';

export const SUPER_ADMIN = 'test-admin';

export const uniqueId = (prefix: string): string => `${prefix}${randomBytes(5).toString('hex')}`;

export const grant = async (userId: string, roleName: string, bankId = ''): Promise<void> => {
  const res = await call('POST', `/obp/v5.0.0/users/${encodeURIComponent(userId)}/entitlements`, {
    as: SUPER_ADMIN,
    body: { bank_id: bankId, role_name: roleName },
  });
  if (res.status !== 201 && !(res.status === 400 && String(res.body?.message).startsWith('OBP-30216'))) {
    throw new Error(`grant ${roleName} to ${userId} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
};

/** A new bank, created by a fresh bank admin who holds CanCreateBank. */
export const newBank = async (): Promise<string> => {
  const bankId = uniqueId('bk');
  const creator = uniqueId('creator-');
  await grant(creator, 'CanCreateBank');
  const res = await call('POST', '/obp/v5.0.0/banks', { as: creator, body: { id: bankId, bank_code: 'TEST' } });
  if (res.status !== 201) throw new Error(`createBank failed: ${res.status} ${JSON.stringify(res.body)}`);
  return bankId;
};

export const MINIMAL_CUSTOMER = { legal_name: 'Legal Name', mobile_phone_number: '+44 07972 444 876' };

/** A user holding `roles` at `bankId` (system roles are granted with bank_id ""). */
export const userWith = async (bankId: string, ...roles: string[]): Promise<string> => {
  const userId = uniqueId('user-');
  const { ROLE_SCOPES } = await import('../../functions/common/roles');
  for (const role of roles) await grant(userId, role, ROLE_SCOPES[role as keyof typeof ROLE_SCOPES] === 'bank' ? bankId : '');
  return userId;
};

export const newCustomer = async (bankId: string, body: Record<string, unknown> = MINIMAL_CUSTOMER): Promise<Record<string, any>> => {
  const creator = await userWith(bankId, 'CanCreateCustomer');
  const res = await call('POST', `/obp/v5.0.0/banks/${bankId}/customers`, { as: creator, body });
  if (res.status !== 201) throw new Error(`createCustomer failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
