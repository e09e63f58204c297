// What the middleware chain learns about a request, in the order it learns it.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { MiddyfiedHandler, Request } from '@middy/core';
import type { RoleName } from './roles';
import type { Operation } from '../operations';
import type { BankRecord, CustomerRecord } from '../data/records';

export interface ObpState {
  operation: Operation;
  /** Correlation id: the caller's x-request-id when sane, else the API Gateway request id. */
  requestId: string;
  /** The token's `sub` (set by authenticate for operations that need a user). */
  userId?: string;
  claims?: Record<string, unknown>;
  bank?: BankRecord;
  /** The path's CUSTOMER_ID, if it exists and belongs to the path's bank. */
  customer?: CustomerRecord;
  heldRoles: RoleName[];
  /** The parsed (and, after validation, schema-valid) JSON body. */
  body?: unknown;
}

export type ObpEvent = APIGatewayProxyEventV2 & { obp: ObpState };
export type ObpResult = APIGatewayProxyStructuredResultV2;
export type ObpRequest = Request<ObpEvent, ObpResult, Error, Context>;
export type ObpHandler = MiddyfiedHandler<APIGatewayProxyEventV2, ObpResult, Error, Context>;

export const pathParam = (event: ObpEvent, name: string): string | undefined => event.pathParameters?.[name];
