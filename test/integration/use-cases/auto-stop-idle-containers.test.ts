import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import type { EcsContainerRuntime } from '../../../lib/adapters/ecs/ecs-container-runtime';
import type { Container } from '../../../lib/domain/container';
import { newContainerId } from '../../../lib/domain/container-id';
import type { ContainerRepository } from '../../../lib/ports/container-repository';
import type { PlatformEvent } from '../../../lib/ports/event-publisher';
import { randomIds } from '../../../lib/ports/id-generator';
import { autoStopIdleContainers } from '../../../lib/use-cases/auto-stop-idle-containers';
import type { Dependencies } from '../../../lib/use-cases/dependencies';
import { snoozeContainer } from '../../../lib/use-cases/snooze-container';
import type { EcsEmulator } from '../../../local/ecs-emulator';
import { aContainer } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';
import { startEmulatedRuntime } from '../../support/ecs-runtime';
import { countReads, writeFleet } from '../../support/fleet';

const now = new Date('2026-11-23T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

describe('the auto-stop sweep', () => {
  let table: TestTable;
  let ecs: EcsEmulator;
  let runtime: EcsContainerRuntime;

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
  });

  function dependencies(
    repository: ContainerRepository = repositoryOf(table),
    warnings: { seconds: number; sent: PlatformEvent[] } = { seconds: 0, sent: [] },
  ): Dependencies {
    return {
      repository,
      runtime,
      clock: { now: () => now },
      ids: randomIds,
      events: {
        publish: async (events) => {
          warnings.sent.push(...events);
        },
      },
      settings: {
        containerQuota: 5,
        settleAfterSeconds: 300,
        idleWarningSeconds: warnings.seconds,
        retentionSeconds: 30 * 86_400,
      },
    };
  }

  function idleContainer(lastUsedMinutesAgo: number, idleTimeoutSeconds: number | null = 1800): Container {
    const createdAt = minutesAgo(lastUsedMinutesAgo + 1);
    return aContainer({
      id: newContainerId(new Date(createdAt)),
      createdAt,
      lastTransitionAt: createdAt,
      lastUsedAt: minutesAgo(lastUsedMinutesAgo),
      idleTimeoutSeconds,
      version: 3,
    });
  }

  it('stops exactly the 100 due containers out of 1,000, reading only those 100 items', async () => {
    // Prepare: 100 idle past their 30-minute timeout, 850 used recently, 50 that never auto-stop.
    const due = Array.from({ length: 100 }, (_, index) => idleContainer(31 + index));
    const fresh = Array.from({ length: 850 }, (_, index) => idleContainer(index % 29));
    const never = Array.from({ length: 50 }, () => idleContainer(600, null));
    await writeFleet(table.client, table.tableName, [...due, ...fresh, ...never]);
    const reads = countReads(table.client);

    // Act
    const summary = await autoStopIdleContainers(dependencies(), {
      stopBy: new Date(now.getTime() + 60_000),
    });

    // Assess
    expect(summary).toEqual({
      examined: 100,
      stopped: 100,
      skipped: 0,
      failed: 0,
      warned: 0,
      complete: true,
    });
    expect(reads.itemsRead).toBe(100);
    expect(reads.scans).toBe(0);
    const repository = repositoryOf(table);
    const statuses = await Promise.all(
      [...due, ...fresh.slice(0, 50), ...never].map((c) => repository.getContainer(c.id)),
    );
    expect(statuses.slice(0, 100).every((container) => container?.status === 'stopping')).toBe(true);
    expect(statuses.slice(100).every((container) => container?.status === 'running')).toBe(true);
  });

  it('logs the stop as triggered by auto-stop, with the idle time in its reason', async () => {
    // Prepare
    const container = idleContainer(45);
    await writeFleet(table.client, table.tableName, [container]);

    // Act
    await autoStopIdleContainers(dependencies(), { stopBy: new Date(now.getTime() + 60_000) });
    const logs = await repositoryOf(table).listStatusLogs({
      containerId: container.id,
      sortBy: 'created_at',
      order: 'asc',
      limit: 10,
    });

    // Assess
    expect(logs.items).toHaveLength(1);
    expect(logs.items[0]).toMatchObject({
      fromStatus: 'running',
      toStatus: 'stopping',
      triggeredBy: 'auto-stop',
      operation: 'stop',
      reason: 'idle for 2700 s, past its idle timeout of 1800 s',
      version: 4,
    });
  });

  it('keeps a container running when an activity report lands between the sweep reading it and stopping it', async () => {
    // Prepare: the repository records use of the container right after the sweep has read it.
    const container = idleContainer(40);
    await writeFleet(table.client, table.tableName, [container]);
    const repository = repositoryOf(table);
    const racing: ContainerRepository = Object.create(repository, {
      listDueForAutoStop: {
        value: async (query: Parameters<ContainerRepository['listDueForAutoStop']>[0]) => {
          const page = await repository.listDueForAutoStop(query);
          for (const item of page.items)
            await repository.saveWithoutTransition(item, { ...item, lastUsedAt: now.toISOString() });
          return page;
        },
      },
    });

    // Act
    const summary = await autoStopIdleContainers(dependencies(racing), {
      stopBy: new Date(now.getTime() + 60_000),
    });

    // Assess
    expect(summary).toMatchObject({ examined: 1, stopped: 0, skipped: 1 });
    expect(await repository.getContainer(container.id)).toMatchObject({
      status: 'running',
      lastUsedAt: now.toISOString(),
    });
  });

  it('stops each container once when two sweeps overlap', async () => {
    // Prepare
    const due = Array.from({ length: 40 }, (_, index) => idleContainer(31 + index));
    await writeFleet(table.client, table.tableName, due);
    const stopBy = new Date(now.getTime() + 60_000);

    // Act
    const [first, second] = await Promise.all([
      autoStopIdleContainers(dependencies(), { stopBy }),
      autoStopIdleContainers(dependencies(), { stopBy }),
    ]);

    // Assess
    expect((first?.stopped ?? 0) + (second?.stopped ?? 0)).toBe(40);
    const repository = repositoryOf(table);
    for (const container of due) {
      const logs = await repository.listStatusLogs({
        containerId: container.id,
        sortBy: 'created_at',
        order: 'asc',
        limit: 10,
      });
      expect(logs.items.map((log) => log.triggeredBy)).toEqual(['auto-stop']);
    }
  });

  it('starts no work once its time is up, and says it did not finish', async () => {
    await writeFleet(table.client, table.tableName, [idleContainer(40)]);

    const summary = await autoStopIdleContainers(dependencies(), { stopBy: new Date(now.getTime() - 1) });

    expect(summary).toEqual({ examined: 0, stopped: 0, skipped: 0, failed: 0, warned: 0, complete: false });
  });

  it('undoes the stop, and counts it failed, when ECS refuses StopTask', async () => {
    // Prepare
    const container = idleContainer(40);
    await writeFleet(table.client, table.tableName, [container]);
    const fault = ecs.faults.inject({
      operation: 'StopTask',
      kind: 'serverError',
      times: Number.POSITIVE_INFINITY,
    });

    // Act
    const summary = await autoStopIdleContainers(dependencies(), {
      stopBy: new Date(now.getTime() + 60_000),
    });
    fault.clear();

    // Assess
    expect(summary).toMatchObject({ stopped: 0, failed: 1 });
    expect(await repositoryOf(table).getContainer(container.id)).toMatchObject({
      status: 'running',
      version: 5,
    });
  });

  it('sends container.idle-warning once for each container due within the warning time, and stops none of them', async () => {
    // Prepare: 30-minute timeouts; due in 2 and 4 minutes (inside a 5-minute warning), and in 10.
    const soon = [idleContainer(28), idleContainer(26)];
    const later = idleContainer(20);
    await writeFleet(table.client, table.tableName, [...soon, later]);
    const warnings = { seconds: 300, sent: [] as PlatformEvent[] };
    const stopBy = new Date(now.getTime() + 60_000);

    // Act
    const first = await autoStopIdleContainers(dependencies(repositoryOf(table), warnings), { stopBy });
    const second = await autoStopIdleContainers(dependencies(repositoryOf(table), warnings), { stopBy });

    // Assess
    expect(first).toMatchObject({ stopped: 0, warned: 2, complete: true });
    expect(second).toMatchObject({ stopped: 0, warned: 0 });
    expect(warnings.sent.map((event) => event.type)).toEqual([
      'container.idle-warning',
      'container.idle-warning',
    ]);
    const warnedIds = warnings.sent.map((event) => event.detail.container_id).sort();
    expect(warnedIds).toEqual(soon.map((container) => container.id).sort());
    const firstSoon = soon[0] as Container;
    expect(warnings.sent.find((event) => event.detail.container_id === firstSoon.id)?.detail).toMatchObject({
      owner_id: firstSoon.ownerId,
      auto_stop_at: new Date(now.getTime() + 2 * 60_000).toISOString(),
      idle_seconds: 28 * 60,
      idle_timeout_seconds: 1800,
    });
    expect(await repositoryOf(table).getContainer(later.id)).toMatchObject({
      status: 'running',
      idleWarningFor: null,
    });
  });

  it('warns again after use moves the deadline and it comes near once more', async () => {
    // Prepare: warned for one deadline, then used, which moves the deadline.
    const container = idleContainer(28);
    await writeFleet(table.client, table.tableName, [container]);
    const warnings = { seconds: 300, sent: [] as PlatformEvent[] };
    await autoStopIdleContainers(dependencies(repositoryOf(table), warnings), {
      stopBy: new Date(now.getTime() + 60_000),
    });
    const repository = repositoryOf(table);
    const warned = (await repository.getContainer(container.id)) as Container;
    await repository.saveWithoutTransition(warned, { ...warned, lastUsedAt: minutesAgo(27) });

    // Act
    const summary = await autoStopIdleContainers(dependencies(repository, warnings), {
      stopBy: new Date(now.getTime() + 60_000),
    });

    // Assess
    expect(summary.warned).toBe(1);
    expect(warnings.sent.map((event) => event.detail.auto_stop_at)).toEqual([
      new Date(now.getTime() + 2 * 60_000).toISOString(),
      new Date(now.getTime() + 3 * 60_000).toISOString(),
    ]);
  });

  it('does not stop a snoozed container before its snooze ends, and stops it after', async () => {
    // Prepare: idle for 40 minutes with a 30-minute timeout, then snoozed for 10 minutes from now.
    const container = idleContainer(40);
    await writeFleet(table.client, table.tableName, [container]);
    const repository = repositoryOf(table);
    const snoozed = await snoozeContainer(dependencies(repository), {
      actor: { id: container.ownerId, isAdmin: false },
      containerId: container.id,
      seconds: 600,
    });
    const at = (date: Date): Dependencies => ({ ...dependencies(repository), clock: { now: () => date } });
    const beforeEnd = new Date(now.getTime() + 9 * 60_000);
    const afterEnd = new Date(now.getTime() + 11 * 60_000);

    // Act
    const early = await autoStopIdleContainers(at(beforeEnd), {
      stopBy: new Date(beforeEnd.getTime() + 60_000),
    });
    const stillRunning = await repository.getContainer(container.id);
    const late = await autoStopIdleContainers(at(afterEnd), {
      stopBy: new Date(afterEnd.getTime() + 60_000),
    });

    // Assess
    expect(snoozed.snoozedUntil).toBe(new Date(now.getTime() + 10 * 60_000).toISOString());
    expect(early).toMatchObject({ examined: 0, stopped: 0 });
    expect(stillRunning).toMatchObject({ status: 'running', version: container.version });
    expect(late).toMatchObject({ examined: 1, stopped: 1 });
    expect(await repository.getContainer(container.id)).toMatchObject({ status: 'stopping' });
  });

  it('skips a container snoozed between the sweep reading it and stopping it', async () => {
    // Prepare: the container is snoozed right after the sweep has read it from the index.
    const container = idleContainer(40);
    await writeFleet(table.client, table.tableName, [container]);
    const repository = repositoryOf(table);
    const snoozedUntil = new Date(now.getTime() + 600_000).toISOString();
    const racing: ContainerRepository = Object.create(repository, {
      listDueForAutoStop: {
        value: async (query: Parameters<ContainerRepository['listDueForAutoStop']>[0]) => {
          const page = await repository.listDueForAutoStop(query);
          for (const item of page.items)
            await repository.saveWithoutTransition(item, { ...item, snoozedUntil });
          return page;
        },
      },
    });

    // Act
    const summary = await autoStopIdleContainers(dependencies(racing), {
      stopBy: new Date(now.getTime() + 60_000),
    });

    // Assess
    expect(summary).toMatchObject({ examined: 1, stopped: 0, skipped: 1 });
    expect(await repository.getContainer(container.id)).toMatchObject({ status: 'running', snoozedUntil });
  });
});

function repositoryOf(table: TestTable) {
  return new DynamoDbContainerRepository(table.client, { tableName: table.tableName, logRetentionDays: 90 });
}
