import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { releaseFilter } from '../../lib/adapters/dynamodb/stream-records';
import { startStreamPoller, startStreamPollers } from '../../local/stream-poller';
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

  it('hands each function its own copy of the records, a filtered one only those its filter matches, retried alone', async () => {
    // Prepare: an unfiltered function, and the release's (filtered) one that fails its first try
    const watched = await createTestTable();
    const seen: Record<string, string[]> = { all: [], release: [] };
    let failures = 1;
    const key = (sk: string) => ({ pk: { S: 'CONTAINER#c1' }, sk: { S: sk } });
    const pollers = await startStreamPollers(
      {
        endpoint: inject('dynamoDbEndpoint'),
        tableName: watched.tableName,
        intervalMs: 20,
        retryDelayMs: 20,
      },
      [
        {
          name: 'all',
          handler: async (event) => {
            seen.all?.push(
              ...event.Records.map((record) => `${record.eventName} ${record.dynamodb?.Keys?.sk?.S}`),
            );
            return { batchItemFailures: [] };
          },
        },
        {
          name: 'release',
          filters: [releaseFilter],
          handler: async (event) => {
            const first = event.Records[0]?.dynamodb?.SequenceNumber ?? '';
            seen.release?.push(
              ...event.Records.map((record) => `${record.eventName} ${record.dynamodb?.Keys?.sk?.S}`),
            );
            if (failures-- > 0) return { batchItemFailures: [{ itemIdentifier: first }] };
            return { batchItemFailures: [] };
          },
        },
      ],
    );

    try {
      // Act: a container, its log entry, and the release item its delete writes, then all deleted
      const put = (sk: string, extra: Record<string, { S: string }> = {}) =>
        watched.client.send(
          new PutItemCommand({ TableName: watched.tableName, Item: { ...key(sk), ...extra } }),
        );
      await put('CONTAINER', { id: { S: 'c1' }, task_definition_arn: { S: 'clc-c1:1' } });
      await put('LOG#0000000001', { kind: { S: 'status-log' } });
      await put('RELEASE#clc-c1:1', { kind: { S: 'task-definition-release' } });
      for (const sk of ['LOG#0000000001', 'CONTAINER', 'RELEASE#clc-c1:1']) {
        await watched.client.send(new DeleteItemCommand({ TableName: watched.tableName, Key: key(sk) }));
      }
      await pollers.drain();

      // Assess: the failed batch is handed to the filtered function again, and to it alone
      expect(seen.all).toEqual([
        'INSERT CONTAINER',
        'INSERT LOG#0000000001',
        'INSERT RELEASE#clc-c1:1',
        'REMOVE LOG#0000000001',
        'REMOVE CONTAINER',
        'REMOVE RELEASE#clc-c1:1',
      ]);
      expect(seen.release).toEqual(['INSERT RELEASE#clc-c1:1', 'INSERT RELEASE#clc-c1:1']);
    } finally {
      await pollers.stop();
    }
  });
});
