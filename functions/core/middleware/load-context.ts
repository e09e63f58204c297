// The one read at the start of a request (bank, the caller's candidate roles, the path's customer), then the
// bank (404) and role (403) checks, in that order.
import type { MiddlewareObj } from '@middy/core';
import { loadRequestContext } from '../../data/request-context-repository';
import { customerAtBank } from '../../domain/customers';
import { bankNotFound, ObpError, ObpMessages } from '../obp-errors';
import { isBankRole, roleBankId, type RoleName } from '../roles';
import { pathParam, type ObpEvent, type ObpResult } from '../request';

/** OBP-20006 in the wording of reference §1.6. */
export const missingRolesMessage = (roles: RoleName[], bankId: string, legacy = false): string => {
  if (legacy) return `${ObpMessages.UserHasMissingRoles}${roles.join(' or ')} at Bank(${bankId})`;
  const suffix = roles.some(isBankRole) ? ` for BankId(${bankId}).` : '';
  return `${ObpMessages.UserHasMissingRoles}${roles.join(' or ')}${suffix}`;
};

export const loadContext = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: async (request) => {
    const { obp } = request.event;
    const { operation, userId } = obp;
    const bankId = pathParam(request.event, 'BANK_ID');
    const customerId = pathParam(request.event, 'CUSTOMER_ID');
    const context = await loadRequestContext({
      bankId,
      customerId,
      userId,
      roles: operation.roles.map((roleName) => ({ roleName, bankId: roleBankId(roleName, bankId ?? '') })),
    });
    if (bankId !== undefined && !context.bank) throw bankNotFound(bankId);
    if (operation.roles.length > 0 && context.heldRoles.length === 0) {
      throw new ObpError(403, missingRolesMessage(operation.roles, bankId ?? '', operation.legacyRoleMessage));
    }
    obp.bank = context.bank;
    obp.heldRoles = context.heldRoles;
    obp.customer = bankId !== undefined ? customerAtBank(context.customer, bankId) : undefined;
  },
});
