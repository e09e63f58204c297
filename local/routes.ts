// The routes of the operations list, for the local server: every version-prefixed path of every operation.
import { handlerEntry, operationPaths, OPERATIONS, type Operation } from '../functions/common/operations';

export interface Route {
  operation: Operation;
  method: string;
  /** The path template under its prefix, e.g. /obp/v5.0.0/banks/{BANK_ID}/customers */
  template: string;
  entry: string;
  match: (path: string) => Record<string, string> | undefined;
}

const compile = (template: string): Route['match'] => {
  const names: string[] = [];
  const pattern = template.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}/?$`);
  return (path) => {
    const m = regex.exec(path);
    if (!m) return undefined;
    return Object.fromEntries(names.map((n, i) => [n, safeDecode(m[i + 1] as string)]));
  };
};

const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export const ROUTES: Route[] = OPERATIONS.flatMap((operation) =>
  operationPaths(operation).map((template) => ({
    operation,
    method: operation.method,
    template,
    entry: handlerEntry(operation),
    match: compile(template),
  })),
);

/** The route of an operation under one of its version-prefixed path templates. */
export const routeOf = (operation: Operation, template: string): Route => {
  const route = ROUTES.find((r) => r.operation.name === operation.name && r.template === template);
  if (!route) throw new Error(`${operation.name} has no route ${template}`);
  return route;
};

/** The route for a request, preferring literal segments over parameters (as API Gateway does). */
export const findRoute = (method: string, path: string): { route: Route; params: Record<string, string> } | undefined => {
  const candidates = ROUTES.filter((r) => r.method === method)
    .map((route) => ({ route, params: route.match(path) }))
    .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== undefined);
  candidates.sort((a, b) => Object.keys(a.params).length - Object.keys(b.params).length);
  return candidates[0];
};
