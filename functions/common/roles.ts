// The roles this API knows, with their scope: a bank role is held at one bank, a system role with bank_id "".
// The names are OBP's (docs/design.md, "Roles"); their one list is the role_name enum of
// schemas/create-entitlement.schema.json, and the compiler checks that this map covers exactly that list.
import type { CreateEntitlementJSON } from '../../generated/types/create-entitlement';
import { ObpError, ObpMessages } from './obp-errors';

export type RoleName = CreateEntitlementJSON['role_name'];

export const ROLE_SCOPES = {
  CanCreateBank: 'system',
  CanCreateCustomer: 'bank',
  CanCreateCustomerAtAnyBank: 'system',
  CanCreateCustomerMessage: 'bank',
  CanCreateEntitlementAtAnyBank: 'system',
  CanCreateEntitlementAtOneBank: 'bank',
  CanCreateUserCustomerLink: 'bank',
  CanCreateUserCustomerLinkAtAnyBank: 'system',
  CanDeleteEntitlementAtAnyBank: 'system',
  CanDeleteEntitlementAtOneBank: 'bank',
  CanDeleteUserCustomerLink: 'bank',
  CanDeleteUserCustomerLinkAtAnyBank: 'system',
  CanGetAnyUser: 'system',
  CanGetCustomer: 'bank',
  CanGetCustomerMessages: 'bank',
  CanGetCustomers: 'bank',
  CanGetCustomersAtAnyBank: 'system',
  CanGetCustomersMinimal: 'bank',
  CanGetCustomersMinimalAtAnyBank: 'system',
  CanGetEntitlementsForAnyBank: 'system',
  CanGetEntitlementsForAnyUserAtAnyBank: 'system',
  CanGetEntitlementsForAnyUserAtOneBank: 'bank',
  CanGetEntitlementsForOneBank: 'bank',
  CanGetUserCustomerLink: 'bank',
  CanGetUserCustomerLinkAtAnyBank: 'system',
  CanReadDynamicResourceDocsAtOneBank: 'bank',
  CanUpdateCustomerBranch: 'bank',
  CanUpdateCustomerCreditLimit: 'bank',
  CanUpdateCustomerCreditRatingAndSource: 'bank',
  CanUpdateCustomerCreditRatingAndSourceAtAnyBank: 'system',
  CanUpdateCustomerData: 'bank',
  CanUpdateCustomerEmail: 'bank',
  CanUpdateCustomerIdentity: 'bank',
  CanUpdateCustomerMobilePhoneNumber: 'bank',
  CanUpdateCustomerNumber: 'bank',
} as const satisfies Record<RoleName, 'bank' | 'system'>;

// The other direction: a role in this map that the schema does not list fails to compile here.
const _everyScopedRoleIsNamed: Record<keyof typeof ROLE_SCOPES, RoleName> = Object.fromEntries(
  Object.keys(ROLE_SCOPES).map((r) => [r, r]),
) as Record<keyof typeof ROLE_SCOPES, RoleName>;
void _everyScopedRoleIsNamed;

export const ALL_ROLE_NAMES = (Object.keys(ROLE_SCOPES) as RoleName[]).sort();

export const isBankRole = (role: RoleName): boolean => ROLE_SCOPES[role] === 'bank';

/** The bank id an entitlement of `role` is stored under when checked for `bankId`. */
export const roleBankId = (role: RoleName, bankId: string): string => (isBankRole(role) ? bankId : '');

/**
 * 403 OBP-20006 naming every acceptable role, in OBP's wordings: `R1 or R2 for BankId(<id>).` when a listed role is
 * a bank role, `R1 or R2` when all are system roles, and the older hand-written `<Role> at Bank(<id>)` (legacy).
 */
export const missingRoles = (roles: readonly RoleName[], bankId: string, legacy = false): ObpError => {
  if (legacy) return new ObpError(403, `${ObpMessages.UserHasMissingRoles}${roles.join(' or ')} at Bank(${bankId})`);
  const suffix = roles.some(isBankRole) ? ` for BankId(${bankId}).` : '';
  return new ObpError(403, `${ObpMessages.UserHasMissingRoles}${roles.join(' or ')}${suffix}`);
};

/**
 * The 403 of an operation the super admins may also call: OBP's composed wording (addEntitlement's), each
 * alternative after "or": `OBP-20050: Current User is not a Super Admin! orOBP-20006: … <Role> BankId(<id>). or…`.
 */
export const notSuperAdminNorRoles = (roles: readonly RoleName[], bankId: string): ObpError =>
  new ObpError(
    403,
    `${ObpMessages.UserNotSuperAdmin}${roles.map((r) => ` or${ObpMessages.UserHasMissingRoles}${r}${isBankRole(r) ? ` BankId(${bankId}).` : ''}`).join('')}`,
  );
