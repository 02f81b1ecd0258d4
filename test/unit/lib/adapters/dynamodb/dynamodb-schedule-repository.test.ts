import {
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { DynamoDbScheduleRepository } from '../../../../../lib/adapters/dynamodb/dynamodb-schedule-repository';
import { DomainError } from '../../../../../lib/domain/errors';
import { logger } from '../../../../../lib/logger';
import type { ScheduleTarget, StoredSchedule } from '../../../../../lib/ports/schedule-repository';

const containerId = '6740c3f2a1b2c3d4e5f60718';
const target: ScheduleTarget = {
  source: 'container',
  ownerId: 'usr_alice',
  projectId: 'default',
  containerId,
};

const schedule: StoredSchedule = {
  id: `container:${containerId}`,
  target,
  timeZone: 'Europe/Berlin',
  windows: [{ days: ['mon'], start: '08:00', stop: '19:00' }],
  next: { at: '2026-11-23T07:00:00.000Z', action: 'start' },
  revision: 'rev-1',
  createdAt: '2026-11-22T10:30:00.000Z',
  updatedAt: '2026-11-22T10:30:00.000Z',
};

/** DynamoDB failing past the SDK's retries, as each kind of failure surfaces from the client. */
const failures = {
  throttled: () => new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }),
  'throttled (control plane)': () =>
    Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
  '5xx': () => Object.assign(new Error('Internal server error'), { name: 'InternalServerError' }),
  'timed out': () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }),
};

/** A repository whose every DynamoDB call fails with `failure`. */
function failingRepository(failure: () => Error) {
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  mockClient(client)
    .onAnyCommand()
    .callsFake(async () => {
      throw failure();
    });
  return new DynamoDbScheduleRepository(client, { tableName: 'containers', scheduleLimit: 50 });
}

/** Every call the repository makes, each sending a different DynamoDB command. */
const calls: Record<string, (repository: DynamoDbScheduleRepository) => Promise<unknown>> = {
  'get (GetItem)': (repository) => repository.get(target),
  'getForContainer (BatchGetItem)': (repository) =>
    repository.getForContainer({ id: containerId, ownerId: 'usr_alice', projectId: 'default' }),
  'put of a new schedule (TransactWriteItems)': (repository) =>
    repository.put(schedule, { replacing: false }),
  'put over a schedule (PutItem)': (repository) => repository.put(schedule, { replacing: true }),
  'delete (TransactWriteItems)': (repository) => repository.delete(target),
  'deleteContainerSchedule (GetItem)': (repository) => repository.deleteContainerSchedule(containerId),
  'advance (PutItem)': (repository) => repository.advance(schedule, null),
  'retryLater (PutItem)': (repository) =>
    repository.retryLater(schedule, {
      at: schedule.next?.at ?? '',
      attempts: 1,
      since: schedule.updatedAt,
      containerIds: ['6740c3f2a1b2c3d4e5f60719'],
      unfinished: false,
    }),
  'containersWithOwnSchedule (BatchGetItem)': (repository) =>
    repository.containersWithOwnSchedule([containerId]),
  'listDue (Query)': (repository) => repository.listDue({ shard: 0, upTo: schedule.updatedAt, limit: 10 }),
};

describe('DynamoDbScheduleRepository when DynamoDB is unavailable', () => {
  it.each(Object.keys(calls))(
    'answers EXTERNAL_SERVICE_ERROR (502) to %s when DynamoDB is throttled',
    async (call) => {
      const error = await calls[call]?.(failingRepository(failures.throttled)).catch(
        (thrown: unknown) => thrown,
      );

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: 'EXTERNAL_SERVICE_ERROR',
        cause: { name: 'ProvisionedThroughputExceededException' },
      });
    },
  );

  it.each(Object.keys(failures))(
    'answers EXTERNAL_SERVICE_ERROR to a read when DynamoDB is %s',
    async (failed) => {
      const failure = failures[failed as keyof typeof failures];

      const error = await failingRepository(failure)
        .get(target)
        .catch((thrown: unknown) => thrown);

      expect(error).toMatchObject({ code: 'EXTERNAL_SERVICE_ERROR', cause: { name: failure().name } });
    },
  );

  it('still reads a failed condition as its own answer, not as DynamoDB failing', async () => {
    // Prepare: every PutItem finds its condition false, as after a PUT since the sweep's read.
    const client = new DynamoDBClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    mockClient(client)
      .onAnyCommand()
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    const repository = new DynamoDbScheduleRepository(client, { tableName: 'containers', scheduleLimit: 50 });

    // Act
    const advanced = await repository.advance(schedule, null);

    // Assess
    expect(advanced).toBe(false);
  });

  it('answers EXTERNAL_SERVICE_ERROR when BatchGetItem keeps leaving keys unread', async () => {
    // Prepare: DynamoDB answers every BatchGetItem with all its keys unprocessed, as under load.
    const client = new DynamoDBClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    mockClient(client)
      .on(BatchGetItemCommand)
      .callsFake(async (input: BatchGetItemCommandInput) => ({
        Responses: {},
        UnprocessedKeys: input.RequestItems,
      }));
    const repository = new DynamoDbScheduleRepository(client, { tableName: 'containers', scheduleLimit: 50 });

    // Act
    const error = await repository
      .getForContainer({ id: containerId, ownerId: 'usr_alice', projectId: 'default' })
      .catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'EXTERNAL_SERVICE_ERROR' });
  });
});

/** A repository on a mocked client, for the answers of DynamoDB that DynamoDB Local cannot be made to give. */
function mockedRepository() {
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const mock = mockClient(client);
  return {
    mock,
    repository: new DynamoDbScheduleRepository(client, { tableName: 'containers', scheduleLimit: 50 }),
  };
}

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('DynamoDbScheduleRepository.delete', () => {
  it("tries again when another write of the owner's count conflicts, and deletes the schedule", async () => {
    // Prepare: the first two transactions meet another one on the owner's count item
    const { mock, repository } = mockedRepository();
    mock
      .on(TransactWriteItemsCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .resolves({});

    // Act
    const deleted = await repository.delete(target);

    // Assess
    expect(deleted).toBe(true);
    expect(mock.commandCalls(TransactWriteItemsCommand)).toHaveLength(3);
  });

  it('gives up after four conflicts in a row, with an error the caller reports (the stream retries the record)', async () => {
    const { mock, repository } = mockedRepository();
    mock.on(TransactWriteItemsCommand).rejects(cancelled('None', 'TransactionConflict'));

    const error = await repository.delete(target).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(Error);
    expect(mock.commandCalls(TransactWriteItemsCommand)).toHaveLength(4);
  });
});

describe("DynamoDbScheduleRepository.put of a container's new schedule", () => {
  it('answers CONTAINER_NOT_FOUND when the container is gone by the time it writes (its release found no schedule to free)', async () => {
    // Prepare: the count and the schedule could be written, the container check fails
    const { mock, repository } = mockedRepository();
    mock.on(TransactWriteItemsCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));

    // Act
    const error = await repository.put(schedule, { replacing: false }).catch((thrown: unknown) => thrown);

    // Assess: and the transaction checked the container's own item
    expect(error).toMatchObject({ code: 'CONTAINER_NOT_FOUND' });
    const [write] = mock.commandCalls(TransactWriteItemsCommand).map((call) => call.args[0].input);
    expect(write?.TransactItems?.[2]).toEqual({
      ConditionCheck: {
        TableName: 'containers',
        Key: { pk: { S: `CONTAINER#${containerId}` }, sk: { S: 'CONTAINER' } },
        ConditionExpression: 'attribute_exists(pk)',
      },
    });
  });
});

describe('DynamoDbScheduleRepository.deleteContainerSchedule', () => {
  it("leaves, and logs, an item under the container's key that names another target", async () => {
    // Prepare: the item at SCHEDULE#C#<id> says it is a project's schedule
    const { mock, repository } = mockedRepository();
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    mock.on(GetItemCommand).resolves({
      Item: {
        pk: { S: `SCHEDULE#C#${containerId}` },
        sk: { S: 'SCHEDULE' },
        source: { S: 'project' },
        owner_id: { S: 'usr_bob' },
        project_id: { S: 'web' },
        container_id: { NULL: true },
        time_zone: { S: 'UTC' },
        windows: { L: [] },
        next_transition_at: { NULL: true },
        next_action: { NULL: true },
        revision: { S: 'r1' },
        created_at: { S: '2026-12-07T00:00:00.000Z' },
        updated_at: { S: '2026-12-07T00:00:00.000Z' },
      },
    });

    // Act
    const deleted = await repository.deleteContainerSchedule(containerId);

    // Assess
    expect(deleted).toBe(false);
    expect(mock.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
    expect(logged.mock.calls.map(([message]) => message)).toEqual([
      'schedule item names another target than its key; not deleted',
    ]);
    logged.mockRestore();
  });
});
