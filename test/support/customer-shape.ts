// The customer JSON as OBP renders it, shared by the tests of creating, updating and listing customers.

/** CustomerJsonV310's fields in OBP's order; CustomerJsonV300 (the list items) has the same ones. */
export const CUSTOMER_FIELDS = [
  'bank_id',
  'customer_id',
  'customer_number',
  'legal_name',
  'mobile_phone_number',
  'email',
  'face_image',
  'date_of_birth',
  'relationship_status',
  'dependants',
  'dob_of_dependants',
  'credit_rating',
  'credit_limit',
  'highest_education_attained',
  'employment_status',
  'kyc_status',
  'last_ok_date',
  'title',
  'branch_id',
  'name_suffix',
];

/** The API Explorer's example body of createCustomer, with a fixed last_ok_date. */
export const FULL_EXAMPLE = {
  legal_name: 'Eveline Tripman',
  customer_number: '5987953',
  mobile_phone_number: '+49 30 901820',
  email: 'felixsmith@example.com',
  face_image: { url: 'www.openbankproject', date: '1100-01-01T00:00:00Z' },
  date_of_birth: '1100-01-01T00:00:00Z',
  relationship_status: 'single',
  dependants: 1,
  dob_of_dependants: ['1100-01-01T00:00:00Z'],
  credit_rating: { rating: 'OBP', source: 'OBP' },
  credit_limit: { currency: 'EUR', amount: '0' },
  highest_education_attained: 'Master',
  employment_status: 'worker',
  kyc_status: false,
  last_ok_date: '2023-11-14T18:28:59Z',
  title: 'Dr.',
  branch_id: 'DERBY6',
  name_suffix: 'Sr',
};
