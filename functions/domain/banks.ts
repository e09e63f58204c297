// createBank / getBank (OBP v5.0.0): the creator's grants, and BankJson500 rendering. The id's rules are in its
// schema (schemas/create-bank.schema.json).
import { randomUUID } from 'node:crypto';
import { ObpError, ObpMessages } from '../common/obp-errors';
import type { RoleName } from '../common/roles';
import type { PostBankJson500 } from '../../generated/types/create-bank';
import type { BankJson500 } from '../../generated/types/bank-response';
import { BankAlreadyExists, insertBank } from '../data/banks-repository';
import type { BankRecord, EntitlementRecord } from '../data/records';
import { replyRecord, type WriteContext } from './write-context';

/** What createBank grants its caller at the new bank (OBP does the same). */
export const CREATOR_ROLES: RoleName[] = ['CanCreateEntitlementAtOneBank', 'CanReadDynamicResourceDocsAtOneBank'];

/** Creates the bank and grants its creator CREATOR_ROLES there; answers the bank and the grants made. */
export const createBank = async (ctx: WriteContext, body: PostBankJson500): Promise<{ bank: BankJson500; grants: EntitlementRecord[] }> => {
  const routings = body.bank_routings ?? [];
  const other = routings.find((r) => r.scheme !== 'BIC');
  const createdAt = ctx.now.toISOString();
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
    userId: ctx.actor,
    roleName,
    bankId: bank.bankId,
    createdAt,
    grantedBy: ctx.actor,
  }));
  const reply = toBankJson(bank, 'created');
  try {
    await insertBank({ ...bank, createdBy: ctx.actor }, grants, replyRecord(ctx, reply));
  } catch (error) {
    if (error instanceof BankAlreadyExists) throw new ObpError(400, ObpMessages.BankIdAlreadyExists);
    throw error;
  }
  return { bank: reply, grants };
};

const orNull = (value: string): string | null => (value === '' ? null : value);

/**
 * BankJson500. On create OBP echoes the stored routing as-is; on read an empty scheme reads as OBP and an empty
 * address as the bank id, as OBP does.
 */
export const toBankJson = (bank: BankRecord, as: 'created' | 'read'): BankJson500 => {
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
