import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { containerItem } from '../../lib/adapters/dynamodb/container-items';
import type { Container } from '../../lib/domain/container';

/**
 * Writes many containers fast, 25 to a BatchWriteItem, straight as items: for tests and
 * benchmarks of the scheduled functions, which read containers, not their histories or counters.
 */
export async function writeFleet(
  client: DynamoDBClient,
  tableName: string,
  containers: readonly Container[],
) {
  const batches: Container[][] = [];
  for (let index = 0; index < containers.length; index += 25)
    batches.push(containers.slice(index, index + 25));
  const inFlight = 8;
  for (let index = 0; index < batches.length; index += inFlight) {
    await Promise.all(
      batches.slice(index, index + inFlight).map((batch) => writeBatch(client, tableName, batch)),
    );
  }
}

async function writeBatch(client: DynamoDBClient, tableName: string, batch: readonly Container[]) {
  let requests = batch.map((container) => ({ PutRequest: { Item: containerItem(container) } }));
  while (requests.length > 0) {
    const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
    requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
}

/** Counts what a client reads: items DynamoDB examined for Query and Scan, and Scans sent. */
export function countReads(client: DynamoDBClient) {
  const counts = { itemsRead: 0, scans: 0, queries: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'ScanCommand') counts.scans += 1;
      if (context.commandName === 'QueryCommand') counts.queries += 1;
      const output = result.output as { ScannedCount?: number };
      if (typeof output.ScannedCount === 'number') counts.itemsRead += output.ScannedCount;
      return result;
    },
    { step: 'initialize', name: 'countReads' },
  );
  return counts;
}
