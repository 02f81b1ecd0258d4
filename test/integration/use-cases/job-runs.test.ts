import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import type { Container } from '../../../lib/domain/container';
import { runOf } from '../../../lib/domain/job';
import { type ContainerRuntime, RuntimeError } from '../../../lib/ports/container-runtime';
import { randomIds } from '../../../lib/ports/id-generator';
import type { RuntimeDependencies } from '../../../lib/use-cases/dependencies';
import { expireContainers } from '../../../lib/use-cases/expire-containers';
import { handleTaskStateChange, type TaskStateChange } from '../../../lib/use-cases/handle-task-state-change';
import { operateContainer } from '../../../lib/use-cases/operate-container';
import { aContainer, historyOf } from '../../support/containers';
import { createTestTable } from '../../support/dynamodb';

const t0 = '2026-11-23T12:00:00.000Z';
const stoppedAt = '2026-11-23T12:05:00.000Z';
const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef0123456789abcdef';
const actor = { id: 'usr_alice', isAdmin: false };

/** Records the ECS calls asked for; the runtime is not what these tests are about. */
function fakeRuntime(
  runTask: ContainerRuntime['runTask'] = async () => ({ taskArn, lastStatus: 'PROVISIONING' }),
) {
  const stopped: string[] = [];
  const runtime: ContainerRuntime = {
    registerTaskDefinition: async () => 'arn:aws:ecs:us-east-1:123456789012:task-definition/clc-x:1',
    deregisterTaskDefinition: async () => undefined,
    runTask,
    stopTask: async ({ taskArn: arn }) => {
      stopped.push(arn);
    },
    describeTask: async () => undefined,
  };
  return { runtime, stopped };
}

describe('a job through its task events and its starts (DynamoDB Local)', () => {
  let repository: DynamoDbContainerRepository;
  let deps: RuntimeDependencies;
  let stopped: string[];

  beforeEach(async () => {
    const table = await createTestTable();
    repository = new DynamoDbContainerRepository(table.client, {
      tableName: table.tableName,
      logRetentionDays: 90,
    });
    const fake = fakeRuntime();
    stopped = fake.stopped;
    deps = dependenciesWith(fake.runtime);
  });

  function dependenciesWith(runtime: ContainerRuntime): RuntimeDependencies {
    return {
      repository,
      runtime,
      clock: { now: () => new Date(stoppedAt) },
      ids: randomIds,
      settings: {
        containerQuota: 100,
        settleAfterSeconds: 300,
        idleWarningSeconds: 0,
        retentionSeconds: 86_400,
      },
    };
  }

  /** A job whose run `run_2` (launched by version 2) is in `status` at version 3, with its run record. */
  async function storedJob(overrides: Partial<Container> = {}): Promise<Container> {
    const job = aContainer({
      kind: 'job',
      runId: 'run_2',
      idleTimeoutSeconds: null,
      status: 'running',
      version: 3,
      launchVersion: 2,
      createdAt: t0,
      startedAt: t0,
      task: {
        arn: taskArn,
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
        stopCode: null,
        stoppedReason: null,
        eventVersion: 3,
      },
      ...overrides,
    });
    await repository.createContainer({ container: job, logs: historyOf(job), quota: 100, run: runOf(job) });
    return job;
  }

  function stoppedEvent(job: Container, overrides: Partial<TaskStateChange> = {}): TaskStateChange {
    return {
      taskArn,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      launch: { containerId: job.id, launchVersion: 2 },
      version: 6,
      startedAt: t0,
      stoppedAt,
      updatedAt: stoppedAt,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: 0,
      ipAddress: undefined,
      time: stoppedAt,
      ...overrides,
    };
  }

  async function lastLog(containerId: string) {
    const page = await repository.listStatusLogs({
      containerId,
      sortBy: 'created_at',
      order: 'desc',
      limit: 1,
    });
    return page.items[0];
  }

  it('ends a running job succeeded when its task exits 0, and ends its run with it', async () => {
    // Prepare
    const job = await storedJob();

    // Act
    const outcome = await handleTaskStateChange(deps, stoppedEvent(job));

    // Assess
    expect(outcome).toEqual({ kind: 'transitioned', from: 'running', to: 'succeeded' });
    expect(await repository.getContainer(job.id)).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      runId: 'run_2',
      statusReason: expect.stringContaining('the job ran to completion'),
      version: 4,
    });
    expect(await repository.getJobRun(job.id, 'run_2')).toEqual({
      runId: 'run_2',
      containerId: job.id,
      ownerId: job.ownerId,
      taskArn,
      status: 'succeeded',
      startedAt: t0,
      finishedAt: stoppedAt,
      exitCode: 0,
      statusReason: expect.stringContaining('exit code 0'),
    });
    expect((await lastLog(job.id))?.metadata).toMatchObject({ run_id: 'run_2', exit_code: 0 });
  });

  it('ends a running job failed with the exit code when its task exits non-zero', async () => {
    // Prepare
    const job = await storedJob();

    // Act
    await handleTaskStateChange(deps, stoppedEvent(job, { exitCode: 3 }));

    // Assess
    const failed = await repository.getContainer(job.id);
    expect(failed).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(failed?.statusReason).toContain('exit code 3');
    expect(await repository.getJobRun(job.id, 'run_2')).toMatchObject({
      status: 'failed',
      exitCode: 3,
      finishedAt: stoppedAt,
    });
  });

  it('ends a job failed when its task fails to start', async () => {
    // Prepare
    const job = await storedJob({ status: 'starting' });

    // Act
    await handleTaskStateChange(
      deps,
      stoppedEvent(job, {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError',
        exitCode: undefined,
      }),
    );

    // Assess
    const failed = await repository.getContainer(job.id);
    expect(failed).toMatchObject({ status: 'failed', exitCode: null });
    expect(failed?.statusReason).toContain("the job's task failed to start: CannotPullContainerError");
  });

  it('ends a job stopped through the API in stopped, not failed, and its run with it', async () => {
    // Prepare
    const job = await storedJob({ status: 'stopping' });

    // Act
    await handleTaskStateChange(
      deps,
      stoppedEvent(job, { stopCode: 'UserInitiated', stoppedReason: 'stop requested through the API' }),
    );

    // Assess
    expect(await repository.getContainer(job.id)).toMatchObject({ status: 'stopped', exitCode: 0 });
    expect(await repository.getJobRun(job.id, 'run_2')).toMatchObject({
      status: 'stopped',
      finishedAt: stoppedAt,
    });
  });

  it('ignores the same STOPPED event twice and an older RUNNING event after it (detail.version)', async () => {
    // Prepare
    const job = await storedJob();
    await handleTaskStateChange(deps, stoppedEvent(job, { exitCode: 3 }));

    // Act
    const duplicate = await handleTaskStateChange(deps, stoppedEvent(job, { exitCode: 0 }));
    const late = await handleTaskStateChange(
      deps,
      stoppedEvent(job, { lastStatus: 'RUNNING', desiredStatus: 'RUNNING', version: 4, stopCode: undefined }),
    );

    // Assess
    expect(duplicate).toEqual({ kind: 'ignored', why: 'a duplicate or stale event' });
    expect(late).toEqual({ kind: 'ignored', why: 'a duplicate or stale event' });
    expect(await repository.getContainer(job.id)).toMatchObject({
      status: 'failed',
      exitCode: 3,
      version: 4,
    });
    expect(await repository.getJobRun(job.id, 'run_2')).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(stopped).toEqual([]);
  });

  it('keeps a service as it was: a task that exits non-zero while running is an error, with no run', async () => {
    // Prepare
    const service = await storedJob({ kind: 'service', runId: null, idleTimeoutSeconds: 3600 });

    // Act
    await handleTaskStateChange(deps, stoppedEvent(service, { exitCode: 3 }));

    // Assess
    expect(await repository.getContainer(service.id)).toMatchObject({ status: 'error', exitCode: null });
    expect((await repository.listJobRuns({ containerId: service.id, limit: 10 })).items).toEqual([]);
  });

  it('begins a new run on start from succeeded, and leaves the finished run as it ended', async () => {
    // Prepare
    const job = await storedJob();
    await handleTaskStateChange(deps, stoppedEvent(job));

    // Act
    const step = await operateContainer(deps, { actor, containerId: job.id, operation: 'start' });

    // Assess
    expect(step.after).toMatchObject({
      status: 'starting',
      runId: 'run_5',
      exitCode: null,
      launchVersion: 5,
    });
    expect(step.log.metadata).toMatchObject({ run_id: 'run_5' });
    const runs = await repository.listJobRuns({ containerId: job.id, limit: 10 });
    expect(runs.items.map((run) => [run.runId, run.status])).toEqual([
      ['run_5', 'starting'],
      ['run_2', 'succeeded'],
    ]);
  });

  it('ends the run of a start whose RunTask failed as failed, and puts the job back on its last run', async () => {
    // Prepare
    const job = await storedJob();
    await handleTaskStateChange(deps, stoppedEvent(job));
    const noCapacity = dependenciesWith(
      fakeRuntime(async () => {
        throw new RuntimeError('CAPACITY_UNAVAILABLE', 'RESOURCE:MEMORY');
      }).runtime,
    );

    // Act
    const refusal = await operateContainer(noCapacity, {
      actor,
      containerId: job.id,
      operation: 'start',
    }).catch((error: unknown) => error);

    // Assess
    expect(refusal).toMatchObject({ code: 'CAPACITY_UNAVAILABLE' });
    expect(await repository.getContainer(job.id)).toMatchObject({
      status: 'succeeded',
      runId: 'run_2',
      exitCode: 0,
    });
    expect(await repository.getJobRun(job.id, 'run_5')).toMatchObject({
      status: 'failed',
      statusReason: expect.stringContaining('start failed and was undone'),
    });
    expect(await repository.getJobRun(job.id, 'run_2')).toMatchObject({ status: 'succeeded' });
  });

  it('refuses pause and restart of a running job with OPERATION_STATE_CONFLICT', async () => {
    // Prepare
    const job = await storedJob();

    // Act
    const pause = await operateContainer(deps, { actor, containerId: job.id, operation: 'pause' }).catch(
      (e) => e,
    );
    const restart = await operateContainer(deps, { actor, containerId: job.id, operation: 'restart' }).catch(
      (e) => e,
    );

    // Assess
    expect(pause).toMatchObject({
      code: 'OPERATION_STATE_CONFLICT',
      details: { allowed_operations: ['stop', 'force-stop'] },
    });
    expect(restart).toMatchObject({ code: 'OPERATION_STATE_CONFLICT' });
    expect(await repository.getContainer(job.id)).toMatchObject({ status: 'running', version: 3 });
  });

  it.each(['succeeded', 'failed'] as const)(
    'expires a job %s for longer than the retention, as a stopped container, and keeps how its run ended',
    async (status) => {
      // Prepare: the run ended 2 days before the clock; the retention is 1 day.
      const job = await storedJob({ status, exitCode: status === 'succeeded' ? 0 : 3, lastTransitionAt: t0 });
      const later = { ...deps, clock: { now: () => new Date(Date.parse(t0) + 2 * 86_400_000) } };

      // Act
      const summary = await expireContainers(later, { stopBy: new Date(Date.parse(t0) + 3 * 86_400_000) });

      // Assess
      expect(summary).toMatchObject({ expired: 1 });
      expect(await repository.getContainer(job.id)).toMatchObject({ status: 'expired' });
      expect(await repository.getJobRun(job.id, 'run_2')).toMatchObject({ status });
    },
  );
});
