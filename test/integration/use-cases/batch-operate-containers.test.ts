import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import type { EcsContainerRuntime } from '../../../lib/adapters/ecs/ecs-container-runtime';
import type { Container } from '../../../lib/domain/container';
import { newContainerId } from '../../../lib/domain/container-id';
import type { ContainerRepository } from '../../../lib/ports/container-repository';
import { randomIds } from '../../../lib/ports/id-generator';
import { batchOperateContainers } from '../../../lib/use-cases/batch-operate-containers';
import type { RuntimeDependencies } from '../../../lib/use-cases/dependencies';
import { operateContainer } from '../../../lib/use-cases/operate-container';
import { recordActivity } from '../../../lib/use-cases/record-activity';
import type { EcsEmulator } from '../../../local/ecs-emulator';
import { aContainer, aTransition } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';
import { startEmulatedRuntime } from '../../support/ecs-runtime';
import { writeFleet } from '../../support/fleet';

const now = new Date('2026-11-23T12:00:00.000Z');
const owner = { id: 'usr_alice', isAdmin: false };
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();

describe('bulk operations hold their selection and their time', () => {
  let table: TestTable;
  let ecs: EcsEmulator;
  let runtime: EcsContainerRuntime;
  let repository: DynamoDbContainerRepository;

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
  });

  function dependencies(
    overrides: { repository?: ContainerRepository; now?: () => Date } = {},
  ): RuntimeDependencies {
    return {
      repository: overrides.repository ?? repository,
      runtime,
      clock: { now: overrides.now ?? (() => now) },
      ids: randomIds,
      settings: {
        containerQuota: 50,
        settleAfterSeconds: 300,
        idleWarningSeconds: 0,
        retentionSeconds: 30 * 86_400,
      },
    };
  }

  /** Running containers, newest first as the selection reads them, each last used `lastUsedHoursAgo`. */
  async function runningContainers(count: number, lastUsedHoursAgo = 0): Promise<Container[]> {
    const containers = Array.from({ length: count }, (_, index) => {
      const createdAt = hoursAgo(3 + index / 60);
      return aContainer({
        id: newContainerId(new Date(createdAt)),
        ownerId: owner.id,
        name: `batch-${index}`,
        createdAt,
        lastTransitionAt: createdAt,
        lastUsedAt: hoursAgo(lastUsedHoursAgo),
        version: 3,
      });
    });
    await writeFleet(table.client, table.tableName, containers);
    return containers;
  }

  /** The real repository, with some of its methods run through `around` (the original passed in). */
  function wrapped(around: {
    listContainers?: ContainerRepository['listContainers'];
    saveTransition?: ContainerRepository['saveTransition'];
  }): ContainerRepository {
    return new Proxy(repository, {
      get(target, property, receiver) {
        const replacement = around[property as keyof typeof around];
        if (replacement) return replacement;
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** The real repository, with `meanwhile` run once, after the selection read and before any write. */
  function racedBy(meanwhile: () => Promise<void>): ContainerRepository {
    let raced = false;
    return wrapped({
      listContainers: async (query) => {
        const page = await repository.listContainers(query);
        if (!raced) {
          raced = true;
          await meanwhile();
        }
        return page;
      },
    });
  }

  it('skips, with PRECONDITION_FAILED, a container selected as running that its owner paused meanwhile', async () => {
    // Prepare: the owner pauses the first container (and ECS settles it) after the batch selected it
    const [paused, other] = await runningContainers(2);
    if (!paused || !other) throw new Error('no containers');
    const raced = racedBy(async () => {
      const step = await operateContainer(dependencies(), {
        actor: owner,
        containerId: paused.id,
        operation: 'pause',
      });
      await repository.saveTransition(aTransition(step.after, { to: 'paused', triggeredBy: 'ecs' }));
    });

    // Act
    const result = await batchOperateContainers(dependencies({ repository: raced }), {
      actor: owner,
      operation: 'stop',
      selector: { status: 'running' },
      dryRun: false,
      limit: 100,
    });

    // Assess: the paused one is left paused, the other is stopped as selected
    const outcomes = Object.fromEntries(result.results.map((item) => [item.container.id, item]));
    expect(outcomes[paused.id]).toMatchObject({
      outcome: 'skipped',
      statusBefore: 'running',
      reason: {
        code: 'PRECONDITION_FAILED',
        message: expect.stringMatching(/changed after it was selected/),
      },
    });
    expect(outcomes[other.id]).toMatchObject({ outcome: 'accepted', toStatus: 'stopping' });
    expect((await repository.getContainer(paused.id))?.status).toBe('paused');
    expect((await repository.getContainer(other.id))?.status).toBe('stopping');
  });

  it('skips a container selected by idle_seconds_gt that was used meanwhile, and stops the one still idle', async () => {
    // Prepare: both idle for two hours; one reports use after the selection
    const [used, idle] = await runningContainers(2, 2);
    if (!used || !idle) throw new Error('no containers');
    const raced = racedBy(async () => {
      await recordActivity(dependencies(), { actor: owner, containerId: used.id });
    });

    // Act
    const result = await batchOperateContainers(dependencies({ repository: raced }), {
      actor: owner,
      operation: 'stop',
      selector: { idleSecondsGt: 3600 },
      dryRun: false,
      limit: 100,
    });

    // Assess
    const outcomes = Object.fromEntries(result.results.map((item) => [item.container.id, item]));
    expect(outcomes[used.id]).toMatchObject({ outcome: 'skipped', reason: { code: 'PRECONDITION_FAILED' } });
    expect(outcomes[idle.id]).toMatchObject({ outcome: 'accepted', toStatus: 'stopping' });
    expect((await repository.getContainer(used.id))?.status).toBe('running');
  });

  it('starts nothing once stopBy has passed, leaves every container as it was and says truncated', async () => {
    // Prepare
    const containers = await runningContainers(3);

    // Act
    const result = await batchOperateContainers(dependencies(), {
      actor: owner,
      operation: 'stop',
      selector: { status: 'running' },
      dryRun: false,
      limit: 100,
      stopBy: now,
    });

    // Assess
    expect(result).toMatchObject({ results: [], truncated: true });
    for (const container of containers) {
      expect((await repository.getContainer(container.id))?.version).toBe(3);
    }
  });

  it('works on the containers it started before stopBy, in order, and reports the rest as not run (truncated)', async () => {
    // Prepare: each write takes ten seconds of a budget of five
    const containers = await runningContainers(3);
    let clock = now;
    const slowWrites = wrapped({
      saveTransition: async (step, options) => {
        await repository.saveTransition(step, options);
        clock = new Date(clock.getTime() + 10_000);
      },
    });

    // Act
    const result = await batchOperateContainers(dependencies({ repository: slowWrites, now: () => clock }), {
      actor: owner,
      operation: 'stop',
      selector: { status: 'running' },
      dryRun: false,
      limit: 100,
      concurrency: 1,
      stopBy: new Date(now.getTime() + 5_000),
    });

    // Assess
    expect(result.truncated).toBe(true);
    expect(result.results.map((item) => [item.container.id, item.outcome])).toEqual([
      [containers[0]?.id, 'accepted'],
    ]);
    const after = await Promise.all(containers.map((container) => repository.getContainer(container.id)));
    expect(after.map((container) => container?.status)).toEqual(['stopping', 'running', 'running']);
  });

  it('ignores stopBy on a dry run, which writes nothing and costs no time per container', async () => {
    // Prepare
    await runningContainers(2);

    // Act
    const result = await batchOperateContainers(dependencies(), {
      actor: owner,
      operation: 'stop',
      selector: { status: 'running' },
      dryRun: true,
      limit: 100,
      stopBy: now,
    });

    // Assess
    expect(result.truncated).toBe(false);
    expect(result.results.map((item) => item.outcome)).toEqual(['would_apply', 'would_apply']);
  });
});
