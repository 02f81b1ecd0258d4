import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { createEcsClient, EcsContainerRuntime } from '../../../lib/adapters/ecs/ecs-container-runtime';
import type { Container } from '../../../lib/domain/container';
import { newContainerId } from '../../../lib/domain/container-id';
import type { ContainerStatus } from '../../../lib/domain/container-status';
import type { Operation } from '../../../lib/domain/operations';
import type { ContainerRuntime, TaskState } from '../../../lib/ports/container-runtime';
import { randomIds } from '../../../lib/ports/id-generator';
import { createContainer } from '../../../lib/use-cases/create-container';
import type { Dependencies } from '../../../lib/use-cases/dependencies';
import { handleTaskStateChange } from '../../../lib/use-cases/handle-task-state-change';
import { operateContainer } from '../../../lib/use-cases/operate-container';
import { reconcileContainers } from '../../../lib/use-cases/reconcile-containers';
import { type EcsEmulator, type EcsEmulatorOptions, startEcsEmulator } from '../../../local/ecs-emulator';
import { aContainer, aCreateRequest, aTransition, historyOf } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';
import { countReads, writeFleet } from '../../support/fleet';

const t0 = new Date('2026-11-23T12:00:00.000Z');
const minutesAfter = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const actor = { id: 'usr_alice', isAdmin: false };
/** The settle limit: 5 minutes; a task may provision for 3 times that before it is given up. */
const settleAfterSeconds = 300;
const unknownTaskArn = 'arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef0123456789abcdef';

describe('the reconciler', () => {
  const emulators: EcsEmulator[] = [];
  let runtime: EcsContainerRuntime;
  let ecs: EcsEmulator;
  let table: TestTable;
  let current: Date;

  async function emulatorRuntime(options: EcsEmulatorOptions) {
    // No listener is subscribed: every task state change event is lost, as when EventBridge drops one.
    const emulator = await startEcsEmulator({ logger: { error: () => undefined }, ...options });
    emulators.push(emulator);
    const client = createEcsClient({ endpoint: emulator.endpoint, region: emulator.region });
    const ecsRuntime = new EcsContainerRuntime(client, {
      cluster: 'default',
      subnets: ['subnet-local'],
      securityGroups: [],
      assignPublicIp: true,
      taskDefinitionFamilyPrefix: 'clc',
    });
    return { emulator, runtime: ecsRuntime };
  }

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    ({ emulator: ecs, runtime } = await emulatorRuntime({ startMs: 30, stopMs: 30 }));
  });
  afterAll(async () => {
    await Promise.all(emulators.map((emulator) => emulator.close()));
  });
  beforeEach(async () => {
    table = await createTestTable();
    current = t0;
    ecs.faults.clear();
  });

  function dependencies(taskRuntime: ContainerRuntime = runtime): Dependencies {
    return {
      repository: repositoryOf(table),
      runtime: taskRuntime,
      clock: { now: () => current },
      ids: randomIds,
      events: { publish: async () => undefined },
      settings: {
        containerQuota: 100,
        settleAfterSeconds,
        idleWarningSeconds: 0,
        retentionSeconds: 30 * 86_400,
      },
    };
  }

  const reconcile = (deps = dependencies()) =>
    reconcileContainers(deps, { stopBy: new Date(current.getTime() + 60_000) });

  /** A container created (and its task launched) now, by the clock. */
  async function launchedContainer(deps = dependencies()): Promise<Container> {
    const { container } = await createContainer(deps, aCreateRequest({ actor, start: true }));
    return container;
  }

  /** A container whose RUNNING event did arrive: running now, by the clock. */
  async function runningContainer(): Promise<Container> {
    const launched = await launchedContainer();
    await waitForTask(runtime, taskArnOf(launched), 'RUNNING');
    await deliverEvent(launched.id);
    const container = await stored(launched.id);
    expect(container.status).toBe('running');
    return container;
  }

  /** What ECS says about the container's task now, delivered as its event would be. */
  async function deliverEvent(containerId: string): Promise<void> {
    const container = await stored(containerId);
    const state = (await runtime.describeTask(taskArnOf(container))) as TaskState;
    await handleTaskStateChange(dependencies(), {
      ...state,
      stopCode: state.stopCode,
      stoppedReason: state.stoppedReason,
      exitCode: state.exitCode,
      ipAddress: state.ipAddress,
      launch: { containerId, launchVersion: container.launchVersion ?? 0 },
      version: state.version ?? 1,
      startedAt: undefined,
      stoppedAt: undefined,
      updatedAt: undefined,
      time: current.toISOString(),
    });
  }

  const operate = (containerId: string, operation: Operation) =>
    operateContainer(dependencies(), { actor, containerId, operation });

  async function stored(id: string): Promise<Container> {
    const container = await repositoryOf(table).getContainer(id);
    if (!container) throw new Error(`container ${id} is gone`);
    return container;
  }

  async function logsOf(containerId: string) {
    const page = await repositoryOf(table).listStatusLogs({
      containerId,
      sortBy: 'created_at',
      order: 'asc',
      limit: 50,
    });
    return page.items;
  }

  /**
   * A container stored as it is, in `status` since `minutesAgo` before t0, with a task definition
   * but no task started: the task is one ECS never ran, or none.
   */
  async function storedContainer(status: ContainerStatus, minutesAgo: number, taskArn: string | null) {
    const since = minutesAfter(-minutesAgo).toISOString();
    const id = newContainerId(new Date(since));
    const container = aContainer({
      id,
      taskDefinitionArn: await runtime.registerTaskDefinition({
        containerId: id,
        image: 'public.ecr.aws/docker/library/python:3.13',
        cpuUnits: 256,
        memoryMb: 512,
      }),
      status,
      createdAt: since,
      updatedAt: since,
      lastUsedAt: since,
      lastTransitionAt: since,
      ipAddress: null,
      task:
        taskArn === null
          ? null
          : {
              arn: taskArn,
              lastStatus: 'PROVISIONING',
              desiredStatus: 'RUNNING',
              stopCode: null,
              stoppedReason: null,
              eventVersion: 0,
            },
    });
    await repositoryOf(table).createContainer({ container, logs: historyOf(container), quota: 100 });
    return container;
  }

  it('settles a starting container as running when its task runs but the RUNNING event never came', async () => {
    // Prepare
    const launched = await launchedContainer();
    await waitForTask(runtime, taskArnOf(launched), 'RUNNING');
    current = minutesAfter(6);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toEqual({ examined: 1, settled: 1, left: 0, failed: 0, failures: [], complete: true });
    const container = await stored(launched.id);
    expect(container).toMatchObject({ status: 'running', version: launched.version + 1 });
    expect(container.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect((await logsOf(launched.id)).at(-1)).toMatchObject({
      fromStatus: 'starting',
      toStatus: 'running',
      triggeredBy: 'reconciler',
      operation: 'create',
      reason: 'the task is running',
    });
  });

  it('settles a stopping container as stopped when its task stopped but the STOPPED event never came', async () => {
    // Prepare
    const launched = await launchedContainer();
    await waitForTask(runtime, taskArnOf(launched), 'RUNNING');
    await operate(launched.id, 'stop');
    await waitForTask(runtime, taskArnOf(launched), 'STOPPED');
    current = minutesAfter(6);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toMatchObject({ examined: 1, settled: 1, left: 0, failed: 0 });
    expect(await stored(launched.id)).toMatchObject({ status: 'stopped', ipAddress: null });
    expect((await logsOf(launched.id)).at(-1)).toMatchObject({
      fromStatus: 'stopping',
      toStatus: 'stopped',
      triggeredBy: 'reconciler',
      operation: 'stop',
      reason: expect.stringContaining('the task stopped: stop requested through the API'),
    });
  });

  it('settles a pausing container as paused when its task stopped but the STOPPED event never came', async () => {
    // Prepare
    const running = await runningContainer();
    await operate(running.id, 'pause');
    await waitForTask(runtime, taskArnOf(running), 'STOPPED');
    current = minutesAfter(6);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toMatchObject({ examined: 1, settled: 1 });
    expect(await stored(running.id)).toMatchObject({ status: 'paused' });
    expect((await logsOf(running.id)).at(-1)).toMatchObject({
      fromStatus: 'pausing',
      toStatus: 'paused',
      triggeredBy: 'reconciler',
      operation: 'pause',
    });
  });

  it('puts a starting container whose task failed to start in error, with the reason ECS gives', async () => {
    // Prepare
    ecs.faults.inject({ kind: 'failToStart', reason: 'CannotPullContainerError: image not found' });
    const launched = await launchedContainer();
    await waitForTask(runtime, taskArnOf(launched), 'STOPPED');
    current = minutesAfter(6);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toMatchObject({ examined: 1, settled: 1 });
    const container = await stored(launched.id);
    expect(container.status).toBe('error');
    expect(container.statusReason).toContain(
      'the task failed to start: CannotPullContainerError: image not found',
    );
    expect(container.statusReason).toContain('TaskFailedToStart');
    expect((await logsOf(launched.id)).at(-1)).toMatchObject({
      toStatus: 'error',
      triggeredBy: 'reconciler',
    });
  });

  it('finishes a restart whose events never came: launches the new task, then settles it as running', async () => {
    // Prepare
    const running = await runningContainer();
    await operate(running.id, 'restart');
    await waitForTask(runtime, taskArnOf(running), 'STOPPED');
    current = minutesAfter(6);

    // Act
    const first = await reconcile();
    const relaunched = await stored(running.id);
    await waitForTask(runtime, taskArnOf(relaunched), 'RUNNING');
    const second = await reconcile();

    // Assess
    expect(first).toMatchObject({ examined: 1, settled: 1 });
    expect(relaunched.status).toBe('restarting');
    expect(taskArnOf(relaunched)).not.toBe(taskArnOf(running));
    expect(second).toMatchObject({ examined: 1, settled: 1 });
    expect(await stored(running.id)).toMatchObject({ status: 'running' });
    expect((await logsOf(running.id)).at(-1)).toMatchObject({
      fromStatus: 'restarting',
      toStatus: 'running',
      triggeredBy: 'reconciler',
      operation: 'restart',
    });
  });

  it('settles containers whose task ECS no longer knows: stopping as stopped, starting as error', async () => {
    // Prepare
    const stopping = await storedContainer('stopping', 10, unknownTaskArn);
    const starting = await storedContainer('starting', 10, unknownTaskArn);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toMatchObject({ examined: 2, settled: 2, left: 0, failed: 0 });
    expect(await stored(stopping.id)).toMatchObject({
      status: 'stopped',
      statusReason: 'ECS no longer knows the task',
    });
    expect(await stored(starting.id)).toMatchObject({
      status: 'error',
      statusReason: 'ECS no longer knows the task',
      task: { arn: unknownTaskArn, lastStatus: 'MISSING' },
    });
    for (const container of [stopping, starting]) {
      expect((await logsOf(container.id)).at(-1)).toMatchObject({
        triggeredBy: 'reconciler',
        reason: 'ECS no longer knows the task',
        metadata: { task_arn: unknownTaskArn, last_status: 'MISSING' },
      });
    }
  });

  it('puts a starting container with no task recorded in error, startable again; a stopping one becomes stopped', async () => {
    // Prepare: the request ended between writing the transition and calling RunTask.
    const starting = await storedContainer('starting', 10, null);
    const stopping = await storedContainer('stopping', 10, null);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toMatchObject({ examined: 2, settled: 2 });
    const errored = await stored(starting.id);
    expect(errored.status).toBe('error');
    expect(errored.statusReason).toMatch(/^no task was launched/);
    expect(await stored(stopping.id)).toMatchObject({ status: 'stopped' });
    current = minutesAfter(1);
    await expect(operate(starting.id, 'start')).resolves.toMatchObject({ after: { status: 'starting' } });
  });

  it('asks ECS again to stop the task of a stopping container when the stop never reached ECS', async () => {
    // Prepare: the container says stopping, but its task was never asked to stop.
    const running = await runningContainer();
    await repositoryOf(table).saveTransition(aTransition(running, { to: 'stopping', at: t0.toISOString() }));
    current = minutesAfter(6);

    // Act
    const first = await reconcile();
    const asked = await runtime.describeTask(taskArnOf(running));
    await waitForTask(runtime, taskArnOf(running), 'STOPPED');
    const second = await reconcile();

    // Assess
    expect(first).toMatchObject({ examined: 1, settled: 0, left: 1 });
    expect(asked?.desiredStatus).toBe('STOPPED');
    expect(second).toMatchObject({ examined: 1, settled: 1 });
    expect(await stored(running.id)).toMatchObject({ status: 'stopped' });
  });

  it('leaves a container alone until it has been settling longer than the limit', async () => {
    // Prepare
    const launched = await launchedContainer();
    await waitForTask(runtime, taskArnOf(launched), 'RUNNING');
    current = minutesAfter(4);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toEqual({ examined: 0, settled: 0, left: 0, failed: 0, failures: [], complete: true });
    expect(await stored(launched.id)).toMatchObject({ status: 'starting', version: launched.version });
  });

  it('changes nothing on a second pass', async () => {
    // Prepare
    const launched = await launchedContainer();
    await waitForTask(runtime, taskArnOf(launched), 'RUNNING');
    const missing = await storedContainer('pausing', 10, unknownTaskArn);
    current = minutesAfter(6);
    await reconcile();
    const after = await Promise.all([stored(launched.id), stored(missing.id)]);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toEqual({ examined: 0, settled: 0, left: 0, failed: 0, failures: [], complete: true });
    expect(after.map((container) => container.status)).toEqual(['running', 'paused']);
    expect(await Promise.all([stored(launched.id), stored(missing.id)])).toEqual(after);
  });

  it('reads only the containers that are due, and never scans', async () => {
    // Prepare: 3 due among 40 settling too recently and 40 at rest.
    const due = await Promise.all(
      [10, 20, 30].map((minutes) => storedContainer('starting', minutes, unknownTaskArn)),
    );
    const since = (minutes: number) => minutesAfter(-minutes).toISOString();
    const recent = Array.from({ length: 40 }, (_, index) =>
      aContainer({ status: 'starting', lastTransitionAt: since(index % 4), createdAt: since(5) }),
    );
    const resting = Array.from({ length: 40 }, () =>
      aContainer({ status: 'running', lastTransitionAt: since(60), createdAt: since(61) }),
    );
    await writeFleet(table.client, table.tableName, [...recent, ...resting]);
    const reads = countReads(table.client);

    // Act
    const summary = await reconcile();

    // Assess
    expect(summary).toMatchObject({ examined: 3, settled: 3 });
    expect(reads.scans).toBe(0);
    expect(reads.itemsRead).toBe(due.length);
  });

  it('starts no work once its time is up, and says it did not finish', async () => {
    // Prepare
    await storedContainer('starting', 10, unknownTaskArn);

    // Act
    const summary = await reconcileContainers(dependencies(), { stopBy: new Date(current.getTime() - 1) });

    // Assess
    expect(summary).toEqual({ examined: 0, settled: 0, left: 0, failed: 0, failures: [], complete: false });
  });

  it('counts a container failed, and leaves it for the next run, when ECS cannot be asked', async () => {
    // Prepare
    const container = await storedContainer('starting', 10, unknownTaskArn);
    ecs.faults.inject({ operation: 'DescribeTasks', kind: 'serverError', times: Number.POSITIVE_INFINITY });

    // Act
    const summary = await reconcile();
    ecs.faults.clear();
    const next = await reconcile();

    // Assess
    expect(summary).toMatchObject({ examined: 1, settled: 0, failed: 1 });
    expect(summary.failures).toEqual([
      { containerId: container.id, error: expect.stringContaining('DescribeTasks') },
    ]);
    expect(next).toMatchObject({ examined: 1, settled: 1, failed: 0 });
  });

  describe('with tasks that take long to start or stop', () => {
    let slowStart: EcsContainerRuntime;
    let slowStop: EcsContainerRuntime;

    beforeAll(async () => {
      ({ runtime: slowStart } = await emulatorRuntime({ startMs: 600_000, stopMs: 30 }));
      ({ runtime: slowStop } = await emulatorRuntime({ startMs: 30, stopMs: 600_000 }));
    });

    it('leaves a task that is still provisioning within three times the limit', async () => {
      // Prepare
      const deps = dependencies(slowStart);
      const launched = await launchedContainer(deps);
      current = minutesAfter(14);

      // Act
      const summary = await reconcile(deps);

      // Assess
      expect(summary).toMatchObject({ examined: 1, settled: 0, left: 1 });
      expect(await stored(launched.id)).toMatchObject({ status: 'starting', version: launched.version });
      expect((await slowStart.describeTask(taskArnOf(launched)))?.desiredStatus).toBe('RUNNING');
    });

    it('stops a task still provisioning past three times the limit and puts its container in error', async () => {
      // Prepare
      const deps = dependencies(slowStart);
      const launched = await launchedContainer(deps);
      current = minutesAfter(16);

      // Act
      const summary = await reconcile(deps);

      // Assess
      expect(summary).toMatchObject({ examined: 1, settled: 1 });
      const container = await stored(launched.id);
      expect(container.status).toBe('error');
      expect(container.statusReason).toMatch(/^the task did not reach RUNNING within 900 s/);
      expect((await slowStart.describeTask(taskArnOf(launched)))?.desiredStatus).toBe('STOPPED');
    });

    it('leaves a stopping container whose task runs but is already on its way to STOPPED', async () => {
      // Prepare
      const deps = dependencies(slowStop);
      const launched = await launchedContainer(deps);
      await waitForTask(slowStop, taskArnOf(launched), 'RUNNING');
      await operateContainer(deps, { actor, containerId: launched.id, operation: 'stop' });
      current = minutesAfter(30);

      // Act
      const summary = await reconcile(deps);

      // Assess
      expect(summary).toMatchObject({ examined: 1, settled: 0, left: 1 });
      expect(await slowStop.describeTask(taskArnOf(launched))).toMatchObject({
        lastStatus: 'RUNNING',
        desiredStatus: 'STOPPED',
      });
      expect(await stored(launched.id)).toMatchObject({ status: 'stopping' });
    });
  });
});

function repositoryOf(table: TestTable) {
  return new DynamoDbContainerRepository(table.client, { tableName: table.tableName, logRetentionDays: 90 });
}

function taskArnOf(container: Container): string {
  const arn = container.task?.arn;
  if (!arn) throw new Error(`container ${container.id} has no task`);
  return arn;
}

/** Polls ECS until the task reaches `lastStatus`: the emulator runs its tasks in real time. */
async function waitForTask(runtime: ContainerRuntime, taskArn: string, lastStatus: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const state = await runtime.describeTask(taskArn);
    if (state?.lastStatus === lastStatus) return;
    if (Date.now() > deadline) throw new Error(`${taskArn} is ${state?.lastStatus}, not ${lastStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
