import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { DynamoDbScheduleRepository } from '../../../lib/adapters/dynamodb/dynamodb-schedule-repository';
import { releaseFilter, releasesFromStream } from '../../../lib/adapters/dynamodb/stream-records';
import type { EcsContainerRuntime } from '../../../lib/adapters/ecs/ecs-container-runtime';
import { newContainerId } from '../../../lib/domain/container-id';
import { randomIds } from '../../../lib/ports/id-generator';
import { createContainer } from '../../../lib/use-cases/create-container';
import { deleteContainer } from '../../../lib/use-cases/delete-container';
import type { Dependencies } from '../../../lib/use-cases/dependencies';
import { putSchedule } from '../../../lib/use-cases/put-schedule';
import {
  releaseTaskDefinitions,
  type StreamedRelease,
} from '../../../lib/use-cases/release-task-definitions';
import type { EcsEmulator } from '../../../local/ecs-emulator';
import { startStreamPoller } from '../../../local/stream-poller';
import { aCreateRequest } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';
import { startEmulatedRuntime } from '../../support/ecs-runtime';

const actor = { id: 'usr_alice', isAdmin: false };

describe("the release of deleted containers' task definitions, from the table stream", () => {
  let ecs: EcsEmulator;
  let ecsClient: ECSClient;
  let runtime: EcsContainerRuntime;
  let table: TestTable;
  let schedules: DynamoDbScheduleRepository;
  let sequence = 0;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    ({ ecs, client: ecsClient, runtime } = await startEmulatedRuntime());
  });
  afterAll(async () => {
    ecsClient.destroy();
    await ecs.close();
  });
  beforeEach(async () => {
    table = await createTestTable();
    // A limit of one: a place held by a deleted container's schedule shows at the next PUT.
    schedules = new DynamoDbScheduleRepository(table.client, {
      tableName: table.tableName,
      scheduleLimit: 1,
    });
    ecs.faults.clear();
  });

  /** What the release function is given. */
  const releaseDeps = () => ({ runtime, schedules, familyPrefix: 'clc' });

  /** Puts a weekly schedule on the container: created, or the error code that refused it. */
  function scheduleContainer(containerId: string): Promise<boolean | string | undefined> {
    const windows = [{ days: ['mon' as const], start: '09:00', stop: '17:00' }];
    return putSchedule(
      { ...dependencies(), schedules },
      { actor, target: { containerId }, timeZone: 'UTC', windows },
    ).then(
      (put) => put.created,
      (error: { code?: string }) => error.code,
    );
  }

  function dependencies(): Dependencies {
    return {
      repository: new DynamoDbContainerRepository(table.client, {
        tableName: table.tableName,
        logRetentionDays: 90,
      }),
      runtime,
      clock: { now: () => new Date() },
      ids: randomIds,
      events: { publish: async () => undefined },
      settings: {
        containerQuota: 100,
        settleAfterSeconds: 300,
        idleWarningSeconds: 0,
        retentionSeconds: 86_400,
      },
    };
  }

  async function registered(): Promise<StreamedRelease> {
    const containerId = newContainerId(new Date());
    const taskDefinitionArn = await runtime.registerTaskDefinition({
      containerId,
      image: 'public.ecr.aws/docker/library/nginx:1.27',
      cpuUnits: 256,
      memoryMb: 512,
    });
    sequence += 1;
    return { sequenceNumber: String(sequence).padStart(21, '0'), containerId, taskDefinitionArn };
  }

  async function statusOf(taskDefinitionArn: string | null) {
    const answer = await ecsClient.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn ?? '' }),
    );
    return answer.taskDefinition?.status;
  }

  it('leaves the definition to the stream at delete, and the stream, filtered to the release item the delete wrote, releases it', async () => {
    // Prepare: a stopped container, and the stream read through the release's filter
    const { container } = await createContainer(
      dependencies(),
      aCreateRequest({ actor, image: 'public.ecr.aws/docker/library/nginx:1.27' }),
    );
    const handed: string[] = [];
    const poller = await startStreamPoller({
      endpoint: inject('dynamoDbEndpoint'),
      tableName: table.tableName,
      intervalMs: 20,
      filters: [releaseFilter],
      handler: async (event) => {
        handed.push(...event.Records.map((record) => `${record.eventName} ${record.dynamodb?.Keys?.sk?.S}`));
        const result = await releaseTaskDefinitions(releaseDeps(), releasesFromStream(event.Records));
        return { batchItemFailures: result.failedFrom ? [{ itemIdentifier: result.failedFrom }] : [] };
      },
      log: () => undefined,
    });

    try {
      // Act
      await deleteContainer(dependencies(), { actor, containerId: container.id });
      const atDelete = await statusOf(container.taskDefinitionArn);
      await poller.drain();

      // Assess: of the creation's and the delete's writes, the function saw the release item only
      expect(atDelete).toBe('ACTIVE');
      expect(handed).toEqual([`INSERT RELEASE#${container.taskDefinitionArn}`]);
      expect(await statusOf(container.taskDefinitionArn)).toBe('INACTIVE');
    } finally {
      await poller.stop();
    }
  });

  it('counts a definition already released, or never known to ECS, as released', async () => {
    // Prepare
    const gone = await registered();
    await runtime.deregisterTaskDefinition(gone.taskDefinitionArn);
    const neverRegistered = newContainerId(new Date());
    const unknown = {
      ...(await registered()),
      containerId: neverRegistered,
      taskDefinitionArn: `clc-${neverRegistered}:1`,
    };

    // Act
    const result = await releaseTaskDefinitions(releaseDeps(), [gone, unknown]);

    // Assess
    expect(result).toEqual({ released: 2, schedulesRemoved: 0, refused: [], failedFrom: undefined });
  });

  it('fails from the record ECS throttled, leaving it and those after it ACTIVE, and releases them once ECS recovers', async () => {
    // Prepare
    const [first, second] = [await registered(), await registered()];
    const throttle = ecs.faults.inject({
      operation: 'DeregisterTaskDefinition',
      kind: 'throttle',
      times: Number.POSITIVE_INFINITY,
    });

    // Act
    const failed = await releaseTaskDefinitions(releaseDeps(), [first, second]);
    const whileThrottled = [
      await statusOf(first.taskDefinitionArn),
      await statusOf(second.taskDefinitionArn),
    ];
    throttle.clear();
    const retried = await releaseTaskDefinitions(releaseDeps(), [first, second]);

    // Assess
    expect(failed).toMatchObject({
      released: 0,
      failedFrom: first.sequenceNumber,
      error: expect.stringContaining('DeregisterTaskDefinition'),
    });
    expect(whileThrottled).toEqual(['ACTIVE', 'ACTIVE']);
    expect(retried).toEqual({ released: 2, schedulesRemoved: 0, refused: [], failedFrom: undefined });
    expect([await statusOf(first.taskDefinitionArn), await statusOf(second.taskDefinitionArn)]).toEqual([
      'INACTIVE',
      'INACTIVE',
    ]);
  });

  it("removes a deleted container's own schedule with its definition, and frees its place under the owner's limit at once", async () => {
    // Prepare: the owner's one schedule (limit 1) is a container's, and the container is deleted
    const deps = { ...dependencies(), schedules };
    const { container: scheduled } = await createContainer(deps, aCreateRequest({ actor, start: false }));
    const { container: other } = await createContainer(deps, aCreateRequest({ actor, start: false }));
    expect(await scheduleContainer(scheduled.id)).toBe(true);
    await deleteContainer(deps, { actor, containerId: scheduled.id });
    const atLimit = await scheduleContainer(other.id);
    sequence += 1;
    const release = {
      sequenceNumber: String(sequence).padStart(21, '0'),
      containerId: scheduled.id,
      taskDefinitionArn: scheduled.taskDefinitionArn ?? '',
    };

    // Act: the release, twice, as a retried stream batch hands it on again
    const first = await releaseTaskDefinitions(releaseDeps(), [release]);
    const again = await releaseTaskDefinitions(releaseDeps(), [release]);

    // Assess: the schedule is gone, its place is free for the other container, and only once
    expect(atLimit).toBe('QUOTA_EXCEEDED');
    expect(first).toEqual({ released: 1, schedulesRemoved: 1, refused: [], failedFrom: undefined });
    expect(again).toEqual({ released: 1, schedulesRemoved: 0, refused: [], failedFrom: undefined });
    expect(await schedules.deleteContainerSchedule(scheduled.id)).toBe(false);
    expect(await scheduleContainer(other.id)).toBe(true);
    // The count is back at one, not below: a third container's schedule is past the limit again.
    const { container: third } = await createContainer(deps, aCreateRequest({ actor, start: false }));
    expect(await scheduleContainer(third.id)).toBe('QUOTA_EXCEEDED');
  });

  it("refuses a release of another family and leaves its container's schedule", async () => {
    // Prepare
    const deps = { ...dependencies(), schedules };
    const { container } = await createContainer(deps, aCreateRequest({ actor, start: false }));
    expect(await scheduleContainer(container.id)).toBe(true);
    const foreign = { ...(await registered()), containerId: container.id };

    // Act
    const result = await releaseTaskDefinitions(releaseDeps(), [foreign]);

    // Assess
    expect(result).toEqual({ released: 0, schedulesRemoved: 0, refused: [foreign], failedFrom: undefined });
    expect(await schedules.deleteContainerSchedule(container.id)).toBe(true);
  });
});
