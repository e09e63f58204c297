// createBank / getBank (OBP v5.0.0): id rules, creator's grants, and BankJson500 rendering.
import { randomUUID } from 'node:crypto';
import { invalidJson, ObpError, ObpMessages } from '../core/obp-errors';
import type { RoleName } from '../core/roles';
import { BankAlreadyExists, insertBank } from '../data/banks-repository';
import type { BankRecord, EntitlementRecord } from '../data/records';

export interface CreateBankBody {
  id: string;
  bank_code: string;
  full_name?: string | null;
  logo?: string | null;
  website?: string | null;
  bank_routings?: { scheme: string; address: string }[] | null;
}

/** What createBank grants its caller at the new bank (OBP does the same). */
export const CREATOR_ROLES: RoleName[] = ['CanCreateEntitlementAtOneBank', 'CanReadDynamicResourceDocsAtOneBank'];

const checkBankId = (id: string): void => {
  if (id.length > 16) throw new ObpError(400, ObpMessages.InvalidValueLength);
  if (!/^[A-Za-z0-9\-._]+$/.test(id)) throw new ObpError(400, ObpMessages.InvalidValueCharacters);
  if (id.length <= 3) throw invalidJson('Min length of BANK_ID should be greater than 3 characters.');
};

export const createBank = async (creatorUserId: string, body: CreateBankBody, now = new Date()): Promise<BankRecord> => {
  checkBankId(body.id);
  const routings = body.bank_routings ?? [];
  const other = routings.find((r) => r.scheme !== 'BIC');
  const createdAt = now.toISOString();
  const bank: BankRecord = {
    bankId: body.id,
    bankCode: body.bank_code,
    fullName: body.full_name ?? '',
    logo: body.logo ?? '',
    website: body.website ?? '',
    routingScheme: other?.scheme ?? '',
    routingAddress: other?.address ?? '',
    swiftBic: routings.find((r) => r.scheme === 'BIC')?.address ?? '',
    createdAt,
  };
  const grants: EntitlementRecord[] = CREATOR_ROLES.map((roleName) => ({
    entitlementId: randomUUID(),
    userId: creatorUserId,
    roleName,
    bankId: bank.bankId,
    createdAt,
  }));
  try {
    await insertBank(bank, grants);
  } catch (error) {
    if (error instanceof BankAlreadyExists) throw new ObpError(400, ObpMessages.BankIdAlreadyExists);
    throw error;
  }
  return bank;
};

const orNull = (value: string): string | null => (value === '' ? null : value);

/**
 * BankJson500. On create OBP echoes the stored routing as-is; on read an empty scheme reads as OBP and an empty
 * address as the bank id (reference §2.8).
 */
export const toBankJson = (bank: BankRecord, as: 'created' | 'read') => {
  const scheme = as === 'read' && bank.routingScheme === '' ? 'OBP' : bank.routingScheme;
  const address = as === 'read' && bank.routingAddress === '' ? bank.bankId : bank.routingAddress;
  const routings =
    scheme === 'OBP'
      ? [{ scheme: 'BIC', address: bank.swiftBic }, { scheme: 'OBP', address }]
      : scheme === 'BIC'
        ? [{ scheme: 'OBP', address: bank.bankId }, { scheme: 'BIC', address }]
        : [{ scheme: 'OBP', address: bank.bankId }, { scheme: 'BIC', address: bank.swiftBic }, { scheme, address }];
  return {
    id: orNull(bank.bankId),
    bank_code: orNull(bank.bankCode),
    full_name: orNull(bank.fullName),
    logo: orNull(bank.logo),
    website: orNull(bank.website),
    bank_routings: routings,
    attributes: [] as never[],
  };
};
