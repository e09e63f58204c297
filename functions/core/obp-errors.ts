// The OBP error catalogue: every error body this API sends starts with one of these exact base texts
// (reference/obp-behaviour.md §3). Suffixes say what exactly was wrong.

export const ObpMessages = {
  InvalidJsonFormat: 'OBP-10001: Incorrect json format.',
  IncorrectRoleName: 'OBP-10007: Incorrect Role name:',
  InvalidJsonContent: 'OBP-10020: Incorrect json.',
  InvalidUri:
    'OBP-10404: 404 Not Found. The server could not find the requested URI. Please double check your URL, headers and body. Note: When you are making a POST or PUT request, the Content-Type header MUST be `application/json`. Note: OBP only supports JSON formatted bodies.',
  UserNotLoggedIn: 'OBP-20001: User not logged in. Authentication is required!',
  UserHasMissingRoles: 'OBP-20006: User is missing one or more roles: ',
  InvalidValueLength: 'OBP-20010: Value too long.',
  InvalidValueCharacters: 'OBP-20011: Value contains invalid characters.',
  UserNotSuperAdmin: 'OBP-20050: Current User is not a Super Admin!',
  BankNotFound: 'OBP-30001: Bank not found. Please specify a valid value for BANK_ID.',
  CustomerNotFound: 'OBP-30002: Customer not found. Please specify a valid value for CUSTOMER_NUMBER.',
  CustomerNumberAlreadyExists:
    'OBP-30006: Customer Number already exists. Please specify a different value for BANK_ID or CUSTOMER_NUMBER.',
  CustomerAlreadyExistsForUser: 'OBP-30007: The User is already linked to a Customer at the bank specified by BANK_ID',
  UserCustomerLinksNotFoundForUser: 'OBP-30008: User Customer Link not found by USER_ID',
  CustomerNotFoundByCustomerId: 'OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.',
  EntitlementIsBankRole: 'OBP-30205: This entitlement is a Bank Role. Please set bank_id to a valid bank id.',
  EntitlementIsSystemRole: 'OBP-30206: This entitlement is a System Role. Please set bank_id to empty string.',
  EntitlementAlreadyExists: 'OBP-30216: Entitlement already exists for the user.',
  BankIdAlreadyExists: 'OBP-34000: Bank Id already exists. Please specify a different value.',
  UnknownError: 'OBP-50000: Unknown Error.',
} as const;

/** An error the client is meant to see: HTTP status plus an OBP message. */
export class ObpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ObpError';
  }
}

export const invalidJson = (detail: string): ObpError => new ObpError(400, `${ObpMessages.InvalidJsonFormat} ${detail}`);

export const notLoggedIn = (reason?: string): ObpError =>
  new ObpError(401, reason ? `${ObpMessages.UserNotLoggedIn} ${reason}` : ObpMessages.UserNotLoggedIn, {
    'www-authenticate': reason ? 'Bearer error="invalid_token"' : 'Bearer',
  });

export const bankNotFound = (bankId: string): ObpError =>
  new ObpError(404, `${ObpMessages.BankNotFound} Current BankId is ${bankId}`);

export const customerNotFoundById = (customerId: string): ObpError =>
  new ObpError(404, `${ObpMessages.CustomerNotFoundByCustomerId}. Current CustomerId(${customerId})`);

export const unknownRoute = (path: string, contentType: string | undefined): ObpError =>
  new ObpError(404, `${ObpMessages.InvalidUri}Current Url is (${path}), Current Content-Type Header is (${contentType ?? ''})`);
