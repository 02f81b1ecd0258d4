import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { marshall } from '../../../lib/adapters/dynamodb/attribute-values';
import { setUnitEnvironment } from '../../support/unit-environment';

const eventBridge = mockClient(EventBridgeClient);
// biome-ignore lint/suspicious/noExplicitAny: the handler is loaded once the environment is set.
let handler: (event: { Records: DynamoDBRecord[] }) => Promise<any>;

const containerId = '6740c3f2a1b2c3d4e5f60718';

function record(sequence: number, item: Record<string, unknown>, eventName = 'INSERT'): DynamoDBRecord {
  return {
    eventName: eventName as DynamoDBRecord['eventName'],
    dynamodb: {
      SequenceNumber: String(sequence).padStart(21, '0'),
      NewImage: marshall(item) as never,
    },
  };
}

const warningDetail = {
  event_id: 'evt_0123456789abcdef01234567',
  container_id: containerId,
  owner_id: 'usr_1',
  project_id: 'default',
  auto_stop_at: '2026-11-22T11:30:00.000Z',
  last_used_at: '2026-11-22T10:30:00.000Z',
  idle_seconds: 3300,
  idle_timeout_seconds: 3600,
  auto_stop_cause: 'idle timeout',
  max_lifetime_seconds: null,
};

/** The idle warning's outbox item, as the auto-stop sweep writes it and the stream hands it on. */
function outboxRecord(
  sequence: number,
  detail: Record<string, unknown> = warningDetail,
  eventName = 'INSERT',
) {
  return record(
    sequence,
    {
      pk: `OUTBOX#${String(detail.event_id)}`,
      sk: 'EVENT',
      kind: 'outbox-event',
      event_id: detail.event_id,
      type: 'container.idle-warning',
      detail,
      created_at: '2026-11-22T11:25:00.000Z',
      ttl: 1_795_000_000,
    },
    eventName,
  );
}

function logRecord(sequence: number, version: number) {
  return record(sequence, {
    pk: `CONTAINER#${containerId}`,
    sk: `LOG#${String(version).padStart(10, '0')}`,
    kind: 'status-log',
    id: `${containerId}-${version}-0a0b0c0d`,
    container_id: containerId,
    owner_id: 'usr_1',
    version,
    from_status: 'running',
    to_status: 'stopping',
    transition_time: '2026-11-22T10:31:02.120Z',
    created_at: '2026-11-22T10:31:02.120Z',
    duration_ms: 5,
    triggered_by: 'user',
    operation: 'stop',
    reason: 'stop requested',
    metadata: {},
  });
}

const sentTypes = () =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .map((call) =>
      (call.args[0].input.Entries ?? []).map((entry) => [
        entry.DetailType,
        JSON.parse(entry.Detail ?? '{}').event_id ?? null,
      ]),
    );

describe('publish-transitions: outbox items on the table stream to EventBridge', () => {
  beforeAll(async () => {
    setUnitEnvironment({ EVENT_BUS_NAME: 'default' });
    ({ handler } = await import('../../../functions/streams/publish-transitions'));
  });
  beforeEach(() => eventBridge.reset());
  afterAll(() => eventBridge.restore());

  it('sends a new outbox item as the event it carries, with its event_id, source and bus as every other event', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });

    // Act
    const result = await handler({ Records: [outboxRecord(1)] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]?.args[0].input.Entries ?? [];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual({
      EventBusName: 'default',
      Source: 'container-lifecycle-api',
      DetailType: 'container.idle-warning',
      Detail: expect.any(String),
    });
    expect(JSON.parse(entries[0]?.Detail ?? '{}')).toEqual(warningDetail);
  });

  it('sends outbox events and transitions in stream order, and passes over an outbox item expiring', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    // Act
    await handler({
      Records: [
        logRecord(1, 4),
        outboxRecord(2),
        logRecord(3, 5),
        // TTL deletes the item two days on: a REMOVE is no event.
        outboxRecord(4, { ...warningDetail, event_id: 'evt_ffffffffffffffffffffffff' }, 'REMOVE'),
      ],
    });

    // Assess
    expect(sentTypes()).toEqual([
      [
        ['container.status-changed', expect.stringMatching(/^evt_/)],
        ['container.idle-warning', warningDetail.event_id],
        ['container.status-changed', expect.stringMatching(/^evt_/)],
      ],
    ]);
  });

  it('reports the first record of a failed PutEvents, outbox items too, so the stream retries from there', async () => {
    // Prepare: the first call (records 1-5) goes through, the second (records 6-8) has a failed entry.
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const records = [
      ...Array.from({ length: 5 }, (_, index) => logRecord(index + 1, index + 1)),
      outboxRecord(6),
      logRecord(7, 6),
      logRecord(8, 7),
    ];

    // Act
    const result = await handler({ Records: records });

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '000000000000000000006' }] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('passes over a corrupt outbox item, which would fail every retry, and sends the rest', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const corrupt = record(1, {
      pk: 'OUTBOX#evt_x',
      sk: 'EVENT',
      kind: 'outbox-event',
      type: 'not-an-event',
    });

    // Act
    const result = await handler({ Records: [corrupt, outboxRecord(2)] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sentTypes()).toEqual([[['container.idle-warning', warningDetail.event_id]]]);
  });
});
