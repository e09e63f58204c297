// missingRoles: the OBP-20006 wordings OBP uses (docs/design.md, "Errors").
import { missingRoles } from '../../functions/common/roles';

const missingRolesMessage = (...args: Parameters<typeof missingRoles>): string => {
  const error = missingRoles(...args);
  expect(error.status).toBe(403);
  return error.message;
};

describe('missingRoles', () => {
  it('lists every role with "or" and the bank, ending with a period, when a listed role is bank-scoped', () => {
    expect(missingRolesMessage(['CanCreateCustomer', 'CanCreateCustomerAtAnyBank'], 'gh.29.uk')).toBe(
      'OBP-20006: User is missing one or more roles: CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(gh.29.uk).',
    );
    expect(missingRolesMessage(['CanCreateUserCustomerLinkAtAnyBank', 'CanCreateUserCustomerLink'], 'b1')).toBe(
      'OBP-20006: User is missing one or more roles: CanCreateUserCustomerLinkAtAnyBank or CanCreateUserCustomerLink for BankId(b1).',
    );
    expect(missingRolesMessage(['CanCreateCustomerMessage'], 'b1')).toBe(
      'OBP-20006: User is missing one or more roles: CanCreateCustomerMessage for BankId(b1).',
    );
  });

  it('has no suffix when every listed role is a system role', () => {
    expect(missingRolesMessage(['CanCreateBank'], '')).toBe('OBP-20006: User is missing one or more roles: CanCreateBank');
    expect(missingRolesMessage(['CanGetEntitlementsForAnyUserAtAnyBank'], 'b1')).toBe(
      'OBP-20006: User is missing one or more roles: CanGetEntitlementsForAnyUserAtAnyBank',
    );
  });

  it('shows an empty bank id as BankId() when there is no BANK_ID', () => {
    expect(missingRolesMessage(['CanGetEntitlementsForAnyUserAtOneBank'], '')).toBe(
      'OBP-20006: User is missing one or more roles: CanGetEntitlementsForAnyUserAtOneBank for BankId().',
    );
  });

  it("uses the older hand-written wording '<Role> at Bank(<id>)' (no period) for legacy operations", () => {
    expect(missingRolesMessage(['CanGetCustomer'], 'gh.29.uk', true)).toBe('OBP-20006: User is missing one or more roles: CanGetCustomer at Bank(gh.29.uk)');
  });
});
