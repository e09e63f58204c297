// functions/domain/dates.ts: request dates (RFC 3339 or plain yyyy-MM-dd) and OBP's response rendering (docs/design.md, "Dates").
import { normaliseRequestDate, parseRequestDate, renderObpDate } from '../../functions/domain/dates';

describe('parseRequestDate', () => {
  it.each([
    ['2013-01-21T23:08:00Z', Date.UTC(2013, 0, 21, 23, 8, 0)],
    ['2023-11-14T18:28:59.077Z', Date.UTC(2023, 10, 14, 18, 28, 59, 77)],
    ['2013-01-21T23:08:00+01:00', Date.UTC(2013, 0, 21, 22, 8, 0)],
    ['2013-01-21T23:08:00-02:30', Date.UTC(2013, 0, 22, 1, 38, 0)],
    ['2013-01-21t23:08:00z', Date.UTC(2013, 0, 21, 23, 8, 0)],
    ['2013-01-21 23:08:00Z', Date.UTC(2013, 0, 21, 23, 8, 0)],
    ['2018-03-09', Date.UTC(2018, 2, 9)],
    ['1100-01-01', Date.UTC(1100, 0, 1)],
    ['2012-02-29', Date.UTC(2012, 1, 29)],
  ])('%s → %i ms', (text, millis) => {
    expect(parseRequestDate(text)).toBe(millis);
  });

  it('reads a plain date as midnight UTC, whatever the process time zone', () => {
    expect(new Date(parseRequestDate('2018-03-09')).toISOString()).toBe('2018-03-09T00:00:00.000Z');
  });

  it.each(['yesterday', '', '21/01/2013', '2013-13-01T00:00:00Z', '2013-01-32'])('%p is NaN', (text) => {
    expect(parseRequestDate(text)).toBeNaN();
  });
});

describe('renderObpDate', () => {
  it.each([
    [Date.UTC(2023, 10, 14, 18, 28, 59, 77), '2023-11-14T18:28:59Z'],
    [Date.UTC(2023, 10, 14, 18, 28, 59, 999), '2023-11-14T18:28:59Z'],
    [Date.UTC(1100, 0, 1), '1100-01-01T00:00:00Z'],
    [0, '1970-01-01T00:00:00Z'],
    [Date.UTC(1969, 11, 31, 23, 59, 59, 500), '1969-12-31T23:59:59Z'],
    [Date.UTC(9999, 11, 31, 23, 59, 59), '9999-12-31T23:59:59Z'],
  ])('%i → %s (yyyy-MM-ddTHH:mm:ssZ, UTC, fractions dropped)', (millis, text) => {
    expect(renderObpDate(millis)).toBe(text);
    expect(renderObpDate(millis)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});

describe('normaliseRequestDate', () => {
  it.each([
    ['2013-01-21T23:08:00Z', '2013-01-21T23:08:00Z'],
    ['2023-11-14T18:28:59.077Z', '2023-11-14T18:28:59Z'],
    ['2013-01-21T23:08:00+01:00', '2013-01-21T22:08:00Z'],
    ['2013-12-31T23:30:00-01:00', '2014-01-01T00:30:00Z'],
    ['2018-03-09', '2018-03-09T00:00:00Z'],
  ])('%s → %s', (text, rendered) => {
    expect(normaliseRequestDate(text)).toBe(rendered);
  });

  it('is idempotent on its own output', () => {
    const once = normaliseRequestDate('2023-11-14T18:28:59.077+05:30') as string;
    expect(normaliseRequestDate(once)).toBe(once);
  });

  it.each(['yesterday', '2013-13-01T00:00:00Z', '2016-12-31T23:59:60Z'])('%p → undefined (no real instant)', (text) => {
    expect(normaliseRequestDate(text)).toBeUndefined();
  });
});
