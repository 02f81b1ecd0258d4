import { randomUUID } from 'node:crypto';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { shardOf } from '../../../lib/adapters/dynamodb/keys';
import { createEcsClient, EcsContainerRuntime } from '../../../lib/adapters/ecs/ecs-container-runtime';
import type { Container } from '../../../lib/domain/container';
import { DomainError } from '../../../lib/domain/errors';
import type { Clock } from '../../../lib/ports/clock';
import type { ContainerRepository, PagePosition } from '../../../lib/ports/container-repository';
import { randomIds } from '../../../lib/ports/id-generator';
import type { Actor, Dependencies } from '../../../lib/use-cases/dependencies';
import { recordActivity } from '../../../lib/use-cases/record-activity';
import { type EcsEmulator, startEcsEmulator } from '../../../local/ecs-emulator';
import { aContainer, aTransition, historyOf } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';

const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

const lastUsedAt = '2026-11-22T10:30:00.000Z';
const secondsAfter = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

let table: TestTable;
let emulator: EcsEmulator;
let ecs: ECSClient;
let repository: DynamoDbContainerRepository;
/** Writes that DynamoDB accepted, by command name, since the last reset. */
let writes: string[] = [];
/** Calls that reached ECS since the last reset. */
let ecsCalls: string[] = [];
/** The fake clock's time: tests move it, nothing sleeps. */
let now: Date;
const clock: Clock = { now: () => now };

function depsWith(overrides: Partial<Dependencies> = {}): Dependencies {
  return {
    repository,
    runtime: new EcsContainerRuntime(ecs, {
      cluster: 'clc-activity',
      subnets: ['subnet-0a1b2c3d4e5f60718'],
      securityGroups: [],
      assignPublicIp: false,
      taskDefinitionFamilyPrefix: 'clc',
    }),
    clock,
    ids: randomIds,
    events: { publish: async () => undefined },
    settings: {
      containerQuota: 100,
      settleAfterSeconds: 120,
      idleWarningSeconds: 0,
      retentionSeconds: 30 * 86_400,
    },
    ...overrides,
  };
}

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'integration');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'integration');
  table = await createTestTable();
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName && writeCommands.has(context.commandName)) writes.push(context.commandName);
      return result;
    },
    { step: 'initialize', name: 'countAcceptedWrites' },
  );
  repository = new DynamoDbContainerRepository(table.client, {
    tableName: table.tableName,
    logRetentionDays: 90,
  });
  emulator = await startEcsEmulator({ startMs: 30, stopMs: 30 });
  ecs = createEcsClient({ endpoint: emulator.endpoint, region: emulator.region });
  ecs.middlewareStack.add(
    (next, context) => async (args) => {
      ecsCalls.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countEcsCalls' },
  );
});

afterAll(async () => {
  table.client.destroy();
  ecs.destroy();
  await emulator.close();
  vi.unstubAllEnvs();
});

beforeEach(() => {
  now = secondsAfter(lastUsedAt, 600);
});

/** Stores a container of a new owner, last used at `lastUsedAt`, with its history; counters reset. */
async function stored(overrides: Partial<Container> = {}): Promise<{ container: Container; actor: Actor }> {
  const container = aContainer({
    ownerId: `usr_${randomUUID().slice(0, 8)}`,
    createdAt: lastUsedAt,
    version: 3,
    ...overrides,
  });
  await repository.createContainer({ container, logs: historyOf(container), quota: 100 });
  writes = [];
  ecsCalls = [];
  return { container, actor: { id: container.ownerId, isAdmin: false } };
}

async function historyLength(containerId: string): Promise<number> {
  const page = await repository.listStatusLogs({
    containerId,
    sortBy: 'transition_time',
    order: 'asc',
    limit: 100,
  });
  return page.items.length;
}

/** Every id on the container's auto-stop shard due at or before `upTo`, across pages. */
async function dueForAutoStop(containerId: string, upTo: string): Promise<string[]> {
  const ids: string[] = [];
  let start: PagePosition | undefined;
  do {
    const page = await repository.listDueForAutoStop({ shard: shardOf(containerId), upTo, limit: 10, start });
    ids.push(...page.items.map((item) => item.id));
    start = page.next;
  } while (start);
  return ids;
}

describe('recordActivity', () => {
  it('moves last_used_at to now with one write, and no new version, history entry or ECS call', async () => {
    // Prepare
    const { container, actor } = await stored();

    // Act
    const result = await recordActivity(depsWith(), { actor, containerId: container.id });

    // Assess
    const after = await repository.getContainer(container.id);
    expect(result).toEqual({ recorded: true, lastUsedAt: now.toISOString() });
    expect(after).toEqual({ ...container, lastUsedAt: now.toISOString(), lastActivitySource: 'activity' });
    expect(after?.version).toBe(container.version);
    expect(after?.updatedAt).toBe(container.updatedAt);
    expect(await historyLength(container.id)).toBe(container.version);
    expect(writes).toEqual(['PutItemCommand']);
    expect(ecsCalls).toEqual([]);
  });

  it('writes nothing for a report less than a minute after the last use', async () => {
    // Prepare
    const { container, actor } = await stored();
    now = new Date(Date.parse(lastUsedAt) + 59_999);

    // Act
    const result = await recordActivity(depsWith(), { actor, containerId: container.id });

    // Assess
    expect(result).toEqual({ recorded: false, lastUsedAt });
    expect(writes).toEqual([]);
    expect((await repository.getContainer(container.id))?.lastUsedAt).toBe(lastUsedAt);
  });

  it('writes once a minute for a client that reports every ten seconds', async () => {
    // Prepare
    const { container, actor } = await stored();
    const recordedAt: string[] = [];

    // Act: 18 reports over three minutes
    for (let seconds = 10; seconds <= 180; seconds += 10) {
      now = secondsAfter(lastUsedAt, seconds);
      const result = await recordActivity(depsWith(), { actor, containerId: container.id });
      if (result.recorded) recordedAt.push(result.lastUsedAt);
    }

    // Assess
    expect(recordedAt).toEqual(
      [60, 120, 180].map((seconds) => secondsAfter(lastUsedAt, seconds).toISOString()),
    );
    expect(writes).toHaveLength(3);
    expect((await repository.getContainer(container.id))?.lastUsedAt).toBe(recordedAt.at(-1));
  });

  it('writes once when ten reports arrive together', async () => {
    // Prepare
    const { container, actor } = await stored();

    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, () => recordActivity(depsWith(), { actor, containerId: container.id })),
    );

    // Assess
    expect(results.filter((result) => result.recorded)).toHaveLength(1);
    expect(new Set(results.map((result) => result.lastUsedAt))).toEqual(new Set([now.toISOString()]));
    expect(writes).toEqual(['PutItemCommand']);
  });

  it('skips the write when a transition that moved last_used_at lands between its read and its write', async () => {
    // Prepare: the first write is preceded by a user's stop, which counts as use.
    const { container, actor } = await stored();
    const stop = aTransition(container, { to: 'stopping', changes: { lastUsedAt: now.toISOString() } });
    const racing = racedBy(() => repository.saveTransition(stop));

    // Act
    const result = await recordActivity(depsWith({ repository: racing }), {
      actor,
      containerId: container.id,
    });

    // Assess
    expect(result).toEqual({ recorded: false, lastUsedAt: now.toISOString() });
    expect(await repository.getContainer(container.id)).toEqual(stop.after);
  });

  it('records on a re-read, keeping the other write, when a transition that left last_used_at alone lands first', async () => {
    // Prepare: ECS reports the task stopped on its own between the read and the write.
    const { container, actor } = await stored();
    const stopped = aTransition(container, { to: 'stopped', triggeredBy: 'ecs' });
    const racing = racedBy(() => repository.saveTransition(stopped));

    // Act
    const result = await recordActivity(depsWith({ repository: racing }), {
      actor,
      containerId: container.id,
    });

    // Assess
    expect(result).toEqual({ recorded: true, lastUsedAt: now.toISOString() });
    expect(await repository.getContainer(container.id)).toEqual({
      ...stopped.after,
      lastUsedAt: now.toISOString(),
      lastActivitySource: 'activity',
    });
  });

  it('moves the auto-stop deadline: the container leaves the list due at its old deadline', async () => {
    // Prepare
    const { container, actor } = await stored({ idleTimeoutSeconds: 3600 });
    const oldDeadline = secondsAfter(lastUsedAt, 3600).toISOString();
    const newDeadline = secondsAfter(now.toISOString(), 3600).toISOString();
    const dueBefore = await dueForAutoStop(container.id, oldDeadline);

    // Act
    await recordActivity(depsWith(), { actor, containerId: container.id });

    // Assess
    expect(dueBefore).toContain(container.id);
    expect(await dueForAutoStop(container.id, oldDeadline)).not.toContain(container.id);
    expect(await dueForAutoStop(container.id, newDeadline)).toContain(container.id);
  });

  it.each(['stopped', 'paused', 'starting'] as const)(
    'records use of a %s container without changing its status',
    async (status) => {
      // Prepare
      const { container, actor } = await stored({ status });

      // Act
      const result = await recordActivity(depsWith(), { actor, containerId: container.id });

      // Assess
      expect(result.recorded).toBe(true);
      expect(await repository.getContainer(container.id)).toEqual({
        ...container,
        lastUsedAt: now.toISOString(),
        lastActivitySource: 'activity',
      });
    },
  );

  it('refuses an expired container with OPERATION_NOT_PERMITTED_ON_EXPIRED and writes nothing', async () => {
    // Prepare
    const { container, actor } = await stored({ status: 'expired', task: null, ipAddress: null });

    // Act
    const attempt = recordActivity(depsWith(), { actor, containerId: container.id });

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'OPERATION_NOT_PERMITTED_ON_EXPIRED' });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    expect(writes).toEqual([]);
  });

  it("answers CONTAINER_NOT_FOUND for another owner's container and records an admin's report", async () => {
    // Prepare
    const { container } = await stored();

    // Act
    const stranger = recordActivity(depsWith(), {
      actor: { id: 'usr_mallory', isAdmin: false },
      containerId: container.id,
    });
    await expect(stranger).rejects.toMatchObject({ code: 'CONTAINER_NOT_FOUND' });
    const admin = await recordActivity(depsWith(), {
      actor: { id: 'usr_operator', isAdmin: true },
      containerId: container.id,
    });

    // Assess
    expect(admin.recorded).toBe(true);
    expect(writes).toEqual(['PutItemCommand']);
  });
});

/**
 * The repository, with `race` run once just before the first non-transition write, as if
 * another writer had landed between the use case's read and its write.
 */
function racedBy(race: () => Promise<void>): ContainerRepository {
  let raced = false;
  return new Proxy(repository, {
    get(target, property, receiver) {
      if (property !== 'saveWithoutTransition') return Reflect.get(target, property, receiver);
      return async (before: Container, after: Container) => {
        if (!raced) {
          raced = true;
          await race();
        }
        return target.saveWithoutTransition(before, after);
      };
    },
  });
}
