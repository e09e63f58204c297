// createCustomer (OBP v5.0.0): defaults, normalisation, the dependants and `::::` rules, and a unique number.
import { randomInt, randomUUID } from 'node:crypto';
import { invalidJson, ObpError, ObpMessages } from '../core/obp-errors';
import { CustomerNumberTaken, findCustomerByNumber, insertCustomer } from '../data/customers-repository';
import type { CustomerData, CustomerRecord } from '../data/records';
import { normaliseRequestDate } from './dates';

export interface CreateCustomerBody {
  legal_name: string;
  mobile_phone_number: string;
  customer_number?: string | null;
  email?: string | null;
  face_image?: { url: string; date: string | null } | null;
  date_of_birth?: string | null;
  relationship_status?: string | null;
  dependants?: number | null;
  dob_of_dependants?: string[] | null;
  credit_rating?: { rating: string; source: string } | null;
  credit_limit?: { currency: string; amount: string } | null;
  highest_education_attained?: string | null;
  employment_status?: string | null;
  kyc_status?: boolean | null;
  last_ok_date?: string | null;
  title?: string | null;
  branch_id?: string | null;
  name_suffix?: string | null;
}

export interface CustomerDeps {
  insert: (customer: CustomerData, createdAt: string) => Promise<void>;
  newId: () => string;
  /** Decimal text of a uniformly random int in [0, 2147483646], as OBP generates it. */
  newCustomerNumber: () => string;
  now: () => Date;
}

export const defaultCustomerDeps: CustomerDeps = {
  insert: insertCustomer,
  newId: randomUUID,
  newCustomerNumber: () => String(randomInt(0, 2_147_483_647)),
  now: () => new Date(),
};

/** A generated number that collides is drawn again this many times in all before giving up. */
export const GENERATED_NUMBER_ATTEMPTS = 5;

const date = (field: string, value: string | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  const rendered = normaliseRequestDate(value);
  if (rendered === undefined) throw invalidJson(`${field} is not a valid date: ${value}`);
  return rendered;
};

const text = (value: string | null | undefined): string => value ?? '';

/** The customer as stored and returned, from a body that passed schema validation. */
export const buildCustomer = (bankId: string, customerId: string, customerNumber: string, body: CreateCustomerBody): CustomerData => {
  const dobOfDependants = (body.dob_of_dependants ?? []).map((d, i) => date(`dob_of_dependants[${i}]`, d) as string);
  const dependants = body.dependants ?? 0;
  if (dependants !== dobOfDependants.length) {
    throw new ObpError(
      400,
      `${ObpMessages.InvalidJsonContent} The field dependants(${dependants}) not equal the length(${dobOfDependants.length}) of dob_of_dependants array`,
    );
  }
  if (customerNumber.includes('::::')) throw invalidJson('customer_number can not contain `::::` characters');
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

export const createCustomer = async (bankId: string, body: CreateCustomerBody, deps: CustomerDeps = defaultCustomerDeps): Promise<CustomerData> => {
  const supplied = body.customer_number ?? undefined;
  const attempts = supplied === undefined ? GENERATED_NUMBER_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const customer = buildCustomer(bankId, deps.newId(), supplied ?? deps.newCustomerNumber(), body);
    try {
      await deps.insert(customer, deps.now().toISOString());
      return customer;
    } catch (error) {
      if (!(error instanceof CustomerNumberTaken)) throw error;
      if (supplied !== undefined) throw new ObpError(400, ObpMessages.CustomerNumberAlreadyExists);
      if (attempt === attempts) throw new Error(`No free customer number at bank after ${attempts} attempts`);
    }
  }
};

/** CustomerJsonV310 with OBP's field order. */
export const toCustomerJson = (c: CustomerData) => ({
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
export const toCustomerWithAttributesJson = (c: CustomerData) => ({ ...toCustomerJson(c), customer_attributes: [] as never[] });

/** getCustomerByNumber: the customer with that number at the bank, else 404 OBP-30002. */
export const customerByNumber = async (bankId: string, customerNumber: string): Promise<CustomerData> => {
  const customer = await findCustomerByNumber(bankId, customerNumber);
  if (!customer) throw new ObpError(404, ObpMessages.CustomerNotFound);
  return customer;
};

/** The path's customer, only if it belongs to the path's bank (DESIGN §3.3). */
export const customerAtBank = (record: CustomerRecord | undefined, bankId: string): CustomerRecord | undefined =>
  record && record.customer.bank_id === bankId ? record : undefined;
