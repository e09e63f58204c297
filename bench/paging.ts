// Figure 3: paging is O(page). One customer with 10,000 messages and one with 100; the first page of each, a page
// reached by cursor after 9,900 messages on the big one and the page reached by cursor on the small one, measured
// in the same rounds (interleaved): latency, items DynamoDB read, read units, response bytes.
import type { DevTokenIssuer } from '../local/dev-tokens';
import { insertEntitlement } from '../functions/data/entitlements-repository';
import { documentClient } from '../functions/data/table-client';
import { createBank } from '../functions/domain/banks';
import { createCustomer } from '../functions/domain/customers';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../functions/http/paging';
import { unitsOf } from './capacity';
import { attachRecorder } from './ddb-recorder';
import { invoke, prepareCall } from './invoke';
import { verdict, type BarCheck, type FigureResult } from './report';
import { formatSummary, pairwiseRatios, summarize } from './stats';
import { seedMessages, uid } from './workload';

export const MAX_PAGE_RATIO = 1.5;
const BIG = 10_000;
const SMALL = 100;
const DEEP = 9_900;
const ROUNDS = 25;
const TRIES = 3;

interface PageSample {
  ms: number;
  scanned: number;
  readUnits: number;
  bytes: number;
  items: number;
  first: string;
}

const cursorOf = (link: string | undefined): string => {
  const url = /^<([^>]+)>;\s*rel="next"$/.exec(link ?? '')?.[1];
  const cursor = url ? new URL(url, 'http://x').searchParams.get('cursor') : null;
  if (!cursor) throw new Error(`No next-page cursor in Link: ${link}`);
  return cursor;
};

export const pagingFigure = async (tokens: DevTokenIssuer): Promise<FigureResult> => {
  const bankId = uid('pg');
  const staff = uid('pagestaff');
  const now = () => ({ actor: 'benchsetup', now: new Date() });
  await createBank(now(), { id: bankId, bank_code: 'PAGE' });
  await insertEntitlement({ entitlementId: uid('e'), userId: staff, roleName: 'CanGetCustomerMessages', bankId, createdAt: new Date().toISOString() });
  const body = { legal_name: 'Paging Customer', mobile_phone_number: '+44 07972 444 876' };
  const big = await createCustomer(now(), bankId, body);
  const small = await createCustomer(now(), bankId, body);
  await seedMessages(big, BIG);
  await seedMessages(small, SMALL);

  const token = await tokens.issue({ user_id: staff });
  const recorder = attachRecorder(documentClient());
  const path = (customerId: string, query = '') => `/obp/v5.0.0/banks/${bankId}/customers/${customerId}/messages${query}`;
  const get = async (url: string) => {
    const prepared = await prepareCall('GET', url, { token });
    recorder.take();
    const started = performance.now();
    const result = await invoke(prepared);
    const ms = performance.now() - started;
    const units = unitsOf(recorder.take());
    if (result.status !== 200) throw new Error(`GET ${url} answered ${result.status}: ${JSON.stringify(result.body)}`);
    const messages = result.body.messages as { message: string }[];
    const sample: PageSample = { ms, scanned: units.scanned, readUnits: units.readTable, bytes: result.bytes, items: messages.length, first: messages[0]?.message ?? '' };
    // The seeded messages carry their number: "… (123)".
    const numbers = messages.map((m) => Number(/\((\d+)\)$/.exec(m.message)?.[1]));
    return { sample, link: result.headers.link, numbers };
  };
  /** Every message of a walk by cursor, in the order the pages gave them. */
  const walk = async (customerId: string, query: string, pageSize: number, upTo: number) => {
    const numbers: number[] = [];
    let cursor: string | undefined;
    while (numbers.length < upTo) {
      const size = Math.min(pageSize, upTo - numbers.length);
      const page = await get(path(customerId, `?limit=${size}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
      numbers.push(...page.numbers);
      if (!page.link) break;
      cursor = cursorOf(page.link);
    }
    return { numbers, cursor };
  };
  const inOrder = (got: number[], from: number, step: number, count: number) =>
    got.length === count && got.every((n, i) => n === from + i * step);

  // The cursor after 9,900 messages, by walking the big list with large pages (a cursor is bound to the list, the
  // caller and the filters, not to the page size), and the small list's second page. Each walk must give every
  // message once, in order: newest first by default, oldest first with sort_direction=ASC.
  const deepWalk = await walk(big.customer_id, '', MAX_LIMIT, DEEP);
  const cursor = deepWalk.cursor;
  const ascendingWalk = await walk(small.customer_id, '&sort_direction=ASC', 30, SMALL + 1);
  const smallCursor = cursorOf((await get(path(small.customer_id))).link);

  const pages = {
    smallFirst: path(small.customer_id),
    bigFirst: path(big.customer_id),
    smallCursor: path(small.customer_id, `?cursor=${encodeURIComponent(smallCursor)}`),
    bigDeep: path(big.customer_id, `?cursor=${encodeURIComponent(cursor as string)}`),
  };
  type Page = keyof typeof pages;
  const names = Object.keys(pages) as Page[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as PageSample[]])) as Record<Page, PageSample[]>;
  for (let round = 0; round <= ROUNDS; round++) {
    // Rotate the order every round, so no page always runs first (or right after the same one).
    const order = names.map((_, i) => names[(i + round) % names.length] as Page);
    for (const name of order) {
      // The fastest of a few requests in a row: on a shared machine a single request's time is mostly whether
      // something else ran at that moment; the fastest is the page's own cost.
      let best: PageSample | undefined;
      for (let i = 0; i < TRIES; i++) {
        const { sample } = await get(pages[name]);
        if (!best || sample.ms < best.ms) best = sample;
      }
      if (round > 0) samples[name].push(best as PageSample);
    }
  }

  // Messages were seeded one second apart with their index in the text; newest first, the page after 9,900 starts
  // with message number BIG - DEEP - 1.
  const deepStartsRight = samples.bigDeep.every((s) => s.items === DEFAULT_LIMIT && s.first.endsWith(`(${BIG - DEEP - 1})`));
  const comparisons: { label: string; big: Page; small: Page }[] = [
    { label: 'first page', big: 'bigFirst', small: 'smallFirst' },
    { label: `page by cursor after ${DEEP.toLocaleString('en')} (big) vs by cursor after ${DEFAULT_LIMIT} (small)`, big: 'bigDeep', small: 'smallCursor' },
  ];
  const rows: string[][] = [];
  const checks: BarCheck[] = [];
  for (const c of comparisons) {
    const b = samples[c.big];
    const s = samples[c.small];
    const metrics: { name: string; value: (x: PageSample) => number; digits: number }[] = [
      { name: 'latency ms', value: (x) => x.ms, digits: 1 },
      { name: 'items read', value: (x) => x.scanned, digits: 0 },
      { name: 'read units', value: (x) => x.readUnits, digits: 1 },
      { name: 'response bytes', value: (x) => x.bytes, digits: 0 },
    ];
    for (const metric of metrics) {
      const smallSummary = summarize(s.map(metric.value));
      const bigSummary = summarize(b.map(metric.value));
      // The bar is on the ratio of the medians of the interleaved rounds: one round's pair of single requests is at
      // the mercy of whatever else the shared machine does in that moment; the per-round ratios are shown beside it.
      const ratio = bigSummary.median / smallSummary.median;
      const pass = ratio <= MAX_PAGE_RATIO;
      rows.push([
        c.label,
        metric.name,
        formatSummary(smallSummary, metric.digits),
        formatSummary(bigSummary, metric.digits),
        ratio.toFixed(2),
        formatSummary(summarize(pairwiseRatios(b.map(metric.value), s.map(metric.value))), 2),
        metric.name === 'read units' ? '(shown)' : verdict(pass),
      ]);
      if (metric.name !== 'read units') {
        checks.push({ name: `${c.label}: ${metric.name} ≤ ${MAX_PAGE_RATIO} × the small customer's`, pass, measured: `${ratio.toFixed(2)}×` });
      }
    }
  }
  const atMostLimit = names.every((n) => samples[n].every((x) => x.items <= DEFAULT_LIMIT));
  checks.push({ name: `every page holds at most limit (${DEFAULT_LIMIT}) items`, pass: atMostLimit, measured: atMostLimit ? 'yes' : 'NO' });
  checks.push({ name: `the page after ${DEEP} starts at the ${DEEP + 1}st message`, pass: deepStartsRight, measured: samples.bigDeep[0]?.first ?? 'none' });
  const deepInOrder = inOrder(deepWalk.numbers, BIG - 1, -1, DEEP);
  checks.push({ name: `walking ${DEEP} messages by cursor (newest first, pages of ${MAX_LIMIT}) gives each once, in order`, pass: deepInOrder, measured: `${deepWalk.numbers.length} messages` });
  const ascInOrder = inOrder(ascendingWalk.numbers, 0, 1, SMALL);
  checks.push({ name: `walking all ${SMALL} messages oldest first (pages of 30) gives each once, in order, and ends`, pass: ascInOrder, measured: `${ascendingWalk.numbers.length} messages` });
  return {
    title: `3. Paging is O(page) (bar: ≤ ${MAX_PAGE_RATIO} × the same page of a small list)`,
    method:
      `getCustomerMessages on a customer with ${BIG.toLocaleString('en')} messages and one with ${SMALL}, default page (${DEFAULT_LIMIT}, newest first), in-process against DynamoDB Local. ` +
      `The cursor after ${DEEP.toLocaleString('en')} messages comes from walking the big list with pages of up to ${MAX_LIMIT} (a cursor is bound to list, caller and filters, not to the page size). ` +
      `${ROUNDS} rounds after a warm-up round; each round requests each of the four pages ${TRIES} times in a row and keeps the fastest (latency), in an order that rotates every round. The bar applies to the ratio of the medians (big ÷ small); the round-by-round ratios are shown beside it (median, min–max). ` +
      '"items read" is the Queries\' ScannedCount (each page reads limit + 1 to know whether a next page exists), "read units" DynamoDB Local\'s ConsumedCapacity, "response bytes" the body length. ' +
      'The bar applies to latency, items read and bytes.',
    columns: ['page', 'measure', `${SMALL} messages`, `${BIG.toLocaleString('en')} messages`, 'ratio of medians', 'per-round ratios', 'bar'],
    rows,
    checks,
  };
};
