import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { DynamoDbScheduleRepository } from '../../../lib/adapters/dynamodb/dynamodb-schedule-repository';
import { scheduleDuePartition, shardOf } from '../../../lib/adapters/dynamodb/keys';
import type { EcsContainerRuntime } from '../../../lib/adapters/ecs/ecs-container-runtime';
import type { Container } from '../../../lib/domain/container';
import { newContainerId } from '../../../lib/domain/container-id';
import type { ScheduleWindow } from '../../../lib/domain/schedule';
import type { ContainerRepository } from '../../../lib/ports/container-repository';
import { randomIds } from '../../../lib/ports/id-generator';
import type { ScheduleRepository, StoredSchedule } from '../../../lib/ports/schedule-repository';
import {
  type ApplySchedulesDependencies,
  applySchedules,
  maxEdgeAttempts,
} from '../../../lib/use-cases/apply-schedules';
import { deleteSchedule } from '../../../lib/use-cases/delete-schedule';
import { operateContainer } from '../../../lib/use-cases/operate-container';
import { putSchedule } from '../../../lib/use-cases/put-schedule';
import { runAutoStopPasses } from '../../../lib/use-cases/run-auto-stop-passes';
import type { ScheduleTargetInput } from '../../../lib/use-cases/schedule-target';
import type { EcsEmulator } from '../../../local/ecs-emulator';
import { aContainer, aTransition } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';
import { startEmulatedRuntime } from '../../support/ecs-runtime';
import { countReads, writeFleet } from '../../support/fleet';

/** Wednesday 3 June 2026, noon UTC: inside the office-hours window below. */
const noon = new Date('2026-06-03T12:00:00.000Z');
/** Thirty seconds after that window's stop. */
const afterStop = new Date('2026-06-03T19:00:30.000Z');
/** Before that day's start at 08:00: a schedule set then comes due at the start. */
const night = new Date('2026-06-03T02:00:00.000Z');
const afterStart = (minutes: number) => new Date(Date.parse('2026-06-03T08:00:00.000Z') + minutes * 60_000);
const afterStopBy = (minutes: number) => new Date(Date.parse('2026-06-03T19:00:00.000Z') + minutes * 60_000);
const officeHours: ScheduleWindow[] = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '08:00', stop: '19:00' },
];
const owner = { id: 'usr_alice', isAdmin: false };

describe('the schedule sweep', () => {
  let table: TestTable;
  let ecs: EcsEmulator;
  let runtime: EcsContainerRuntime;
  let repository: DynamoDbContainerRepository;
  let schedules: DynamoDbScheduleRepository;
  let clock: Date;

  beforeAll(async () => {
    ({ ecs, runtime } = await startEmulatedRuntime());
  });
  afterAll(async () => {
    await ecs.close();
  });
  beforeEach(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    table = await createTestTable();
    repository = new DynamoDbContainerRepository(table.client, {
      tableName: table.tableName,
      logRetentionDays: 90,
    });
    schedules = new DynamoDbScheduleRepository(table.client, {
      tableName: table.tableName,
      scheduleLimit: 50,
    });
    clock = noon;
    ecs.faults.clear();
  });

  /** The whole repository: the schedule pass and the idle pass after it (runAutoStopPasses) share it. */
  function dependencies(): ApplySchedulesDependencies & { readonly repository: ContainerRepository } {
    return {
      repository,
      schedules,
      runtime,
      clock: { now: () => clock },
      ids: randomIds,
      settings: {
        containerQuota: 5,
        settleAfterSeconds: 300,
        idleWarningSeconds: 0,
        retentionSeconds: 30 * 86_400,
      },
    };
  }

  function runningContainer(overrides: Partial<Container> = {}): Container {
    const createdAt = '2026-06-03T07:00:00.000Z';
    return aContainer({ id: newContainerId(new Date(createdAt)), createdAt, version: 3, ...overrides });
  }

  async function scheduleAt(at: Date, target: ScheduleTargetInput, windows = officeHours) {
    clock = at;
    return putSchedule(dependencies(), { actor: owner, target, timeZone: 'UTC', windows });
  }

  async function sweepAt(at: Date, deps: ApplySchedulesDependencies = dependencies()) {
    clock = at;
    return applySchedules(deps, { stopBy: new Date(at.getTime() + 60_000) });
  }

  /** A stopped container whose task definition ECS knows, so that a start can run it. */
  async function stoppedContainer(overrides: Partial<Container> = {}): Promise<Container> {
    const container = runningContainer({ status: 'stopped', task: null, ipAddress: null, ...overrides });
    const taskDefinitionArn = await runtime.registerTaskDefinition({
      containerId: container.id,
      image: container.image,
      cpuUnits: 256,
      memoryMb: 512,
    });
    return { ...container, taskDefinitionArn };
  }

  /** The container's history as far as schedules made it: `from->to` per entry. */
  async function scheduleHistory(containerId: string): Promise<string[]> {
    const logs = await repository.listStatusLogs({
      containerId,
      sortBy: 'created_at',
      order: 'asc',
      limit: 50,
    });
    return logs.items
      .filter((log) => log.triggeredBy === 'schedule')
      .map((log) => `${log.fromStatus}->${log.toStatus}`);
  }

  function storedScheduleOf(container: Container) {
    return schedules.get({
      source: 'container',
      ownerId: container.ownerId,
      projectId: container.projectId,
      containerId: container.id,
    });
  }

  it("stops a running container when its schedule's stop is due, logged as the schedule's, and moves on to the next start", async () => {
    // Prepare
    const container = runningContainer();
    await writeFleet(table.client, table.tableName, [container]);
    await scheduleAt(noon, { containerId: container.id });

    // Act
    const summary = await sweepAt(afterStop);

    // Assess
    expect(summary).toEqual({
      schedules: 1,
      started: 0,
      stopped: 1,
      skipped: 0,
      deferred: 0,
      failed: 0,
      removed: 0,
      retrying: 0,
      abandoned: 0,
      complete: true,
    });
    expect(await repository.getContainer(container.id)).toMatchObject({ status: 'stopping', version: 4 });
    const logs = await repository.listStatusLogs({
      containerId: container.id,
      sortBy: 'created_at',
      order: 'asc',
      limit: 10,
    });
    expect(logs.items[0]).toMatchObject({
      fromStatus: 'running',
      toStatus: 'stopping',
      triggeredBy: 'schedule',
      operation: 'stop',
      reason: 'stop at 2026-06-03T19:00:00.000Z by the container schedule (UTC)',
    });
    const stored = await schedules.get({
      source: 'container',
      ownerId: container.ownerId,
      projectId: container.projectId,
      containerId: container.id,
    });
    expect(stored?.next).toEqual({ at: '2026-06-04T08:00:00.000Z', action: 'start' });
  });

  it('does nothing before the transition is due', async () => {
    // Prepare
    const container = runningContainer();
    await writeFleet(table.client, table.tableName, [container]);
    await scheduleAt(noon, { containerId: container.id });

    // Act
    const summary = await sweepAt(new Date('2026-06-03T18:59:59.000Z'));

    // Assess
    expect(summary.schedules).toBe(0);
    expect(await repository.getContainer(container.id)).toMatchObject({ status: 'running', version: 3 });
  });

  it('reads only the schedules that are due, never the others', async () => {
    // Prepare: 5 schedules stop at 19:00, 35 at 23:00.
    const containers = Array.from({ length: 40 }, () => runningContainer());
    await writeFleet(table.client, table.tableName, containers);
    for (const [index, container] of containers.entries()) {
      const stop = index < 5 ? '19:00' : '23:00';
      await scheduleAt(noon, { containerId: container.id }, [{ days: ['wed'], start: '08:00', stop }]);
    }
    const reads = countReads(table.client);

    // Act
    const summary = await sweepAt(afterStop);

    // Assess
    expect(summary).toMatchObject({ schedules: 5, stopped: 5 });
    expect(reads.itemsRead).toBe(5);
    expect(reads.scans).toBe(0);
  });

  it('skips a container the action does not apply to, and still moves its schedule on', async () => {
    // Prepare
    const container = runningContainer({ status: 'stopped', task: null, ipAddress: null });
    await writeFleet(table.client, table.tableName, [container]);
    await scheduleAt(noon, { containerId: container.id });

    // Act
    const summary = await sweepAt(afterStop);

    // Assess
    expect(summary).toMatchObject({ schedules: 1, stopped: 0, skipped: 1 });
    expect(await repository.getContainer(container.id)).toMatchObject({ status: 'stopped', version: 3 });
    const stored = await schedules.get({
      source: 'container',
      ownerId: container.ownerId,
      projectId: container.projectId,
      containerId: container.id,
    });
    expect(stored?.next?.at).toBe('2026-06-04T08:00:00.000Z');
  });

  it("applies a project's schedule to each of its containers but those with a schedule of their own", async () => {
    // Prepare: three containers in project "web", one with its own later stop; one in project "db".
    const web = [
      runningContainer({ projectId: 'web' }),
      runningContainer({ projectId: 'web' }),
      runningContainer({ projectId: 'web' }),
    ];
    const db = runningContainer({ projectId: 'db' });
    await writeFleet(table.client, table.tableName, [...web, db]);
    await scheduleAt(noon, { projectId: 'web' });
    const [first, second, own] = web as [Container, Container, Container];
    await scheduleAt(noon, { containerId: own.id }, [{ days: ['wed'], start: '08:00', stop: '22:00' }]);

    // Act
    const summary = await sweepAt(afterStop);

    // Assess
    expect(summary).toMatchObject({ schedules: 1, stopped: 2, skipped: 0, failed: 0 });
    const statuses = await Promise.all(
      [first, second, own, db].map((each) => repository.getContainer(each.id)),
    );
    expect(statuses.map((each) => each?.status)).toEqual(['stopping', 'stopping', 'running', 'running']);
  });

  it('removes the schedule of a container that no longer exists', async () => {
    // Prepare
    const container = runningContainer();
    await writeFleet(table.client, table.tableName, [container]);
    await scheduleAt(noon, { containerId: container.id });
    await repository.deleteContainer(container);

    // Act
    const summary = await sweepAt(afterStop);

    // Assess
    expect(summary).toMatchObject({ schedules: 1, removed: 1, stopped: 0 });
    const target = {
      source: 'container' as const,
      ownerId: container.ownerId,
      projectId: container.projectId,
      containerId: container.id,
    };
    expect(await schedules.get(target)).toBeUndefined();
  });

  it('stops each container once when two sweeps overlap', async () => {
    // Prepare
    const containers = Array.from({ length: 10 }, () => runningContainer({ projectId: 'web' }));
    await writeFleet(table.client, table.tableName, containers);
    await scheduleAt(noon, { projectId: 'web' });
    clock = afterStop;

    // Act
    const stopBy = new Date(afterStop.getTime() + 60_000);
    const [one, two] = await Promise.all([
      applySchedules(dependencies(), { stopBy }),
      applySchedules(dependencies(), { stopBy }),
    ]);

    // Assess
    expect((one?.stopped ?? 0) + (two?.stopped ?? 0)).toBe(10);
    for (const container of containers) {
      const logs = await repository.listStatusLogs({
        containerId: container.id,
        sortBy: 'created_at',
        order: 'asc',
        limit: 10,
      });
      expect(logs.items.map((log) => log.triggeredBy)).toEqual(['schedule']);
    }
  });
  describe('when an edge is not done in one run', () => {
    it('tries again only the container ECS refused, leaving those it started and one its user force-stopped since as they are', async () => {
      // Prepare: three stopped containers of project "web"; ECS has no capacity for the first RunTask.
      const web = [
        await stoppedContainer({ projectId: 'web' }),
        await stoppedContainer({ projectId: 'web' }),
        await stoppedContainer({ projectId: 'web' }),
      ];
      await writeFleet(table.client, table.tableName, web);
      await scheduleAt(night, { projectId: 'web' });
      ecs.faults.inject({ kind: 'capacityUnavailable' });
      const first = await sweepAt(afterStart(0.5));
      const afterFirst = await Promise.all(web.map((each) => repository.getContainer(each.id)));
      const refused = web[afterFirst.findIndex((each) => each?.status === 'stopped')] as Container;
      const [forceStopped, untouched] = web.filter((each) => each.id !== refused.id) as [
        Container,
        Container,
      ];
      clock = afterStart(1);
      await operateContainer(dependencies(), {
        actor: owner,
        containerId: forceStopped.id,
        operation: 'force-stop',
      });

      // Act
      const retry = await sweepAt(afterStart(2));

      // Assess
      expect(first).toMatchObject({ schedules: 1, started: 2, failed: 1, retrying: 1 });
      expect(retry).toMatchObject({ schedules: 1, started: 1, failed: 0, retrying: 0, abandoned: 0 });
      const statuses = await Promise.all(
        [refused, forceStopped, untouched].map((each) => repository.getContainer(each.id)),
      );
      expect(statuses.map((each) => each?.status)).toEqual(['starting', 'stopped', 'starting']);
      expect(await scheduleHistory(refused.id)).toEqual([
        'stopped->starting',
        'starting->stopped',
        'stopped->starting',
      ]);
      expect(await scheduleHistory(forceStopped.id)).toEqual(['stopped->starting']);
      expect(await scheduleHistory(untouched.id)).toEqual(['stopped->starting']);
      const stored = await schedules.get({ source: 'project', ownerId: owner.id, projectId: 'web' });
      expect(stored?.next).toEqual({ at: '2026-06-03T19:00:00.000Z', action: 'stop' });
      expect(stored?.retry).toBeUndefined();
    });

    it(`gives up after ${maxEdgeAttempts} runs: the schedule moves on, and ECS is not asked again before the next edge`, async () => {
      // Prepare
      const container = await stoppedContainer();
      await writeFleet(table.client, table.tableName, [container]);
      await scheduleAt(night, { containerId: container.id });
      ecs.faults.inject({ kind: 'capacityUnavailable', times: Number.POSITIVE_INFINITY });

      // Act: a run every minute from the start, one more than the attempts
      const runs = [];
      for (let minute = 0; minute <= maxEdgeAttempts; minute += 1)
        runs.push(await sweepAt(afterStart(minute + 0.5)));

      // Assess
      expect(runs.map((run) => run.failed)).toEqual([1, 1, 1, 1, 1, 0]);
      expect(runs.map((run) => run.retrying)).toEqual([1, 1, 1, 1, 0, 0]);
      expect(runs.map((run) => run.abandoned)).toEqual([0, 0, 0, 0, 1, 0]);
      expect(await scheduleHistory(container.id)).toHaveLength(2 * maxEdgeAttempts);
      expect(await repository.getContainer(container.id)).toMatchObject({ status: 'stopped' });
      const stored = await storedScheduleOf(container);
      expect(stored?.next).toEqual({ at: '2026-06-03T19:00:00.000Z', action: 'stop' });
      expect(stored?.retry).toBeUndefined();
    });

    it('starts a container that was stopping when its start came at the next run, once it has stopped, instead of skipping it', async () => {
      // Prepare: stopping at 08:00; ECS reports it stopped at 08:00:40.
      const container = await stoppedContainer({ status: 'stopping' });
      await writeFleet(table.client, table.tableName, [container]);
      await scheduleAt(night, { containerId: container.id });
      const first = await sweepAt(afterStart(0.5));
      const dueAfterFirst = await storedScheduleOf(container);
      const stopping = (await repository.getContainer(container.id)) as Container;
      await repository.saveTransition(
        aTransition(stopping, { to: 'stopped', at: afterStart(40 / 60).toISOString(), triggeredBy: 'ecs' }),
      );

      // Act
      const retry = await sweepAt(afterStart(1.5));

      // Assess
      expect(first).toMatchObject({ started: 0, skipped: 0, deferred: 1, retrying: 1 });
      expect(dueAfterFirst?.next).toEqual({ at: '2026-06-03T08:00:00.000Z', action: 'start' });
      expect(retry).toMatchObject({ started: 1, deferred: 0, retrying: 0 });
      expect(await repository.getContainer(container.id)).toMatchObject({ status: 'starting' });
      expect((await storedScheduleOf(container))?.next?.at).toBe('2026-06-03T19:00:00.000Z');
    });

    it('leaves a container ECS refused to its user when the user operated on it before the next run', async () => {
      // Prepare: ECS refuses the stop at 19:00; the user restarts the container at 19:01.
      const container = runningContainer();
      await writeFleet(table.client, table.tableName, [container]);
      await scheduleAt(noon, { containerId: container.id });
      ecs.faults.inject({ kind: 'error', operation: 'StopTask', errorType: 'AccessDeniedException' });
      const first = await sweepAt(afterStopBy(0.5));
      clock = afterStopBy(1);
      await operateContainer(dependencies(), {
        actor: owner,
        containerId: container.id,
        operation: 'restart',
      });

      // Act
      const retry = await sweepAt(afterStopBy(2));

      // Assess
      expect(first).toMatchObject({ stopped: 0, failed: 1, retrying: 1 });
      expect(retry).toMatchObject({ schedules: 1, stopped: 0, failed: 0, retrying: 0 });
      expect(await repository.getContainer(container.id)).toMatchObject({ status: 'restarting' });
      expect(await scheduleHistory(container.id)).toEqual(['running->stopping', 'stopping->running']);
      expect((await storedScheduleOf(container))?.next?.at).toBe('2026-06-04T08:00:00.000Z');
    });
  });

  it('does not act on a schedule that a lagging index still lists after it was deleted or replaced', async () => {
    // Prepare: the index's copies are read before the DELETE and the replacing PUT, and served after.
    const deleted = runningContainer();
    const replaced = runningContainer();
    await writeFleet(table.client, table.tableName, [deleted, replaced]);
    await scheduleAt(noon, { containerId: deleted.id });
    await scheduleAt(noon, { containerId: replaced.id });
    const stale: StoredSchedule[] = [];
    for (let shard = 0; shard < schedules.shards; shard += 1) {
      stale.push(...(await schedules.listDue({ shard, upTo: afterStop.toISOString(), limit: 10 })).items);
    }
    await deleteSchedule(dependencies(), { actor: owner, target: { containerId: deleted.id } });
    await scheduleAt(noon, { containerId: replaced.id }, [{ days: ['wed'], start: '08:00', stop: '22:00' }]);
    const lagging: ScheduleRepository = Object.create(schedules, {
      listDue: { value: async ({ shard }: { shard: number }) => ({ items: shard === 0 ? stale : [] }) },
    });

    // Act
    const summary = await sweepAt(afterStop, { ...dependencies(), schedules: lagging });

    // Assess
    expect(stale).toHaveLength(2);
    expect(summary).toMatchObject({ schedules: 2, stopped: 0, failed: 0 });
    const statuses = await Promise.all([deleted, replaced].map((each) => repository.getContainer(each.id)));
    expect(statuses.map((each) => [each?.status, each?.version])).toEqual([
      ['running', 3],
      ['running', 3],
    ]);
    expect((await storedScheduleOf(replaced))?.next?.at).toBe('2026-06-03T22:00:00.000Z');
  });

  it('skips a corrupt schedule item and applies the due schedule behind it in the same shard', async () => {
    // Prepare: an unreadable item due an hour before the good one, in its shard.
    const container = runningContainer();
    await writeFleet(table.client, table.tableName, [container]);
    const { schedule } = await scheduleAt(noon, { containerId: container.id });
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: marshall({
          pk: 'SCHEDULE#C#corrupt',
          sk: 'SCHEDULE',
          kind: 'schedule',
          gsi5pk: scheduleDuePartition(shardOf(schedule.id)),
          gsi5sk: '2026-06-03T18:00:00.000Z#container:corrupt',
          time_zone: 42,
        }),
      }),
    );

    // Act
    const summary = await sweepAt(afterStop);

    // Assess
    expect(summary).toMatchObject({ schedules: 1, stopped: 1, failed: 0, complete: true });
    expect(await repository.getContainer(container.id)).toMatchObject({ status: 'stopping' });
  });

  it('stops idle containers even when the schedule pass fails', async () => {
    // Prepare: a container idle past its timeout; the schedule index is throttled.
    const idle = runningContainer({ lastUsedAt: '2026-06-03T07:00:00.000Z', idleTimeoutSeconds: 1800 });
    await writeFleet(table.client, table.tableName, [idle]);
    const throttled: ScheduleRepository = Object.create(schedules, {
      listDue: {
        value: async () => {
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
            name: 'ThrottlingException',
          });
        },
      },
    });
    clock = afterStop;

    // Act
    const result = await runAutoStopPasses(
      { ...dependencies(), schedules: throttled, events: { publish: async () => undefined } },
      { stopBy: new Date(afterStop.getTime() + 60_000) },
    );

    // Assess
    expect(result.schedules).toBeUndefined();
    expect(result.idle).toMatchObject({ stopped: 1, failed: 0 });
    expect(await repository.getContainer(idle.id)).toMatchObject({ status: 'stopping' });
  });
});
