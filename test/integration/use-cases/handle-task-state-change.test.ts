import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import type { Container } from '../../../lib/domain/container';
import type { ContainerRuntime } from '../../../lib/ports/container-runtime';
import { randomIds } from '../../../lib/ports/id-generator';
import type { RuntimeDependencies } from '../../../lib/use-cases/dependencies';
import {
  handleTaskStateChange,
  type TaskStateChange,
  type TaskStateChangeDependencies,
} from '../../../lib/use-cases/handle-task-state-change';
import { aContainer, historyOf } from '../../support/containers';
import { createTestTable } from '../../support/dynamodb';

const t0 = '2026-11-23T12:00:00.000Z';
const oldTask = 'arn:aws:ecs:us-east-1:123456789012:task/default/0000000000000000000000000000old1';
const newTask = 'arn:aws:ecs:us-east-1:123456789012:task/default/0000000000000000000000000000new2';

describe('task events of one container handled side by side (DynamoDB Local)', () => {
  let repository: DynamoDbContainerRepository;
  let stopped: string[];
  let deps: RuntimeDependencies;

  beforeEach(async () => {
    const table = await createTestTable();
    repository = new DynamoDbContainerRepository(table.client, {
      tableName: table.tableName,
      logRetentionDays: 90,
    });
    stopped = [];
    const runtime: ContainerRuntime = {
      registerTaskDefinition: async () => 'arn:aws:ecs:us-east-1:123456789012:task-definition/clc-x:1',
      deregisterTaskDefinition: async () => undefined,
      runTask: async () => ({ taskArn: newTask, lastStatus: 'PROVISIONING' }),
      stopTask: async ({ taskArn }) => {
        stopped.push(taskArn);
      },
      describeTask: async () => undefined,
    };
    deps = {
      repository,
      runtime,
      clock: { now: () => new Date(t0) },
      ids: randomIds,
      settings: {
        containerQuota: 100,
        settleAfterSeconds: 300,
        idleWarningSeconds: 0,
        retentionSeconds: 86_400,
      },
    };
  });

  /** Restarting at version 4: the task of launch 2 was asked to stop and is on its way down. */
  async function storedRestart(): Promise<Container> {
    const container = aContainer({
      status: 'restarting',
      version: 4,
      launchVersion: 2,
      createdAt: t0,
      pendingOperation: { operation: 'restart', requestedAt: t0, transitionId: 'tr_restart' },
      task: {
        arn: oldTask,
        lastStatus: 'STOPPING',
        desiredStatus: 'STOPPED',
        stopCode: 'UserInitiated',
        stoppedReason: 'restart requested through the API',
        eventVersion: 7,
      },
    });
    await repository.createContainer({ container, logs: historyOf(container), quota: 100 });
    return container;
  }

  function event(container: Container, fields: Partial<TaskStateChange>): TaskStateChange {
    return {
      taskArn: oldTask,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      launch: { containerId: container.id, launchVersion: 2 },
      version: 9,
      startedAt: t0,
      stoppedAt: t0,
      updatedAt: t0,
      stopCode: 'UserInitiated',
      stoppedReason: 'restart requested through the API',
      exitCode: undefined,
      ipAddress: undefined,
      time: t0,
      ...fields,
    };
  }

  it("keeps a restart's relaunch when an old task event read before it is written after it, so the new task is not stopped as a stray", async () => {
    // Prepare: the old task's DEPROVISIONING event is read, then held before its write.
    const container = await storedRestart();
    let reachedWrite!: () => void;
    const atWrite = new Promise<void>((resolve) => {
      reachedWrite = resolve;
    });
    let releaseWrite!: () => void;
    const released = new Promise<void>((resolve) => {
      releaseWrite = resolve;
    });
    let held = false;
    const slowDeps: TaskStateChangeDependencies = {
      ...deps,
      repository: {
        getContainer: (id) => repository.getContainer(id),
        saveTransition: (step, options) => repository.saveTransition(step, options),
        saveWithoutTransition: async (before, after) => {
          if (!held) {
            held = true;
            reachedWrite();
            await released;
          }
          return repository.saveWithoutTransition(before, after);
        },
      },
    };
    const deprovisioning = handleTaskStateChange(
      slowDeps,
      event(container, { lastStatus: 'DEPROVISIONING', version: 8, stoppedAt: undefined }),
    );
    await atWrite;

    // Act: the old task's STOPPED event relaunches, then the held write lands, then the new task's first event.
    const relaunch = await handleTaskStateChange(deps, event(container, {}));
    releaseWrite();
    const late = await deprovisioning;
    const first = await handleTaskStateChange(
      deps,
      event(container, {
        taskArn: newTask,
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        launch: { containerId: container.id, launchVersion: 4 },
        version: 1,
        stopCode: undefined,
        stoppedReason: undefined,
        stoppedAt: undefined,
      }),
    );

    // Assess
    expect(relaunch).toEqual({ kind: 'relaunched' });
    expect(stopped).toEqual([]);
    expect(first).toEqual({ kind: 'observed' });
    expect(late).toEqual({ kind: 'ignored', why: 'an earlier launch of the container' });
    expect(await repository.getContainer(container.id)).toMatchObject({
      status: 'restarting',
      version: 4,
      launchVersion: 4,
      task: { arn: newTask, lastStatus: 'PROVISIONING', eventVersion: 1 },
    });
  });
});
