// The roles this API knows (reference/obp-behaviour.md §4). A bank role is held at one bank; a system role is
// held with bank_id "".

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
} as const satisfies Record<string, 'bank' | 'system'>;

export type RoleName = keyof typeof ROLE_SCOPES;

export const ALL_ROLE_NAMES = (Object.keys(ROLE_SCOPES) as RoleName[]).sort();

export const isRoleName = (name: string): name is RoleName => Object.hasOwn(ROLE_SCOPES, name);

export const isBankRole = (role: RoleName): boolean => ROLE_SCOPES[role] === 'bank';

/** The bank id an entitlement of `role` is stored under when checked for `bankId`. */
export const roleBankId = (role: RoleName, bankId: string): string => (isBankRole(role) ? bankId : '');
