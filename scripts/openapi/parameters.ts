// Parameters of the document's operations: path parameters with their bounds, the list parameters, and the
// Idempotency-Key header — each stated as the server reads it (functions/http/paging.ts, .../idempotency.ts).
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET } from '../../functions/http/paging';
import { pathParameters, type Operation } from '../../functions/common/operations';
import type { JsonObject } from './types';

const ID_SYNTAX = '^[A-Za-z0-9\\-._]+$';

/** Every path parameter, bounded: no value outside these bounds can name anything that exists. */
export const PATH_PARAMETERS: Record<string, { description: string; schema: JsonObject }> = {
  BANK_ID: {
    description: 'The bank id (4 to 16 characters of letters, digits, `-`, `.`, `_`: what createBank accepts).',
    schema: { type: 'string', minLength: 4, maxLength: 16, pattern: ID_SYNTAX, examples: ['gh.29.uk'] },
  },
  CUSTOMER_ID: {
    description: "The customer's id (customer_id of createCustomer).",
    schema: { type: 'string', minLength: 1, maxLength: 36, pattern: ID_SYNTAX, examples: ['7uy8a7e4-6d02-40e3-a129-0b2bf89de8uh'] },
  },
  USER_ID: {
    description: "The user's id: the `sub` of the user's token (1 to 255 characters, no control characters).",
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f]+$', examples: ['alice'] },
  },
  ENTITLEMENT_ID: {
    description: "The entitlement's id (entitlement_id of addEntitlement or getEntitlements).",
    schema: { type: 'string', minLength: 1, maxLength: 36, pattern: ID_SYNTAX, examples: ['6fb17583-1e49-4435-bb74-a14fe0996723'] },
  },
  USER_CUSTOMER_LINK_ID: {
    description: "The link's id (user_customer_link_id of createUserCustomerLink).",
    schema: { type: 'string', minLength: 1, maxLength: 36, pattern: ID_SYNTAX, examples: ['9ca9a7e4-6d02-40e3-a129-0b2bf89de9b1'] },
  },
};

export const pathParameterObjects = (op: Operation): JsonObject[] =>
  pathParameters(op).map((name) => {
    const known = PATH_PARAMETERS[name];
    if (!known) throw new Error(`OpenAPI: path parameter ${name} of ${op.name} has no description and bounds in scripts/openapi/parameters.ts`);
    return { name, in: 'path', required: true, description: known.description, schema: known.schema };
  });

const QUERY_DATE = 'yyyy-MM-ddTHH:mm:ss.SSSZ (OBP), any RFC 3339 date-time, or yyyy-MM-dd (midnight UTC)';

/** The list parameters (OBP's names), in the order the server checks them. */
export const LIST_PARAMETERS: JsonObject[] = [
  {
    name: 'sort_direction',
    in: 'query',
    description: 'By creation time (or the list\'s documented order): `DESC` (the default) or `ASC`, any case. Otherwise 400 `OBP-10016 … <- OBP-10023`.',
    schema: { type: 'string', pattern: '^([Aa][Ss][Cc]|[Dd][Ee][Ss][Cc])$', default: 'DESC', examples: ['ASC'] },
  },
  {
    name: 'from_date',
    in: 'query',
    description: `Only items created at or after this instant: ${QUERY_DATE}. Otherwise 400 \`OBP-10016 … <- OBP-10026\`.`,
    schema: { type: 'string', maxLength: 40, examples: ['2024-01-01T00:00:00.000Z'] },
  },
  {
    name: 'to_date',
    in: 'query',
    description: `Only items created at or before this instant: ${QUERY_DATE}. Otherwise 400 \`OBP-10016 … <- OBP-10026\`.`,
    schema: { type: 'string', maxLength: 40, examples: ['2024-12-31T23:59:59.999Z'] },
  },
  {
    name: 'limit',
    in: 'query',
    description: `Items per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}). Otherwise 400 \`OBP-10016 … <- OBP-10025\`.`,
    schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
  },
  {
    name: 'offset',
    in: 'query',
    description: `Items to skip, 0 to ${MAX_OFFSET} (default 0); not together with \`cursor\`. Page further with the \`Link\` header's cursor. Otherwise 400 \`OBP-10016 … <- OBP-10024\`.`,
    schema: { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 },
  },
  {
    name: 'cursor',
    in: 'query',
    description:
      'Where the next page starts: copy it from the previous page\'s `Link: <…>; rel="next"` header (or follow that URL). Valid only for the list and filters it came from; otherwise 400 `OBP-10016`.',
    schema: { type: 'string', maxLength: 4096 },
  },
];

export const IDEMPOTENCY_KEY_PARAMETER: JsonObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe (IETF draft-ietf-httpapi-idempotency-key-header): a repeat with the same key and the same body, by the same user on the same path, within 24 hours, answers the first success again (`Idempotent-Replayed: true`) and changes nothing. The same key with another body is 422; while the first request with it is still being written, 409. 1 to 255 visible ASCII characters, else 400 `OBP-10060`. A UUID per logical request is a good key.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$', examples: ['6f6b1f3a-9b6e-4c8e-8f2e-2f1d6c0b9a10'] },
};
