// functions/http/middleware/validate-body.ts: whole JSON numbers for text fields become text, and the
// client-facing account of a schema failure, checked with the real build-time validators.
import validateCreateCustomer from '../../generated/validators/create-customer.cjs';
import validateCreateMessage from '../../generated/validators/create-customer-message.cjs';
import validateLink from '../../generated/validators/create-user-customer-link.cjs';
import createCustomerSchema from '../../schemas/create-customer.schema.json';
import { describeError, numbersToText, type CompiledValidator, type JsonSchema } from '../../functions/http/middleware/validate-body';

const MINIMAL = { legal_name: 'Legal Name', mobile_phone_number: '+44 07972 444 876' };

describe('numbersToText', () => {
  it.each([
    [{ type: ['string', 'integer'] }, 5987953, '5987953'],
    [{ type: 'string' }, 5987953, '5987953'],
    [{ type: ['string', 'integer', 'null'] }, -42, '-42'],
    [{ type: ['string', 'integer'] }, 0, '0'],
    [{ type: ['string', 'integer'] }, Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [{ type: 'integer' }, 7, 7],
    [{ type: ['integer', 'null'] }, 7, 7],
    [{ type: 'boolean' }, 1, 1],
    [{ type: 'string' }, true, true],
    [{ type: 'string' }, null, null],
    [{ type: 'string' }, 'already text', 'already text'],
    [{}, 3, 3],
  ])('schema %j, value %p → %p', (schema, value, expected) => {
    expect(numbersToText(schema as JsonSchema, value)).toEqual(expected);
  });

  it.each([
    ['a fraction', 12.5],
    ['a negative fraction', -0.25],
    ['2^53 (not a safe integer)', 2 ** 53],
    ['12345678901234567891 (JSON parsing rounds it)', 12345678901234567891],
    ['Infinity (1e400)', Number.POSITIVE_INFINITY],
  ])('turns %s in a text field into NaN, which the schema refuses', (_label, value) => {
    expect(numbersToText({ type: ['string', 'integer'] }, value)).toBeNaN();
  });

  it('reads how a whole number was written: 5.0 and 1e3 are refused, 5 and 1000 are text', () => {
    const schema: JsonSchema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' }, d: { type: 'string' } } };
    const text = '{"a": 5.0, "b": 1e3, "c": 5, "d": 1000}';
    const converted = numbersToText(schema, JSON.parse(text), text) as Record<string, unknown>;
    expect(converted.a).toBeNaN();
    expect(converted.b).toBeNaN();
    expect(converted).toMatchObject({ c: '5', d: '1000' });
  });

  it('follows properties and items, and leaves unknown keys and other types alone', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        count: { type: 'integer' },
        nested: { type: ['object', 'null'], properties: { amount: { type: 'string' } } },
        list: { type: 'array', items: { type: 'string' } },
      },
    };
    const body = { name: 42, count: 42, nested: { amount: 1500, other: 9.5 }, list: [1, 'two', 3], unknown: 5.5 };
    expect(numbersToText(schema, body)).toEqual({ name: '42', count: 42, nested: { amount: '1500', other: 9.5 }, list: ['1', 'two', '3'], unknown: 5.5 });
  });

  it('walks only what the schema describes, so a deeply nested unknown field costs nothing', () => {
    const text = `{"legal_name": 5, "deep": ${'['.repeat(2_000)}${']'.repeat(2_000)}}`;
    expect((numbersToText(createCustomerSchema as JsonSchema, JSON.parse(text), text) as Record<string, unknown>).legal_name).toBe('5');
  });

  it('converts with the real createCustomer schema: strings become text, integers and booleans stay', () => {
    const body = {
      ...MINIMAL,
      customer_number: 5987953,
      mobile_phone_number: 4930901820,
      dependants: 1,
      kyc_status: false,
      credit_limit: { currency: 'EUR', amount: 0 },
      dob_of_dependants: ['2000-01-01'],
    };
    const converted = numbersToText(createCustomerSchema as JsonSchema, body) as Record<string, unknown>;
    expect(converted).toMatchObject({
      customer_number: '5987953',
      mobile_phone_number: '4930901820',
      dependants: 1,
      kyc_status: false,
      credit_limit: { currency: 'EUR', amount: '0' },
    });
    expect(validateCreateCustomer(converted)).toBe(true);
  });

  it('does not turn a number into a date', () => {
    // dob_of_dependants items are dates ($ref, no "type": "string" at that level): a number stays a number and fails.
    const converted = numbersToText(createCustomerSchema as JsonSchema, { ...MINIMAL, date_of_birth: 1358809680000 }) as Record<string, unknown>;
    expect(converted.date_of_birth).toBe(1358809680000);
    expect(validateCreateCustomer(converted)).toBe(false);
  });

  it('handles a body that is not an object', () => {
    expect(numbersToText(createCustomerSchema as JsonSchema, null)).toBeNull();
    expect(numbersToText(createCustomerSchema as JsonSchema, [1, 2])).toEqual([1, 2]);
    expect(numbersToText(createCustomerSchema as JsonSchema, 5)).toBe(5);
  });
});

describe('describeError', () => {
  const describe_ = (validator: CompiledValidator, body: unknown): string => {
    expect(validator(body)).toBe(false);
    return describeError(validator);
  };

  it('names a missing top-level field', () => {
    expect(describe_(validateCreateCustomer, { mobile_phone_number: 'x' })).toBe('legal_name is required.');
    expect(describe_(validateCreateMessage, { message: 'm', from_department: 'd', from_person: 'p' })).toBe('transport is required.');
  });

  it('names a missing nested field with its path', () => {
    expect(describe_(validateCreateCustomer, { ...MINIMAL, face_image: { url: 'x' } })).toBe('face_image.date is required.');
    expect(describe_(validateCreateCustomer, { ...MINIMAL, credit_limit: { amount: '1' } })).toBe('credit_limit.currency is required.');
  });

  it.each(['date_of_birth', 'last_ok_date'])('explains the accepted date forms for a bad %s', (field) => {
    for (const bad of ['2013-02-30', '2013-02-30T00:00:00Z', '2013-01-21T23:08:00', 'yesterday']) {
      expect(describe_(validateCreateCustomer, { ...MINIMAL, [field]: bad })).toBe(
        `${field} must be a date: RFC 3339 (e.g. 2023-11-14T18:28:59Z) or yyyy-MM-dd.`,
      );
    }
  });

  it('names the item of a bad date in an array', () => {
    expect(describe_(validateCreateCustomer, { ...MINIMAL, dependants: 2, dob_of_dependants: ['2000-01-01', '2001-02-29'] })).toBe(
      'dob_of_dependants.1 must be a date: RFC 3339 (e.g. 2023-11-14T18:28:59Z) or yyyy-MM-dd.',
    );
  });

  it('explains the id syntax for *_id fields', () => {
    expect(describe_(validateCreateCustomer, { ...MINIMAL, branch_id: 'a b' })).toBe("branch_id may only contain letters, digits, '-', '.' and '_'.");
    expect(describe_(validateLink, { user_id: 'u', customer_id: 'a/b' })).toBe("customer_id may only contain letters, digits, '-', '.' and '_'.");
  });

  it('names the expected type, union types joined with "or"', () => {
    expect(describe_(validateCreateCustomer, { ...MINIMAL, kyc_status: 'true' })).toBe('kyc_status must be of type boolean or null.');
    expect(describe_(validateCreateCustomer, { ...MINIMAL, dependants: '1' })).toBe('dependants must be of type integer or null.');
    expect(describe_(validateCreateCustomer, { legal_name: true, mobile_phone_number: 'x' })).toBe(
      'legal_name must be text, or a whole number between -(2^53 - 1) and 2^53 - 1 written without a fraction or exponent.',
    );
    expect(describe_(validateCreateCustomer, [])).toBe('The body must be of type object.');
  });

  it('falls back to the validator message with the field, e.g. for lengths', () => {
    expect(describe_(validateCreateCustomer, { ...MINIMAL, relationship_status: 'x'.repeat(17) })).toBe(
      'relationship_status must NOT have more than 16 characters.',
    );
    expect(describe_(validateCreateMessage, { message: 'm'.repeat(1025), transport: '', from_department: 'd', from_person: 'p' })).toBe(
      'message must NOT have more than 1024 characters.',
    );
  });

  it('says something generic when the validator has no errors', () => {
    const validator = Object.assign(() => false, { errors: null }) as CompiledValidator;
    expect(describeError(validator)).toBe('The body is not valid.');
  });
});
