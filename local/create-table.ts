import {
  CreateTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  type TableDefinition,
  tableDefinition,
  toCreateTableInput,
} from '../lib/adapters/dynamodb/table-definition';

/**
 * Creates the table, its indexes and its TTL setting from the shared definition, as infra/ deploys
 * them, and waits until it is ACTIVE.
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  definition: TableDefinition = tableDefinition,
): Promise<void> {
  await client.send(new CreateTableCommand(toCreateTableInput(tableName, definition)));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
    }),
  );
}
