// The one read at the start of a request — the bank, the caller's candidate role items, the path's customer, and
// what the operation names (an entitlement or link by the path's id, the number guard of a lookup, the idempotency
// record) — then the checks in their order: bank (404), permission (403), the path's customer at that bank (404).
// Roles are held at the path's bank, or, for an operation whose roles are scoped by its body (addEntitlement), at the
// body's bank_id: then this runs after the body is parsed and before it is validated, so a caller without the
// permission learns nothing about the body's rules (403 before 400), and an unknown body bank is the operation's
// business (OBP answers 400 there). Roles scoped by another item (deleteEntitlement's entitlement) are checked by the
// operation once that item is read; the system ones come with this read.
import type { MiddlewareObj } from '@middy/core';
import { guardKey } from '../../data/customers-repository';
import { entitlementByIdItemKey } from '../../data/entitlements-repository';
import type { Key } from '../../data/keys';
import { linkByIdItemKey } from '../../data/links-repository';
import { loadRequestContext } from '../../data/request-context-repository';
import { customerAtBank, peekCustomerNumber } from '../../domain/customers';
import { config } from '../../common/config';
import { bankNotFound, customerNotFoundById } from '../../common/obp-errors';
import { isBankRole, missingRoles, notSuperAdminNorRoles, roleBankId } from '../../common/roles';
import type { DraftState, ObpEvent, ObpResult } from '../state';

/** The body's bank_id as the permission check reads it: text (or a whole number), else no bank. */
const bodyBankId = (body: unknown): string => {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).bank_id : undefined;
  if (typeof value === 'string') return value;
  return Number.isSafeInteger(value) ? String(value) : '';
};

const checkPermission = (obp: DraftState, heldRoles: readonly string[], bankId: string): void => {
  const { operation, userId } = obp;
  if (operation.roles.length === 0 || heldRoles.length > 0) return;
  if (operation.superAdmin && userId !== undefined && config().superAdminUserIds.has(userId)) return;
  throw operation.superAdmin ? notSuperAdminNorRoles(operation.roles, bankId) : missingRoles(operation.roles, bankId, operation.legacyRoleMessage);
};

/** The items the operation's entry asks the first read to fetch, by name. */
const prefetchKeys = (event: ObpEvent, bankId: string | undefined): Record<string, Key> => {
  const { obp } = event;
  const items: Record<string, Key> = {};
  const { prefetch } = obp.operation;
  if (prefetch === 'entitlement' && obp.params.ENTITLEMENT_ID) items.entitlement = entitlementByIdItemKey(obp.params.ENTITLEMENT_ID);
  if (prefetch === 'link' && obp.params.USER_CUSTOMER_LINK_ID) items.link = linkByIdItemKey(obp.params.USER_CUSTOMER_LINK_ID);
  if (prefetch === 'customerNumberGuard' && bankId !== undefined) {
    // The number is in the body, which is parsed (and its errors reported) only after these checks: a look at it
    // here lets this same read fetch the guard. If the body turns out different or invalid, nothing is lost.
    const customerNumber = peekCustomerNumber(event.body, event.isBase64Encoded);
    if (customerNumber !== undefined) {
      items.guard = guardKey(bankId, customerNumber);
      obp.peekedCustomerNumber = customerNumber;
    }
  }
  if (obp.idempotency?.recordKey) items.idempotency = obp.idempotency.recordKey;
  return items;
};

export const loadContext = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: async (request) => {
    const { event } = request;
    const { obp } = event;
    const { operation, userId, params } = obp;
    const scope = operation.roleScope ?? 'path';
    const bankId = scope === 'body' ? bodyBankId(obp.body) || undefined : params.BANK_ID;
    const customerId = params.CUSTOMER_ID;
    const roles = scope === 'entitlement' ? operation.roles.filter((r) => !isBankRole(r)) : operation.roles;
    const context = await loadRequestContext({
      bankId,
      customerId,
      userId,
      roles: roles.map((roleName) => ({ roleName, bankId: roleBankId(roleName, bankId ?? '') })),
      items: prefetchKeys(event, bankId),
    });
    if (scope === 'path' && bankId !== undefined && !context.bank) throw bankNotFound(bankId);
    if (scope !== 'entitlement') checkPermission(obp, context.heldRoles, bankId ?? '');
    obp.bank = context.bank;
    obp.heldRoles = context.heldRoles;
    obp.prefetched = context.items;
    if (customerId !== undefined) {
      const customer = customerAtBank(context.customer, bankId ?? '');
      if (!customer) throw customerNotFoundById(customerId);
      obp.customer = customer;
    }
  },
});
