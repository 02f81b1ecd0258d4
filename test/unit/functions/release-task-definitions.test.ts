import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { ClientException, DeregisterTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { releaseFilter } from '../../../lib/adapters/dynamodb/stream-records';
import { logger } from '../../../lib/logger';
import { matchesFilter } from '../../../local/stream-poller';
import { setUnitEnvironment } from '../../support/unit-environment';

const ecs = mockClient(ECSClient);
// No container of these tests has a schedule unless one says so.
const dynamoDb = mockClient(DynamoDBClient);
// biome-ignore lint/suspicious/noExplicitAny: the handler is loaded once the environment is set.
let handler: (event: { Records: DynamoDBRecord[] }) => Promise<any>;

const arnOf = (containerId: string) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/clc-${containerId}:1`;
const sequence = (n: number) => String(n).padStart(21, '0');

/** A write as the stream hands it on: the keys, and the item after it when there is one. */
function record(
  n: number,
  eventName: DynamoDBRecord['eventName'],
  newItem: Record<string, unknown> | undefined,
): DynamoDBRecord {
  const keys = { pk: String(newItem?.pk), sk: String(newItem?.sk) };
  return {
    eventName,
    dynamodb: {
      SequenceNumber: sequence(n),
      Keys: marshall(keys) as never,
      ...(newItem ? { NewImage: marshall(newItem) as never } : {}),
    },
  };
}

/** The release item a delete writes in its transaction, as it is inserted. */
function releaseWritten(n: number, containerId: string, arn = arnOf(containerId)) {
  return record(n, 'INSERT', releaseItemOf(containerId, arn));
}

function releaseItemOf(containerId: string, arn: string) {
  return {
    pk: `CONTAINER#${containerId}`,
    sk: `RELEASE#${arn}`,
    kind: 'task-definition-release',
    container_id: containerId,
    task_definition_arn: arn,
  };
}

const deregistered = () =>
  ecs.commandCalls(DeregisterTaskDefinitionCommand).map((call) => call.args[0].input.taskDefinition);

describe('release-task-definitions: release items on the table stream to DeregisterTaskDefinition', () => {
  beforeAll(async () => {
    setUnitEnvironment();
    ({ handler } = await import('../../../functions/streams/release-task-definitions'));
  });
  beforeEach(() => {
    ecs.reset();
    dynamoDb.reset();
    dynamoDb.on(GetItemCommand).resolves({});
  });
  afterAll(() => {
    ecs.restore();
    dynamoDb.restore();
  });

  it("deregisters a deleted container's task definition, from the release item its delete inserted", async () => {
    // Prepare
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});

    // Act
    const result = await handler({ Records: [releaseWritten(1, 'c1')] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(deregistered()).toEqual([arnOf('c1')]);
  });

  it('passes over other items, release items changed or removed, and release items without an ARN', async () => {
    // Prepare
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    const { task_definition_arn: _, ...withoutArn } = releaseItemOf('c2', arnOf('c2'));
    const records = [
      record(1, 'INSERT', { pk: 'CONTAINER#c1', sk: 'LOG#0000000002', kind: 'status-log' }),
      record(2, 'INSERT', {
        pk: 'CONTAINER#c1',
        sk: 'CONTAINER',
        kind: 'container',
        task_definition_arn: arnOf('c1'),
      }),
      record(3, 'INSERT', withoutArn),
      record(4, 'MODIFY', releaseItemOf('c3', arnOf('c3'))),
      record(5, 'REMOVE', undefined),
      releaseWritten(6, 'c4'),
    ];

    // Act
    const result = await handler({ Records: records });

    // Assess: the handler releases the one it is for, and the mapping's filter lets only the
    // inserted release items through (the one without an ARN is passed over by the handler)
    expect(result).toEqual({ batchItemFailures: [] });
    expect(deregistered()).toEqual([arnOf('c4')]);
    expect(records.map((candidate) => matchesFilter(releaseFilter, candidate))).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it("refuses, and logs, a release whose ARN is not of its container's family, and sends nothing for it", async () => {
    // Prepare: another container's definition, and one of another deployment's prefix
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    const result = await handler({
      Records: [
        releaseWritten(1, 'c1', arnOf('c2')),
        releaseWritten(2, 'c3', 'arn:aws:ecs:us-east-1:123456789012:task-definition/other-c3:4'),
        releaseWritten(3, 'c4'),
      ],
    });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(deregistered()).toEqual([arnOf('c4')]);
    expect(logged.mock.calls.map(([, fields]) => fields?.sequence_number)).toEqual([
      sequence(1),
      sequence(2),
    ]);
    logged.mockRestore();
  });

  it('logs a release item that names no task definition, and passes over it', async () => {
    // Prepare
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const { task_definition_arn: _, ...withoutArn } = releaseItemOf('c1', arnOf('c1'));

    // Act
    const result = await handler({ Records: [record(1, 'INSERT', withoutArn), releaseWritten(2, 'c2')] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(deregistered()).toEqual([arnOf('c2')]);
    expect(logged.mock.calls.map(([message]) => message)).toEqual([
      'release item is corrupt: no task definition or container',
    ]);
    logged.mockRestore();
  });

  it('counts a task definition ECS no longer has as released', async () => {
    // Prepare
    ecs
      .on(DeregisterTaskDefinitionCommand)
      .rejects(
        new ClientException({ message: 'The specified task definition does not exist.', $metadata: {} }),
      );

    // Act
    const result = await handler({ Records: [releaseWritten(1, 'c1'), releaseWritten(2, 'c2')] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(deregistered()).toEqual([arnOf('c1'), arnOf('c2')]);
  });

  it('reports the record ECS throttled, so the stream retries from it, and sends nothing after it', async () => {
    // Prepare: the first goes through, the second is throttled past the SDK's retries.
    ecs
      .on(DeregisterTaskDefinitionCommand)
      .resolvesOnce({})
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    // Act
    const result = await handler({
      Records: [releaseWritten(1, 'c1'), releaseWritten(2, 'c2'), releaseWritten(3, 'c3')],
    });

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: sequence(2) }] });
    expect(deregistered()).toEqual([arnOf('c1'), arnOf('c2')]);
  });
  it("deletes the container's own schedule after its definition, freeing its place under the owner's count", async () => {
    // Prepare: c1 has a schedule of its own
    const order: string[] = [];
    ecs.on(DeregisterTaskDefinitionCommand).callsFake(async (input) => {
      order.push(`deregister ${input.taskDefinition}`);
      return {};
    });
    dynamoDb.on(GetItemCommand, { Key: { pk: { S: 'SCHEDULE#C#c1' }, sk: { S: 'SCHEDULE' } } }).resolves({
      Item: marshall({
        pk: 'SCHEDULE#C#c1',
        sk: 'SCHEDULE',
        kind: 'schedule',
        source: 'container',
        owner_id: 'usr_alice',
        project_id: 'default',
        container_id: 'c1',
        time_zone: 'UTC',
        windows: [{ days: ['mon'], start: '09:00', stop: '17:00' }],
        next_transition_at: null,
        next_action: null,
        revision: 'r1',
        created_at: '2026-12-07T00:00:00.000Z',
        updated_at: '2026-12-07T00:00:00.000Z',
      }) as never,
    });
    dynamoDb.on(TransactWriteItemsCommand).callsFake(async () => {
      order.push('remove schedule');
      return {};
    });

    // Act
    const result = await handler({ Records: [releaseWritten(1, 'c1'), releaseWritten(2, 'c2')] });

    // Assess: both read (consistently), c1's removed with its owner's count, after its definition
    expect(result).toEqual({ batchItemFailures: [] });
    expect(order).toEqual([`deregister ${arnOf('c1')}`, 'remove schedule', `deregister ${arnOf('c2')}`]);
    expect(dynamoDb.commandCalls(GetItemCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({
        Key: { pk: { S: 'SCHEDULE#C#c1' }, sk: { S: 'SCHEDULE' } },
        ConsistentRead: true,
      }),
      expect.objectContaining({
        Key: { pk: { S: 'SCHEDULE#C#c2' }, sk: { S: 'SCHEDULE' } },
        ConsistentRead: true,
      }),
    ]);
    const [removal] = dynamoDb.commandCalls(TransactWriteItemsCommand).map((call) => call.args[0].input);
    expect(removal?.TransactItems).toEqual([
      expect.objectContaining({
        Delete: expect.objectContaining({ Key: { pk: { S: 'SCHEDULE#C#c1' }, sk: { S: 'SCHEDULE' } } }),
      }),
      expect.objectContaining({
        Update: expect.objectContaining({
          Key: { pk: { S: 'OWNER#usr_alice' }, sk: { S: 'SCHEDULE-COUNT' } },
          UpdateExpression: 'ADD schedule_count :minusOne',
        }),
      }),
    ]);
  });

  it('reports the record whose schedule could not be read, so the stream retries it, and sends nothing after it', async () => {
    // Prepare
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    dynamoDb
      .on(GetItemCommand)
      .resolvesOnce({})
      .rejects(Object.assign(new Error('unavailable'), { name: 'InternalServerError', $fault: 'server' }));

    // Act
    const result = await handler({
      Records: [releaseWritten(1, 'c1'), releaseWritten(2, 'c2'), releaseWritten(3, 'c3')],
    });

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: sequence(2) }] });
    expect(deregistered()).toEqual([arnOf('c1'), arnOf('c2')]);
  });
});
