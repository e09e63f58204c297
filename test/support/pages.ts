// Walking a paged list the way a client does: request a page, then follow its `Link: <…>; rel="next"` header until
// a page has none (docs/design.md, "Lists and paging").
import { call, type ApiResponse, type CallOptions } from './api';

const NEXT = /^<([^>]+)>; rel="next"$/;

/** The URL (path and query) of the next page, or undefined when the response has no Link header. */
export const nextPageUrl = (res: ApiResponse): string | undefined => {
  const link = res.headers.link;
  if (link === undefined) return undefined;
  const match = NEXT.exec(link);
  if (!match) throw new Error(`Link header is not one rel="next" link: ${link}`);
  return match[1];
};

/** The query parameters of a URL (path and query). */
export const queryOf = (url: string): URLSearchParams => new URL(url, 'http://test.invalid').searchParams;

export interface Walk {
  pages: ApiResponse[];
  /** Every page's items, in the order the pages gave them. */
  items: any[];
}

/**
 * Follows the Link headers from `firstUrl` and returns every page. Every page must be a 200, and a page that leads
 * to another must hold exactly `limit` items (checked when `limit` is given). `beforeEachNext` runs between pages
 * (to insert items while a walk is under way).
 */
export const walkPages = async (
  firstUrl: string,
  itemsKey: string,
  as: CallOptions['as'],
  options: { limit?: number; maxPages?: number; beforeEachNext?: (pageNumber: number) => Promise<void> } = {},
): Promise<Walk> => {
  const pages: ApiResponse[] = [];
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    if (pages.length >= (options.maxPages ?? 1000)) throw new Error(`more than ${options.maxPages ?? 1000} pages from ${firstUrl}`);
    const res = await call('GET', url, { as });
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    pages.push(res);
    url = nextPageUrl(res);
    const count = (res.body[itemsKey] as unknown[]).length;
    if (options.limit !== undefined && count > options.limit) throw new Error(`page ${pages.length} of ${firstUrl} has ${count} items, over ${options.limit}`);
    if (url !== undefined && options.limit !== undefined && count !== options.limit) {
      throw new Error(`page ${pages.length} of ${firstUrl} has a next page but ${count} items, not ${options.limit}`);
    }
    if (url !== undefined && options.beforeEachNext) await options.beforeEachNext(pages.length);
  }
  return { pages, items: pages.flatMap((p) => p.body[itemsKey] as unknown[]) };
};
