// The HTTP API's $default route in AWS: any path no operation serves gets OBP's 404 body (as the local server
// answers), instead of API Gateway's own {"message":"Not Found"}. Not an OBP operation; no table, no token.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { renderResult } from '../http/middleware/respond';
import { unknownRoute } from '../common/obp-errors';

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const error = unknownRoute(event.rawPath, event.headers?.['content-type']);
  return renderResult(error.status, error.body, event.requestContext.requestId);
};
