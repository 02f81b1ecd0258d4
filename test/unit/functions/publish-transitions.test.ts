import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setUnitEnvironment } from '../../support/unit-environment';

const eventBridge = mockClient(EventBridgeClient);
// biome-ignore lint/suspicious/noExplicitAny: the handler is loaded once the environment is set.
let handler: (event: { Records: DynamoDBRecord[] }) => Promise<any>;

/** A status-log item as the stream hands it on, and other items beside it. */
function record(sequence: number, item: Record<string, unknown>, eventName = 'INSERT'): DynamoDBRecord {
  return {
    eventName: eventName as DynamoDBRecord['eventName'],
    dynamodb: {
      SequenceNumber: String(sequence).padStart(21, '0'),
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
    },
  };
}

function logRecord(sequence: number, version: number, triggeredBy = 'user') {
  return record(sequence, {
    pk: 'CONTAINER#6740c3f2a1b2c3d4e5f60718',
    sk: `LOG#${String(version).padStart(10, '0')}`,
    kind: 'status-log',
    id: `6740c3f2a1b2c3d4e5f60718-${version}-0a0b0c0d`,
    container_id: '6740c3f2a1b2c3d4e5f60718',
    owner_id: 'usr_1',
    version,
    from_status: 'running',
    to_status: 'stopping',
    transition_time: '2026-11-22T10:31:02.120Z',
    created_at: '2026-11-22T10:31:02.120Z',
    duration_ms: 5,
    triggered_by: triggeredBy,
    operation: 'stop',
    reason: 'stop requested',
    metadata: {},
  });
}

describe('publish-transitions: the table stream to EventBridge', () => {
  beforeAll(async () => {
    setUnitEnvironment({ EVENT_BUS_NAME: 'default' });
    ({ handler } = await import('../../../functions/streams/publish-transitions'));
  });
  beforeEach(() => eventBridge.reset());
  afterAll(() => eventBridge.restore());

  it('sends container.status-changed for a new status-log item, and passes over every other write', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });

    // Act
    const result = await handler({
      Records: [
        record(1, { pk: 'CONTAINER#x', sk: 'CONTAINER', kind: 'container' }, 'MODIFY'),
        logRecord(2, 4),
        record(3, { pk: 'OWNER#usr_1', sk: 'WEBHOOK#wh_1', kind: 'webhook' }),
        record(4, {
          pk: 'CONTAINER#x',
          sk: 'RELEASE#arn:aws:ecs:us-east-1:123456789012:task-definition/clc-x:1',
          kind: 'task-definition-release',
          container_id: 'x',
          task_definition_arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/clc-x:1',
        }),
      ],
    });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const [call] = eventBridge.commandCalls(PutEventsCommand);
    const [entry] = call?.args[0].input.Entries ?? [];
    expect(call?.args[0].input.Entries).toHaveLength(1);
    expect(entry).toMatchObject({
      EventBusName: 'default',
      Source: 'container-lifecycle-api',
      DetailType: 'container.status-changed',
    });
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual({
      event_id: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
      container_id: '6740c3f2a1b2c3d4e5f60718',
      owner_id: 'usr_1',
      transition_id: '6740c3f2a1b2c3d4e5f60718-4-0a0b0c0d',
      version: 4,
      from_status: 'running',
      to_status: 'stopping',
      operation: 'stop',
      triggered_by: 'user',
      reason: 'stop requested',
      transition_time: '2026-11-22T10:31:02.120Z',
    });
  });

  it('also sends container.auto-stopped for a transition the auto-stop sweep made', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    // Act
    await handler({ Records: [logRecord(1, 7, 'auto-stop')] });

    // Assess
    const types = eventBridge
      .commandCalls(PutEventsCommand)[0]
      ?.args[0].input.Entries?.map((entry) => entry.DetailType);
    expect(types).toEqual(['container.status-changed', 'container.auto-stopped']);
  });

  it('reports the first record of a failed PutEvents, so the stream retries from there and loses nothing', async () => {
    // Prepare: the first call goes through, the second has a failed entry.
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const records = Array.from({ length: 8 }, (_, index) => logRecord(index + 1, index + 1));

    // Act
    const result = await handler({ Records: records });

    // Assess: records 1-5 went out in the first call; the batch is retried from record 6.
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '000000000000000000006' }] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('publishes the retried batch and reports no failure once EventBridge takes it', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejectsOnce(new Error('throttled')).resolves({ FailedEntryCount: 0 });
    const batch = { Records: [logRecord(6, 6), logRecord(7, 7)] };

    // Act
    const first = await handler(batch);
    const retried = await handler(batch);

    // Assess
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: '000000000000000000006' }] });
    expect(retried).toEqual({ batchItemFailures: [] });
    const [, second] = eventBridge.commandCalls(PutEventsCommand);
    expect(second?.args[0].input.Entries?.map((entry) => JSON.parse(entry.Detail ?? '{}').version)).toEqual([
      6, 7,
    ]);
  });
});
