// What the table stores for each entity (beyond its keys). Field names follow OBP's JSON where one exists.

export interface BankRecord {
  bankId: string;
  bankCode: string;
  fullName: string;
  logo: string;
  website: string;
  /** First routing whose scheme is not BIC ("" when none), and the address of the first BIC routing. */
  routingScheme: string;
  routingAddress: string;
  swiftBic: string;
  createdAt: string;
  /** Who created it (absent on banks stored before this was recorded). */
  createdBy?: string;
}

export interface EntitlementRecord {
  entitlementId: string;
  userId: string;
  roleName: string;
  bankId: string;
  createdAt: string;
  /** Who granted it (absent on entitlements stored before grants were recorded). */
  grantedBy?: string;
}

/** A customer exactly as createCustomer returns it (CustomerJsonV310), dates already in OBP's rendering. */
export interface CustomerData {
  bank_id: string;
  customer_id: string;
  customer_number: string;
  legal_name: string;
  mobile_phone_number: string;
  email: string;
  face_image: { url: string; date: string | null };
  date_of_birth: string | null;
  relationship_status: string;
  dependants: number;
  dob_of_dependants: string[];
  credit_rating: { rating: string; source: string };
  credit_limit: { currency: string; amount: string };
  highest_education_attained: string;
  employment_status: string;
  kyc_status: boolean;
  last_ok_date: string | null;
  title: string;
  branch_id: string;
  name_suffix: string;
}

export interface CustomerRecord {
  customer: CustomerData;
  createdAt: string;
  /** Number of users linked to this customer (addCustomerMessage needs at least one). */
  linkCount: number;
  /** Who created it and who last changed it, and when (absent on customers stored before this was recorded). */
  createdBy?: string;
  updatedAt?: string;
  updatedBy?: string;
}

export interface MessageRecord {
  messageId: string;
  customerId: string;
  bankId: string;
  /** ISO 8601 with milliseconds; also orders messages. */
  createdAt: string;
  message: string;
  transport: string;
  fromDepartment: string;
  fromPerson: string;
  /** The user who posted it (absent on messages stored before this was recorded). */
  postedBy?: string;
}

export interface UserCustomerLinkRecord {
  linkId: string;
  userId: string;
  customerId: string;
  bankId: string;
  dateInserted: string;
  isActive: boolean;
  /** Who made the link (absent on links stored before this was recorded). */
  createdBy?: string;
}

/** What a request with an Idempotency-Key stored with its write: enough to answer a retry the same way. */
export interface IdempotencyRecord {
  operation: string;
  userId: string;
  /** SHA-256 of the request body as parsed JSON (keys sorted), to tell a retry from another request. */
  requestHash: string;
  /** The success body exactly as sent. */
  body: string;
  createdAt: string;
  /** Epoch seconds; DynamoDB's TTL removes the record some time after it. */
  expiresAt: number;
}
