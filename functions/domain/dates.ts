// Request dates are RFC 3339 (any offset, optional fractions) or plain yyyy-MM-dd (midnight UTC); the schema has
// already checked their shape and calendar validity. Responses render yyyy-MM-ddTHH:mm:ssZ in UTC.

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Milliseconds since the epoch, or NaN when the text is no real instant. */
export const parseRequestDate = (text: string): number =>
  Date.parse(PLAIN_DATE.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T').toUpperCase());

export const renderObpDate = (epochMillis: number): string => `${new Date(epochMillis).toISOString().slice(0, 19)}Z`;

/** OBP's rendering of a request date, or undefined when it cannot be a real instant. */
export const normaliseRequestDate = (text: string): string | undefined => {
  const millis = parseRequestDate(text);
  return Number.isNaN(millis) ? undefined : renderObpDate(millis);
};
