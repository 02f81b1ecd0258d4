/** One item by its key, read consistently (every decision is made on it); unavailable is a 502. */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from './attribute-values';
import { unlessUnavailable } from './dynamodb-errors';
import type { Item } from './items';
import type { TableTarget } from './table-calls';

export async function getItem(
  table: TableTarget,
  key: { pk: string; sk: string },
): Promise<Item | undefined> {
  const { Item: item } = await unlessUnavailable(
    table.client.send(
      new GetItemCommand({ TableName: table.config.tableName, Key: marshall(key), ConsistentRead: true }),
    ),
  );
  return item;
}
