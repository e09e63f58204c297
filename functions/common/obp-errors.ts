// The OBP error catalogue and the one builder of error bodies. Every error this API sends starts with one of these
// base texts: OBP's exact text where OBP has the error (docs/design.md, "Errors"), and for the few failures OBP has
// no error for (Idempotency-Key) codes of this product, from a block OBP's catalogue leaves free. Suffixes say what
// exactly was wrong.

export const ObpMessages = {
  InvalidJsonFormat: 'OBP-10001: Incorrect json format.',
  IncorrectRoleName: 'OBP-10007: Incorrect Role name:',
  InvalidFilterParameterFormat: 'OBP-10016: Incorrect filter Parameters in URL. ',
  InvalidJsonContent: 'OBP-10020: Incorrect json.',
  FilterSortDirectionError: 'OBP-10023: obp_sort_direction parameter can only take two values: DESC or ASC!',
  FilterOffsetError: 'OBP-10024: wrong value for obp_offset parameter. Please send a positive integer (=>0)!',
  FilterLimitError: 'OBP-10025: wrong value for obp_limit parameter. Please send a positive integer (=>1)!',
  FilterDateFormatError: "OBP-10026: Failed to parse date string. Please use this format yyyy-MM-dd'T'HH:mm:ss.SSS'Z'!",
  InvalidIdempotencyKey: 'OBP-10060: Invalid Idempotency-Key header.',
  IdempotencyKeyReused: 'OBP-10061: The Idempotency-Key was already used for another request.',
  IdempotencyKeyInProgress: 'OBP-10062: A request with this Idempotency-Key is still in progress.',
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
  CreateUserCustomerLinksError: 'OBP-30025: Could not create user_customer_links ',
  UserCustomerLinkNotFound: 'OBP-30035: User Customer Link not found',
  CustomerNotFoundByCustomerId: 'OBP-30046: Customer not found. Please specify a valid value for CUSTOMER_ID.',
  EntitlementIsBankRole: 'OBP-30205: This entitlement is a Bank Role. Please set bank_id to a valid bank id.',
  EntitlementIsSystemRole: 'OBP-30206: This entitlement is a System Role. Please set bank_id to empty string.',
  EntitlementNotFound: 'OBP-30212: EntitlementId not found',
  UserDoesNotHaveEntitlement: 'OBP-30213: USER_ID does not have the ENTITLEMENT_ID.',
  EntitlementAlreadyExists: 'OBP-30216: Entitlement already exists for the user.',
  BankIdAlreadyExists: 'OBP-34000: Bank Id already exists. Please specify a different value.',
  UnknownError: 'OBP-50000: Unknown Error.',
} as const;

/** OBP's error body. */
export interface ObpErrorBody {
  code: number;
  message: string;
}

/** The one place an error body is built. */
export const errorBody = (status: number, message: string): ObpErrorBody => ({ code: status, message });

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

  get body(): ObpErrorBody {
    return errorBody(this.status, this.message);
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

/** 400 OBP-10016 with the inner OBP message, composed as OBP does (`… URL.  <- OBP-100NN: …`). */
export const invalidFilter = (inner: string): ObpError => new ObpError(400, `${ObpMessages.InvalidFilterParameterFormat} <- ${inner}`);

/** The 500 every unexpected failure becomes: no internals, the platform's request id (also in the logs). */
export const unknownError = (requestId: string): ObpError => new ObpError(500, `${ObpMessages.UnknownError} Request id: ${requestId}`);
