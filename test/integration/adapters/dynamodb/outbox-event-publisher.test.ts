import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { unmarshall } from '../../../../lib/adapters/dynamodb/attribute-values';
import { outboxEventKey } from '../../../../lib/adapters/dynamodb/keys';
import { OutboxEventPublisher } from '../../../../lib/adapters/dynamodb/outbox-event-publisher';
import { outboxFromStream } from '../../../../lib/adapters/dynamodb/stream-records';
import { tableDefinition } from '../../../../lib/adapters/dynamodb/table-definition';
import type { PlatformEvent } from '../../../../lib/ports/event-publisher';
import { type StreamPoller, startStreamPoller } from '../../../../local/stream-poller';
import { createTestTable, type TestTable } from '../../../support/dynamodb';

const now = new Date('2026-11-22T10:00:00.000Z');
const twoDaysOn = Math.floor(now.getTime() / 1000) + 2 * 86_400;

let table: TestTable;
let publisher: OutboxEventPublisher;
let streams: StreamPoller;
const streamed: DynamoDBRecord[] = [];

beforeAll(async () => {
  table = await createTestTable();
  publisher = new OutboxEventPublisher(table.client, {
    tableName: table.tableName,
    clock: { now: () => now },
  });
  streams = await startStreamPoller({
    endpoint: inject('dynamoDbEndpoint'),
    tableName: table.tableName,
    handler: async (event: DynamoDBStreamEvent) => {
      streamed.push(...event.Records);
      return { batchItemFailures: [] };
    },
    log: () => undefined,
  });
});

afterAll(async () => {
  await streams.stop();
  table.client.destroy();
});

let containers = 0;
/** An idle warning of a container of its own, as the auto-stop sweep makes it. */
function idleWarning(idleSeconds = 3300): PlatformEvent {
  containers += 1;
  const containerId = `6740c3f2a1b2c3d4e5f6${String(containers).padStart(4, '0')}`;
  return {
    type: 'container.idle-warning',
    detail: {
      event_id: `evt_${String(containers).padStart(24, '0')}`,
      container_id: containerId,
      owner_id: 'usr_1',
      auto_stop_at: '2026-11-22T10:05:00.000Z',
      idle_seconds: idleSeconds,
    },
  };
}

async function outboxItems(eventId: string) {
  const { Items: items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: outboxEventKey(eventId).pk } },
      ConsistentRead: true,
    }),
  );
  return items.map((item) => unmarshall(item));
}

/** The stream's new outbox items of these events, once every write so far has been handed on. */
async function streamedOutboxEvents(eventIds: readonly string[]) {
  await streams.drain();
  return outboxFromStream(streamed)
    .flatMap((record) => ('event' in record ? [record.event] : []))
    .filter((event) => eventIds.includes(String(event.detail.event_id)));
}

describe('OutboxEventPublisher', () => {
  it('writes each event as an outbox item of its own, keyed by its event_id, that expires two days on', async () => {
    // Prepare
    const first = idleWarning();
    const second = idleWarning();

    // Act
    await publisher.publish([first, second]);

    // Assess
    for (const event of [first, second]) {
      const eventId = String(event.detail.event_id);
      expect(await outboxItems(eventId)).toEqual([
        {
          pk: `OUTBOX#${eventId}`,
          sk: 'EVENT',
          kind: 'outbox-event',
          event_id: eventId,
          type: 'container.idle-warning',
          detail: event.detail,
          created_at: now.toISOString(),
          ttl: twoDaysOn,
        },
      ]);
    }
  });

  it('makes a second write of the same event no second event: one item, one stream record, the first detail kept', async () => {
    // Prepare: a sweep that wrote the warning, then failed to mark it, runs again a minute later.
    const first = idleWarning(3300);
    const retried: PlatformEvent = { ...first, detail: { ...first.detail, idle_seconds: 3360 } };
    const eventId = String(first.detail.event_id);

    // Act
    await publisher.publish([first]);
    await publisher.publish([retried]);

    // Assess
    const items = await outboxItems(eventId);
    expect(items).toHaveLength(1);
    expect(items[0]?.detail).toEqual(first.detail);
    expect(await streamedOutboxEvents([eventId])).toEqual([
      { type: 'container.idle-warning', detail: first.detail },
    ]);
  });

  it('hands each new outbox item on from the stream as the event it carries, in the order written', async () => {
    // Prepare
    const events = [idleWarning(), idleWarning(), idleWarning()];
    const ids = events.map((event) => String(event.detail.event_id));

    // Act
    await publisher.publish(events);

    // Assess
    expect(await streamedOutboxEvents(ids)).toEqual(events);
  });

  it('keeps outbox items out of every index: they carry no index key attribute', async () => {
    // Prepare
    const event = idleWarning();
    const indexAttributes = tableDefinition.globalIndexes.flatMap((index) => [
      index.partitionKey,
      index.sortKey,
    ]);

    // Act
    await publisher.publish([event]);

    // Assess
    const [item] = await outboxItems(String(event.detail.event_id));
    expect(item).toBeDefined();
    expect(Object.keys(item ?? {}).filter((name) => indexAttributes.includes(name as never))).toEqual([]);
  });

  it('gives an event whose detail carries no event_id an id made from the whole event, so it too is written once', async () => {
    // Prepare
    const { event_id: _omitted, ...detail } = idleWarning().detail;
    const event: PlatformEvent = { type: 'container.idle-warning', detail };

    // Act
    await publisher.publish([event]);
    await publisher.publish([event]);

    // Assess
    await streams.drain();
    const delivered = outboxFromStream(streamed)
      .flatMap((each) => ('event' in each ? [each.event] : []))
      .filter((each) => each.detail.container_id === detail.container_id);
    expect(delivered).toEqual([
      {
        type: 'container.idle-warning',
        detail: { ...detail, event_id: expect.stringMatching(/^evt_[0-9a-f]{24}$/) },
      },
    ]);
  });
});
