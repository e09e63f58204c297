// What the middleware chain learns about a request, and the state a handler receives, typed from the operations
// list: the body's type comes from its schema, `bank` is there when the path has BANK_ID, `customer` when it has
// CUSTOMER_ID, `userId` when the operation needs a logged-in user, `params` holds exactly the path's parameters.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { MiddyfiedHandler, Request } from '@middy/core';
import type { SchemaTypes } from '../../generated/types';
import type { PageRequest, Position } from '../data/paging';
import type { AlsoWrite } from '../data/transactions';
import type { BankRecord, CustomerRecord } from '../data/records';
import type { Operation, OPERATION_DEFINITIONS, OperationName } from '../common/operations';
import type { RoleName } from '../common/roles';

type Operations = (typeof OPERATION_DEFINITIONS)[number];
export type OperationOf<N extends OperationName> = Extract<Operations, { name: N }>;

type ParamsIn<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamsIn<Rest> : never;
type PathHas<N extends OperationName, P extends string> = P extends ParamsIn<OperationOf<N>['path']> ? true : false;

type SchemaType<S> = S extends keyof SchemaTypes ? SchemaTypes[S] : never;
export type BodyOf<N extends OperationName> = OperationOf<N> extends { body: { schema: infer S } } ? SchemaType<S> : undefined;
export type ResponseOf<N extends OperationName> = OperationOf<N> extends { response: { schema: infer S } } ? SchemaType<S> : undefined;

/** What every request has, whatever the operation. */
export interface BaseState {
  operation: Operation;
  /** The platform's request id (API Gateway's, or the local server's): the one in logs and in 500 messages. */
  requestId: string;
  /** The caller's x-request-id, when sane: logged beside the platform's id, never instead of it. */
  clientRequestId?: string;
  /** The request path as sent (rawPath) and its query parameters. */
  path: string;
  query: Record<string, string>;
  heldRoles: RoleName[];
  idempotency?: IdempotencyState;
}

/** The state a handler receives: everything the chain checked, typed for that operation. */
export type ObpState<N extends OperationName> = BaseState & {
  params: { [K in ParamsIn<OperationOf<N>['path']>]: string };
  body: BodyOf<N>;
} & (OperationOf<N>['auth'] extends true ? { userId: string; claims: Record<string, unknown> } : unknown) &
  (PathHas<N, 'BANK_ID'> extends true ? { bank: BankRecord } : unknown) &
  // Roles held at the body's bank: the bank as the first read found it, if it exists (the operation decides).
  (OperationOf<N> extends { roleScope: 'body' } ? { bank?: BankRecord } : unknown) &
  (PathHas<N, 'CUSTOMER_ID'> extends true ? { customer: CustomerRecord } : unknown) &
  (OperationOf<N> extends { list: true } ? { page: PageRequest } : unknown) &
  (OperationOf<N> extends { prefetch: string } ? { prefetched: Prefetched; peekedCustomerNumber?: string } : unknown);

/** Items the request's first read fetched for the operation (its `prefetch` in the operations list), absent when not found. */
export type Prefetched = Record<string, Record<string, unknown> | undefined>;

/** The state while the chain builds it: every part optional until its middleware has run. */
export interface DraftState extends BaseState {
  params: Record<string, string>;
  userId?: string;
  claims?: Record<string, unknown>;
  bank?: BankRecord;
  customer?: CustomerRecord;
  body?: unknown;
  /** The body's text as sent (decoded when base64), kept for the number check of validateBody. */
  bodyText?: string;
  /** A body parse error held back until the Idempotency-Key replay check has run (its place in the check order). */
  bodyError?: Error;
  page?: PageRequest;
  pageBinding?: string;
  prefetched?: Prefetched;
  /** The customer number the first read looked up (getCustomerByNumber), as normalised from a look at the body. */
  peekedCustomerNumber?: string;
}

/** A request that carries an Idempotency-Key (functions/http/middleware/idempotency.ts). */
export interface IdempotencyState {
  /** The key as sent; undefined when the header is malformed (refused at its place in the check order). */
  key?: string;
  problem?: string;
  recordKey?: { PK: string; SK: string };
  /** What the request stores with its write: the domain calls it with the answer (functions/domain/write-context.ts). */
  recordReply?: (body: unknown) => AlsoWrite;
}

/** The ids a successful write touched, for its audit log line (no personal data: ids only). */
export type Audit = Partial<Record<'bank_id' | 'customer_id' | 'user_id' | 'role_name' | 'entitlement_id' | 'user_customer_link_id' | 'message_id', string>> & {
  /** Fields an update changed, by name (never their values). */
  fields?: string[];
  /** Roles a write granted on the side (createBank grants its creator two), so an access review from the logs sees them. */
  grants?: { user_id: string; role_name: string; entitlement_id: string }[];
};

/** What a handler returns: the body of its operation's success status (the status comes from the operations list). */
export interface Reply<B = unknown> {
  body: B;
  headers?: Record<string, string>;
  /** A list page's last position when more items follow: rendered as the Link header's cursor. */
  next?: Position;
  /** What a write touched: logged as one audit line (functions/http/middleware/respond.ts). */
  audit?: Audit;
}

export type Handle<N extends OperationName> = (obp: ObpState<N>) => Promise<Reply<ResponseOf<N>>>;

export type ObpEvent = APIGatewayProxyEventV2 & { obp: DraftState };
export type ObpResult = APIGatewayProxyStructuredResultV2;
export type ObpRequest = Request<ObpEvent, ObpResult, Error, Context>;
export type LambdaHandler = MiddyfiedHandler<APIGatewayProxyEventV2, ObpResult, Error, Context>;
