import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { customerKey, customerNumberGuardKey, customersOfBankIndexKey } from './keys';
import type { CustomerData, CustomerRecord } from './records';
import { documentClient, tableName } from './table-client';
import { failedConditions } from './transactions';

export class CustomerNumberTaken extends Error {}

/**
 * Writes the customer and its (bank, customer_number) guard item in one transaction. The guard's
 * attribute_not_exists condition is what makes customer numbers unique per bank, under any concurrency.
 * The guard carries a copy of the (immutable) customer so a lookup by number is a single read.
 */
export const insertCustomer = async (customer: CustomerData, createdAt: string): Promise<void> => {
  const TableName = tableName();
  const record: CustomerRecord = { customer, createdAt, linkCount: 0 };
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: {
                ...customerKey(customer.customer_id),
                ...customersOfBankIndexKey(customer.bank_id, customer.customer_id),
                entity: 'Customer',
                ...record,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName,
              Item: { ...customerNumberGuardKey(customer.bank_id, customer.customer_number), entity: 'CustomerNumber', customer, createdAt },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(1)) throw new CustomerNumberTaken();
    throw error;
  }
};

export const findCustomerByNumber = async (bankId: string, customerNumber: string): Promise<CustomerData | undefined> => {
  const out = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: customerNumberGuardKey(bankId, customerNumber), ConsistentRead: true }),
  );
  return (out.Item as { customer?: CustomerData } | undefined)?.customer;
};

export const findCustomerById = async (customerId: string): Promise<CustomerRecord | undefined> => {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: customerKey(customerId), ConsistentRead: true }));
  return out.Item as CustomerRecord | undefined;
};
