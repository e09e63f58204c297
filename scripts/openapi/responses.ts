// The answers an operation can give besides its success, derived from what its entry in the operations list says
// it checks (the chain's check order, functions/http/handler.ts), so the document lists exactly where each occurs.
import { pathParameters, takesIdempotencyKey, type Operation } from '../../functions/common/operations';
import type { JsonObject } from './types';

export const ERROR_RESPONSES: Record<number, { name: string; description: string; example: string }> = {
  400: {
    name: 'BadRequest',
    description:
      'The body is not JSON or does not match its schema (`OBP-10001`, `OBP-10020`), a list parameter or cursor is not valid (`OBP-10016`), the Idempotency-Key header is malformed (`OBP-10060`), or a business rule refused the request (e.g. `OBP-30006`, `OBP-30008`, `OBP-30035`, `OBP-34000`).',
    example: 'OBP-10001: Incorrect json format. The Json body should be the PostCustomerJsonV500: legal_name is required.',
  },
  401: {
    name: 'Unauthorized',
    description: 'No token, or one that is malformed, badly signed, expired, not an access token, or for another issuer or audience.',
    example: 'OBP-20001: User not logged in. Authentication is required!',
  },
  403: {
    name: 'Forbidden',
    description: 'The caller holds none of the roles the operation accepts (the message names every acceptable role).',
    example: 'OBP-20006: User is missing one or more roles: CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(gh.29.uk).',
  },
  404: {
    name: 'NotFound',
    description:
      'The bank (`OBP-30001`), the customer (`OBP-30046`, `OBP-30002`) or the entitlement (`OBP-30212`) does not exist (at this bank), or no route matches the method, path and content type (`OBP-10404`; send `Content-Type: application/json`).',
    example: 'OBP-30001: Bank not found. Please specify a valid value for BANK_ID. Current BankId is gh.29.uk',
  },
  409: {
    name: 'Conflict',
    description: 'A request with the same Idempotency-Key is still being written (`OBP-10062`): retry in a moment with the same key.',
    example: 'OBP-10062: A request with this Idempotency-Key is still in progress. Retry in a moment with the same key.',
  },
  422: {
    name: 'UnprocessableContent',
    description: 'The Idempotency-Key was used for a request with another body (`OBP-10061`); nothing was written.',
    example: 'OBP-10061: The Idempotency-Key was already used for another request. Send a new Idempotency-Key for a new request.',
  },
  500: {
    name: 'InternalError',
    description: "An unexpected failure. No internals are shown; the platform's request id is in the message, the X-Request-Id header and the logs.",
    example: 'OBP-50000: Unknown Error. Request id: 6a4b5c0e-1d2f-4a3b-9c8d-7e6f5a4b3c2d',
  },
};

/** API Gateway answers 429 itself when a stage or route throttle is exceeded (in AWS; the local server never does). */
export const TOO_MANY_REQUESTS = {
  name: 'TooManyRequests',
  description: "Throttled by API Gateway (the stage's or the route's rate or burst limit): its own body, not an OBP error. Retry later, with backoff.",
  schema: { type: 'object', required: ['message'], properties: { message: { type: 'string', const: 'Too Many Requests' } } },
};

/** The error statuses an operation can answer, from what its definition says it checks. */
export const errorStatuses = (op: Operation, hasPermission: boolean): number[] => {
  const statuses = new Set<number>([429, 500]);
  const params = pathParameters(op);
  if (op.body) statuses.add(400).add(404); // invalid body; a non-JSON content type matches no route (OBP-10404)
  if (op.list) statuses.add(400);
  if (op.auth) statuses.add(401);
  if (hasPermission) statuses.add(403);
  if (params.some((p) => p === 'BANK_ID' || p === 'CUSTOMER_ID')) statuses.add(404);
  if (op.prefetch === 'entitlement') statuses.add(404).add(400); // OBP-30212, OBP-30213
  if (op.prefetch === 'link') statuses.add(400); // OBP-30035
  if (takesIdempotencyKey(op)) statuses.add(400).add(409).add(422);
  return [...statuses].sort((a, b) => a - b);
};

export const errorResponseRef = (status: number): JsonObject =>
  status === 429 ? { $ref: `#/components/responses/${TOO_MANY_REQUESTS.name}` } : { $ref: `#/components/responses/${ERROR_RESPONSES[status]?.name}` };
