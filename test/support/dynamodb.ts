import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createTable } from '../../local/create-table';
import { localDynamoDbClient } from '../../local/dynamodb-local';

export interface TestTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** A fresh table, from the shared definition, in the run's DynamoDB Local. */
export async function createTestTable(): Promise<TestTable> {
  const client = localDynamoDbClient(inject('dynamoDbEndpoint'));
  const tableName = `test-${randomUUID()}`;
  await createTable(client, tableName);
  return { client, tableName };
}
