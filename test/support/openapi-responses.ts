// Every response the tests receive is checked against the OpenAPI document (test/support/openapi-check.ts): a test
// that gets an answer the document does not describe fails.
import type { InvokeResult } from '../../local/invoke';
import { buildOpenApi } from '../../scripts/openapi';
import { createResponseChecker, type ResponseChecker } from './openapi-check';

let checker: ResponseChecker | undefined;

/** The problems of one answer (none when the document describes it). */
export const undocumented = (result: Pick<InvokeResult, 'route' | 'status' | 'text'>): string[] => {
  checker ??= createResponseChecker(buildOpenApi());
  return checker(result.route.method, result.route.template, result.status, result.text);
};

export const expectDocumented = (result: InvokeResult): void => {
  const problems = undocumented(result);
  if (problems.length > 0) throw new Error(`The answer does not match the OpenAPI document: ${problems.join('; ')}\n${result.text.slice(0, 500)}`);
};
