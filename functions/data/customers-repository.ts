// Customers: the customer item (the one source of truth, with its index entry in one of the bank's shards) and its
// (bank, customer_number) guard, which holds only the customer's id. Writes that touch the number are transactions
// whose conditions keep numbers unique under any concurrency; every other update sets its own fields only.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { customerKey, customerNumberGuardKey, customersOfBankIndexKey, customersOfBankPartition, CUSTOMER_LIST_SHARDS, GSI1, type Key } from './keys';
import { readPage, type ListLayout, type Page, type PageRequest } from './paging';
import type { CustomerData, CustomerRecord } from './records';
import { documentClient, tableName } from './table-client';
import { ConditionsFailed, transactWrite, type AlsoWrite, type TransactItem } from './transactions';

export class CustomerNumberTaken extends Error {}
export class CustomerGone extends Error {}

const customerItem = (record: CustomerRecord) => ({
  ...customerKey(record.customer.customer_id),
  ...customersOfBankIndexKey(record.customer.bank_id, record.customer.customer_id, record.createdAt),
  entity: 'Customer',
  ...record,
});

const guardPut = (bankId: string, customerNumber: string, customerId: string): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: { ...customerNumberGuardKey(bankId, customerNumber), entity: 'CustomerNumber', customerId },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/** Writes the customer and its number guard in one transaction; the guard's condition makes the number unique. */
export const insertCustomer = async (record: CustomerRecord, also?: AlsoWrite): Promise<void> => {
  const { customer } = record;
  try {
    await transactWrite(
      [
        { Put: { TableName: tableName(), Item: customerItem(record), ConditionExpression: 'attribute_not_exists(PK)' } },
        guardPut(customer.bank_id, customer.customer_number, customer.customer_id),
      ],
      also,
    );
  } catch (error) {
    if (error instanceof ConditionsFailed && error.indexes.includes(1)) throw new CustomerNumberTaken();
    throw error;
  }
};

/** The guard of (bank, number): the key, for the request's first read. */
export const guardKey = (bankId: string, customerNumber: string): Key => customerNumberGuardKey(bankId, customerNumber);

/** The id a guard item points to. */
export const guardedCustomerId = (guard: Record<string, unknown> | undefined): string | undefined =>
  typeof guard?.customerId === 'string' ? guard.customerId : undefined;

export const findGuard = async (bankId: string, customerNumber: string): Promise<string | undefined> => {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: guardKey(bankId, customerNumber), ConsistentRead: true }));
  return guardedCustomerId(out.Item);
};

export const findCustomerById = async (customerId: string): Promise<CustomerRecord | undefined> => {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: customerKey(customerId), ConsistentRead: true }));
  return out.Item as CustomerRecord | undefined;
};

export interface FieldUpdate {
  /** customer.<field> = value for each entry: only these fields are written. */
  fields: Partial<CustomerData>;
  updatedAt: string;
  updatedBy: string;
}

const updateExpression = (update: FieldUpdate) => {
  const names: Record<string, string> = { '#c': 'customer', '#ua': 'updatedAt', '#ub': 'updatedBy' };
  const values: Record<string, unknown> = { ':ua': update.updatedAt, ':ub': update.updatedBy };
  const sets = Object.entries(update.fields).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    return `#c.#f${i} = :v${i}`;
  });
  return { UpdateExpression: `SET ${[...sets, '#ua = :ua', '#ub = :ub'].join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
};

/**
 * Sets only the given fields of the customer (so concurrent updates of different fields never undo each other) and
 * returns the customer after the update. With an idempotency record the update is a transaction, which returns no
 * item: the result is then the customer as the request read it with these fields applied.
 */
export const updateCustomerFields = async (current: CustomerRecord, update: FieldUpdate, also?: AlsoWrite): Promise<CustomerData> => {
  const Key = customerKey(current.customer.customer_id);
  const expression = updateExpression(update);
  const ConditionExpression = 'attribute_exists(PK)';
  try {
    if (!also) {
      const out = await documentClient().send(new UpdateCommand({ TableName: tableName(), Key, ...expression, ConditionExpression, ReturnValues: 'ALL_NEW' }));
      return (out.Attributes as CustomerRecord).customer;
    }
    await transactWrite([{ Update: { TableName: tableName(), Key, ...expression, ConditionExpression } }], also);
    return { ...current.customer, ...update.fields };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || error instanceof ConditionsFailed) throw new CustomerGone();
    throw error;
  }
};

/**
 * Moves the customer to a new number in one transaction: the new number's guard only if it is free, the old guard
 * removed only while it still points to this customer, the customer changed only while its number is still the old
 * one. So two renames to one number cannot both win, a swap cannot leave a duplicate, and the old number is free
 * for anyone the moment this commits.
 */
export const changeCustomerNumber = async (current: CustomerRecord, newNumber: string, update: Omit<FieldUpdate, 'fields'>, also?: AlsoWrite): Promise<CustomerData> => {
  const { customer } = current;
  const TableName = tableName();
  const { UpdateExpression, ExpressionAttributeNames, ExpressionAttributeValues } = updateExpression({ ...update, fields: { customer_number: newNumber } });
  try {
    await transactWrite(
      [
        guardPut(customer.bank_id, newNumber, customer.customer_id),
        {
          Delete: {
            TableName,
            Key: customerNumberGuardKey(customer.bank_id, customer.customer_number),
            ConditionExpression: 'customerId = :id',
            ExpressionAttributeValues: { ':id': customer.customer_id },
          },
        },
        {
          Update: {
            TableName,
            Key: customerKey(customer.customer_id),
            UpdateExpression,
            ConditionExpression: '#c.customer_number = :old',
            ExpressionAttributeNames,
            ExpressionAttributeValues: { ...ExpressionAttributeValues, ':old': customer.customer_number },
          },
        },
      ],
      also,
    );
  } catch (error) {
    if (error instanceof ConditionsFailed && error.indexes.includes(0)) throw new CustomerNumberTaken();
    // The number changed since this request read it: the caller reads again and decides.
    if (error instanceof ConditionsFailed) throw new CustomerGone();
    throw error;
  }
  return { ...customer, customer_number: newNumber };
};

const customersOfBank = (bankId: string): ListLayout => ({
  index: GSI1,
  partitionAttribute: 'GSI1PK',
  sortAttribute: 'GSI1SK',
  partitions: Array.from({ length: CUSTOMER_LIST_SHARDS }, (_, shard) => customersOfBankPartition(bankId, shard)),
  sortPrefix: '',
  time: { kind: 'sortKey' },
  positionAttributes: ['GSI1SK', 'PK', 'SK'],
  consistent: false,
});

/** A page of a bank's customers by creation time, merged from the bank's index shards (eventually consistent). */
export const listCustomersOfBank = async (bankId: string, page: PageRequest): Promise<Page<CustomerRecord>> => {
  const result = await readPage(customersOfBank(bankId), page);
  return { items: result.items as unknown as CustomerRecord[], next: result.next };
};
