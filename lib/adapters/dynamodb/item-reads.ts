/** Items by their keys, read consistently (every decision is made on them); unavailable is a 502. */
import { BatchGetItemCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from './attribute-values';
import { databaseUnavailable, unlessUnavailable } from './dynamodb-errors';
import type { Item } from './items';

/** The client and table a read is made with: a TableTarget, or a store's own client and table. */
export interface ItemTable {
  readonly client: DynamoDBClient;
  readonly config: { readonly tableName: string };
}

type Key = { readonly pk: string; readonly sk: string };

export async function getItem(table: ItemTable, key: Key): Promise<Item | undefined> {
  const { Item: item } = await unlessUnavailable(
    table.client.send(
      new GetItemCommand({ TableName: table.config.tableName, Key: marshall(key), ConsistentRead: true }),
    ),
  );
  return item;
}

/**
 * The items of `keys` that exist, in BatchGetItem's pages of 100. DynamoDB may leave keys unread
 * under load; it says which, and they are asked for again, four more times at most, after which
 * the table counts as unavailable, as a throttled call would.
 */
export async function batchGetItems(table: ItemTable, keys: readonly Key[]): Promise<Item[]> {
  const { tableName } = table.config;
  const found: Item[] = [];
  for (let offset = 0; offset < keys.length; offset += 100) {
    let pending: Item[] = keys.slice(offset, offset + 100).map((key) => marshall(key));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= 5) throw databaseUnavailable();
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await unlessUnavailable(
        table.client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
        ),
      );
      found.push(...(Responses?.[tableName] ?? []));
      pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
}
