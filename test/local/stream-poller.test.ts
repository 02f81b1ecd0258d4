import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { startStreamPoller } from '../../local/stream-poller';
import { createTestTable } from '../support/dynamodb';

describe('the local stream poller', () => {
  it('reads on, each record once and in order, when DynamoDB Local stales a quiet shard as other tables are made', async () => {
    // Prepare: a poller on one table, while another client keeps creating tables (as test files do)
    const watched = await createTestTable();
    const seen: string[] = [];
    const errors: string[] = [];
    const poller = await startStreamPoller({
      endpoint: inject('dynamoDbEndpoint'),
      tableName: watched.tableName,
      intervalMs: 20,
      handler: async (event) => {
        seen.push(...event.Records.map((record) => record.dynamodb?.Keys?.pk?.S ?? '?'));
        return { batchItemFailures: [] };
      },
      log: (line) => errors.push(line),
    });

    try {
      // Act
      for (let n = 0; n < 3; n += 1) {
        await createTestTable();
        await watched.client.send(
          new PutItemCommand({
            TableName: watched.tableName,
            Item: { pk: { S: `item-${n}` }, sk: { S: 'x' } },
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      await poller.drain();

      // Assess
      expect(seen).toEqual(['item-0', 'item-1', 'item-2']);
      expect(errors).toEqual([]);
    } finally {
      await poller.stop();
    }
  });
});
