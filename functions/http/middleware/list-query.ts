// The list parameters (functions/http/paging.ts), read after the bank, role and customer checks as OBP does, so a
// caller without the role learns nothing from them.
import type { MiddlewareObj } from '@middy/core';
import { readListQuery } from '../paging';
import type { ObpEvent, ObpResult } from '../state';

export const listQuery = (): MiddlewareObj<ObpEvent, ObpResult> => ({
  before: (request) => {
    const { event } = request;
    const { obp } = event;
    // The list's identity: the operation, its path's ids, and (for lists of the caller's own) the caller.
    const identity = [obp.operation.name, ...Object.entries(obp.params).sort(([a], [b]) => (a < b ? -1 : 1)).flat(), obp.userId ?? ''];
    const { page, binding } = readListQuery(event.rawQueryString ?? '', identity);
    obp.page = page;
    obp.pageBinding = binding;
  },
});
