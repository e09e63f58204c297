// Customers (OBP v5.0.0 create, v3.1.0 reads and updates, v5.0.0 lists): defaults and normalisation, the dependants
// rule, customer numbers in NFKC form and unique at their bank, and the OBP renderings.
import { randomInt, randomUUID } from 'node:crypto';
import type { PostCustomerJsonV500 } from '../../generated/types/create-customer';
import type { CustomerJsonV310 } from '../../generated/types/customer-response';
import type { CustomerWithAttributesJsonV310 } from '../../generated/types/customer-with-attributes-response';
import type { CustomerJsonV300 } from '../../generated/types/customer-v300-response';
import type { PutUpdateCustomerDataJsonV310 } from '../../generated/types/update-customer-data';
import {
  changeCustomerNumber,
  CustomerGone,
  CustomerNumberTaken,
  findCustomerById,
  findGuard,
  insertCustomer,
  listCustomersOfBank,
  updateCustomerFields,
} from '../data/customers-repository';
import type { Page, PageRequest } from '../data/paging';
import type { CustomerData, CustomerRecord } from '../data/records';
import { customerNotFoundById, invalidJson, ObpError, ObpMessages } from '../common/obp-errors';
import { normaliseRequestDate } from './dates';
import { replyRecord, type WriteContext } from './write-context';

export interface CustomerDeps {
  newId: () => string;
  /** Decimal text of a uniformly random int in [0, 2147483646], as OBP generates it. */
  newCustomerNumber: () => string;
}

export const defaultCustomerDeps: CustomerDeps = {
  newId: randomUUID,
  newCustomerNumber: () => String(randomInt(0, 2_147_483_647)),
};

/** A generated number that collides is drawn again this many times in all before giving up. */
export const GENERATED_NUMBER_ATTEMPTS = 5;

const MAX_CUSTOMER_NUMBER_LENGTH = 50;
const EDGE_SPACE_OR_CONTROL = /^\s|\s$|[\p{Cc}\p{Cf}]/u;

/**
 * A customer number as stored, compared and looked up: Unicode NFKC, so "７" and "7" (or a ligature and its letters)
 * are one number and no look-alike can hide a duplicate. The schema has refused edge white space, control and
 * format characters in what was sent; normalising can only make a number longer or reveal `::::`, so those rules
 * are checked again on the result.
 */
export const normaliseCustomerNumber = (text: string, creating = false): string => {
  const normalised = text.normalize('NFKC');
  if (EDGE_SPACE_OR_CONTROL.test(normalised)) {
    throw invalidJson('customer_number may not start or end with white space, nor contain control or format characters.');
  }
  if (normalised.length > MAX_CUSTOMER_NUMBER_LENGTH) {
    throw invalidJson(`customer_number must NOT have more than ${MAX_CUSTOMER_NUMBER_LENGTH} characters in Unicode NFKC form.`);
  }
  if (creating && normalised.includes('::::')) throw invalidJson('customer_number can not contain `::::` characters');
  return normalised;
};

const date = (field: string, value: string | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  const rendered = normaliseRequestDate(value);
  if (rendered === undefined) throw invalidJson(`${field} is not a valid date: ${value}`);
  return rendered;
};

const text = (value: string | null | undefined): string => value ?? '';

const dependantsMismatch = (dependants: number, dobs: number): ObpError =>
  new ObpError(400, `${ObpMessages.InvalidJsonContent} The field dependants(${dependants}) not equal the length(${dobs}) of dob_of_dependants array`);

/** The customer as stored and returned, from a body that passed schema validation. */
export const buildCustomer = (bankId: string, customerId: string, customerNumber: string, body: PostCustomerJsonV500): CustomerData => {
  const dobOfDependants = (body.dob_of_dependants ?? []).map((d, i) => date(`dob_of_dependants[${i}]`, d) as string);
  const dependants = body.dependants ?? 0;
  if (dependants !== dobOfDependants.length) throw dependantsMismatch(dependants, dobOfDependants.length);
  return {
    bank_id: bankId,
    customer_id: customerId,
    customer_number: customerNumber,
    legal_name: body.legal_name,
    mobile_phone_number: body.mobile_phone_number,
    email: text(body.email).trim().toLowerCase(),
    face_image: { url: text(body.face_image?.url), date: date('face_image.date', body.face_image?.date) },
    date_of_birth: date('date_of_birth', body.date_of_birth),
    relationship_status: text(body.relationship_status),
    dependants,
    dob_of_dependants: dobOfDependants,
    credit_rating: { rating: text(body.credit_rating?.rating), source: text(body.credit_rating?.source) },
    credit_limit: { currency: text(body.credit_limit?.currency), amount: text(body.credit_limit?.amount) },
    highest_education_attained: text(body.highest_education_attained),
    employment_status: text(body.employment_status),
    kyc_status: body.kyc_status ?? false,
    last_ok_date: date('last_ok_date', body.last_ok_date),
    title: text(body.title),
    branch_id: text(body.branch_id),
    name_suffix: text(body.name_suffix),
  };
};

/** CustomerJsonV310 with OBP's field order. */
export const toCustomerJson = (c: CustomerData): CustomerJsonV310 => ({
  bank_id: c.bank_id,
  customer_id: c.customer_id,
  customer_number: c.customer_number,
  legal_name: c.legal_name,
  mobile_phone_number: c.mobile_phone_number,
  email: c.email,
  face_image: { url: c.face_image.url, date: c.face_image.date },
  date_of_birth: c.date_of_birth,
  relationship_status: c.relationship_status,
  dependants: c.dependants,
  dob_of_dependants: c.dob_of_dependants,
  credit_rating: { rating: c.credit_rating.rating, source: c.credit_rating.source },
  credit_limit: { currency: c.credit_limit.currency, amount: c.credit_limit.amount },
  highest_education_attained: c.highest_education_attained,
  employment_status: c.employment_status,
  kyc_status: c.kyc_status,
  last_ok_date: c.last_ok_date,
  title: c.title,
  branch_id: c.branch_id,
  name_suffix: c.name_suffix,
});

/** CustomerWithAttributesJsonV310: the same fields plus customer_attributes (none are kept by this API). */
export const toCustomerWithAttributesJson = (c: CustomerData): CustomerWithAttributesJsonV310 => ({ ...toCustomerJson(c), customer_attributes: [] });

const dayOf = (rendered: string | null): string => (rendered === null ? '' : rendered.slice(0, 10));

/** CustomerJsonV300 (the list's items): as V310, but the birth dates are plain yyyy-MM-dd ("" when absent). */
export const toCustomerJsonV300 = (c: CustomerData): CustomerJsonV300 => ({
  ...toCustomerJson(c),
  date_of_birth: dayOf(c.date_of_birth),
  dob_of_dependants: c.dob_of_dependants.map(dayOf),
});

/** CustomerMinimalJsonV400. */
export const toCustomerMinimalJson = (c: CustomerData) => ({ bank_id: c.bank_id, customer_id: c.customer_id });

export const createCustomer = async (
  ctx: WriteContext,
  bankId: string,
  body: PostCustomerJsonV500,
  deps: CustomerDeps = defaultCustomerDeps,
): Promise<CustomerJsonV310> => {
  const supplied = typeof body.customer_number === 'string' ? normaliseCustomerNumber(body.customer_number, true) : undefined;
  const attempts = supplied === undefined ? GENERATED_NUMBER_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const customer = buildCustomer(bankId, deps.newId(), supplied ?? deps.newCustomerNumber(), body);
    const reply = toCustomerJson(customer);
    try {
      await insertCustomer({ customer, createdAt: ctx.now.toISOString(), createdBy: ctx.actor, linkCount: 0 }, replyRecord(ctx, reply));
      return reply;
    } catch (error) {
      if (!(error instanceof CustomerNumberTaken)) throw error;
      if (supplied !== undefined) throw new ObpError(400, ObpMessages.CustomerNumberAlreadyExists);
      if (attempt === attempts) throw new Error(`No free customer number at bank after ${attempts} attempts`);
    }
  }
};

/**
 * The customer number in a lookup's body, normalised, read before the body is parsed and checked (so the request's
 * first read can fetch its guard); undefined whenever the body is not plainly such a lookup.
 */
export const peekCustomerNumber = (body: string | undefined, base64 = false): string | undefined => {
  try {
    const parsed: unknown = JSON.parse(base64 ? Buffer.from(body ?? '', 'base64').toString('utf8') : (body ?? ''));
    const value = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).customer_number : undefined;
    const text = typeof value === 'string' ? value : Number.isSafeInteger(value) ? String(value) : undefined;
    return text === undefined || text === '' ? undefined : normaliseCustomerNumber(text);
  } catch {
    return undefined;
  }
};

/** What the request's first read found for a lookup by number (see functions/http/middleware/load-context.ts). */
export interface PrefetchedGuard {
  customerNumber: string;
  customerId: string | undefined;
}

/**
 * getCustomerByNumber: the customer with that number at the bank, else 404 OBP-30002. The guard gives the id and
 * the customer item is the truth: if the customer no longer has the number (renamed between the two reads), the
 * guard is read once more, so an answer never shows a customer under a number it has left.
 */
export const customerByNumber = async (bankId: string, sent: string, prefetched?: PrefetchedGuard): Promise<CustomerData> => {
  const customerNumber = normaliseCustomerNumber(sent);
  let customerId = prefetched?.customerNumber === customerNumber ? prefetched.customerId : await findGuard(bankId, customerNumber);
  for (let reads = 0; customerId !== undefined && reads < 2; reads++) {
    const record = await findCustomerById(customerId);
    if (record && record.customer.bank_id === bankId && record.customer.customer_number === customerNumber) return record.customer;
    customerId = await findGuard(bankId, customerNumber);
  }
  throw new ObpError(404, ObpMessages.CustomerNotFound);
};

/** The path's customer, only if it belongs to the path's bank (a customer is reachable only under its own bank). */
export const customerAtBank = (record: CustomerRecord | undefined, bankId: string): CustomerRecord | undefined =>
  record && record.customer.bank_id === bankId ? record : undefined;

/** Sets the given fields of the customer and answers the customer after the update (CustomerJsonV310). */
export const updateCustomer = async (ctx: WriteContext, record: CustomerRecord, fields: Partial<CustomerData>): Promise<CustomerJsonV310> => {
  const expected = toCustomerJson({ ...record.customer, ...fields });
  try {
    const updated = await updateCustomerFields(record, { fields, updatedAt: ctx.now.toISOString(), updatedBy: ctx.actor }, replyRecord(ctx, expected));
    return toCustomerJson(updated);
  } catch (error) {
    if (error instanceof CustomerGone) throw customerNotFoundById(record.customer.customer_id);
    throw error;
  }
};

/**
 * Tries of a number change whose customer changed its number meanwhile. Each try that loses does so because another
 * change of this customer committed, so a handful of concurrent changes all end; the jittered wait keeps the losers
 * from meeting again at once.
 */
const NUMBER_CHANGE_ATTEMPTS = 8;
const beforeRetry = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));

/** Moves the customer to another number: unique at the bank; its own current number changes nothing (200). */
export const updateCustomerNumber = async (ctx: WriteContext, record: CustomerRecord, sent: string): Promise<CustomerJsonV310> => {
  const customerNumber = normaliseCustomerNumber(sent, true);
  let current = record;
  // A concurrent change of this customer's number makes the transaction's condition fail: read it again and retry.
  for (let attempt = 1; ; attempt++) {
    if (current.customer.customer_number === customerNumber) return toCustomerJson(current.customer);
    const reply = toCustomerJson({ ...current.customer, customer_number: customerNumber });
    try {
      await changeCustomerNumber(current, customerNumber, { updatedAt: ctx.now.toISOString(), updatedBy: ctx.actor }, replyRecord(ctx, reply));
      return reply;
    } catch (error) {
      if (error instanceof CustomerNumberTaken) {
        throw new ObpError(400, `${ObpMessages.CustomerNumberAlreadyExists} Current customer_number(${customerNumber}) and Current bank_id(${current.customer.bank_id})`);
      }
      if (!(error instanceof CustomerGone) || attempt === NUMBER_CHANGE_ATTEMPTS) throw error;
      await beforeRetry(attempt);
      const fresh = await findCustomerById(current.customer.customer_id);
      if (!fresh) throw customerNotFoundById(current.customer.customer_id);
      current = fresh;
    }
  }
};

/** updateCustomerData: the five fields, with dependants still matching the stored dob_of_dependants (OBP-10020). */
export const customerDataFields = (record: CustomerRecord, body: PutUpdateCustomerDataJsonV310): Partial<CustomerData> => {
  const dobs = record.customer.dob_of_dependants.length;
  if (body.dependants !== dobs) throw dependantsMismatch(body.dependants, dobs);
  return {
    face_image: { url: body.face_image.url, date: date('face_image.date', body.face_image.date) },
    relationship_status: body.relationship_status,
    dependants: body.dependants,
    highest_education_attained: body.highest_education_attained,
    employment_status: body.employment_status,
  };
};

/** updateCustomerIdentity's four fields. */
export const customerIdentityFields = (body: { legal_name: string; date_of_birth: string | null; title: string; name_suffix: string }): Partial<CustomerData> => ({
  legal_name: body.legal_name,
  date_of_birth: date('date_of_birth', body.date_of_birth),
  title: body.title,
  name_suffix: body.name_suffix,
});

/** A page of the bank's customers, by creation time. */
export const customersOfBank = (bankId: string, page: PageRequest): Promise<Page<CustomerRecord>> => listCustomersOfBank(bankId, page);
