import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { DynamoDbScheduleRepository } from '../../../lib/adapters/dynamodb/dynamodb-schedule-repository';
import { createEcsClient, EcsContainerRuntime } from '../../../lib/adapters/ecs/ecs-container-runtime';
import type { Container } from '../../../lib/domain/container';
import { newContainerId } from '../../../lib/domain/container-id';
import type { ScheduleWindow } from '../../../lib/domain/schedule';
import { randomIds } from '../../../lib/ports/id-generator';
import { type ApplySchedulesDependencies, applySchedules } from '../../../lib/use-cases/apply-schedules';
import { putSchedule } from '../../../lib/use-cases/put-schedule';
import type { ScheduleTargetInput } from '../../../lib/use-cases/schedule-target';
import { type EcsEmulator, startEcsEmulator } from '../../../local/ecs-emulator';
import { aContainer } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';
import { countReads, writeFleet } from '../../support/fleet';

/** Wednesday 3 June 2026, noon UTC: inside the office-hours window below. */
const noon = new Date('2026-06-03T12:00:00.000Z');
/** Thirty seconds after that window's stop. */
const afterStop = new Date('2026-06-03T19:00:30.000Z');
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
    ecs = await startEcsEmulator({ startMs: 30, stopMs: 30, logger: { error: () => undefined } });
    runtime = new EcsContainerRuntime(createEcsClient({ endpoint: ecs.endpoint, region: 'us-east-1' }), {
      cluster: 'default',
      subnets: ['subnet-local'],
      securityGroups: [],
      assignPublicIp: true,
      taskDefinitionFamilyPrefix: 'clc',
    });
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
    schedules = new DynamoDbScheduleRepository(table.client, { tableName: table.tableName });
    clock = noon;
  });

  function dependencies(): ApplySchedulesDependencies {
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

  async function sweepAt(at: Date) {
    clock = at;
    return applySchedules(dependencies(), { stopBy: new Date(at.getTime() + 60_000) });
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
      failed: 0,
      removed: 0,
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
});
