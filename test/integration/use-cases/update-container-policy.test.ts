import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { shardOf } from '../../../lib/adapters/dynamodb/keys';
import type { Container } from '../../../lib/domain/container';
import { DomainError } from '../../../lib/domain/errors';
import type { Clock } from '../../../lib/ports/clock';
import { VersionConflictError } from '../../../lib/ports/container-repository';
import type { Actor } from '../../../lib/use-cases/dependencies';
import { recordActivity } from '../../../lib/use-cases/record-activity';
import { snoozeContainer } from '../../../lib/use-cases/snooze-container';
import { updateContainerPolicy } from '../../../lib/use-cases/update-container-policy';
import { aContainer, aTransition, historyOf } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';

const alice: Actor = { id: 'usr_alice', isAdmin: false };
const startedAt = '2026-11-22T10:30:00.000Z';
const secondsAfter = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

let table: TestTable;
let repository: DynamoDbContainerRepository;
let now: Date;
const clock: Clock = { now: () => now };
const deps = () => ({ repository, clock });

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'integration');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'integration');
  table = await createTestTable();
  repository = new DynamoDbContainerRepository(table.client, {
    tableName: table.tableName,
    logRetentionDays: 90,
  });
});
afterAll(() => {
  table.client.destroy();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  now = secondsAfter(startedAt, 600);
});

async function stored(overrides: Partial<Container> = {}): Promise<Container> {
  const container = aContainer({
    ownerId: alice.id,
    createdAt: startedAt,
    startedAt,
    version: 3,
    idleTimeoutSeconds: 3600,
    ...overrides,
  });
  await repository.createContainer({ container, logs: historyOf(container), quota: 1000 });
  return container;
}

async function dueIds(container: Container, upTo: Date): Promise<string[]> {
  const page = await repository.listDueForAutoStop({
    shard: shardOf(container.id),
    upTo: upTo.toISOString(),
    limit: 100,
  });
  return page.items.map((item) => item.id);
}

describe('updateContainerPolicy against DynamoDB Local', () => {
  it('moves the auto-stop index entry at once, without a new version or history entry', async () => {
    // Prepare
    const container = await stored();
    const tenMinutesFromNow = secondsAfter(now.toISOString(), 600);
    const dueBefore = await dueIds(container, tenMinutesFromNow);

    // Act
    const updated = await updateContainerPolicy(deps(), {
      actor: alice,
      containerId: container.id,
      idleTimeoutSeconds: 600,
    });

    // Assess
    const read = await repository.getContainer(container.id);
    expect(dueBefore).not.toContain(container.id);
    expect(await dueIds(container, tenMinutesFromNow)).toContain(container.id);
    expect(read).toEqual(updated);
    expect(read).toMatchObject({ version: 3, idleTimeoutSeconds: 600, updatedAt: now.toISOString() });
    const logs = await repository.listStatusLogs({
      containerId: container.id,
      sortBy: 'transition_time',
      order: 'asc',
      limit: 10,
    });
    expect(logs.items).toHaveLength(3);
  });

  it('takes the container off the index when both policies are turned off', async () => {
    // Prepare
    const container = await stored({ maxLifetimeSeconds: 3600 });
    const farFuture = secondsAfter(now.toISOString(), 30 * 86_400);

    // Act
    await updateContainerPolicy(deps(), {
      actor: alice,
      containerId: container.id,
      idleTimeoutSeconds: null,
      maxLifetimeSeconds: null,
    });

    // Assess
    expect(await dueIds(container, farFuture)).not.toContain(container.id);
  });

  it('leaves the field it is not given as it was', async () => {
    const container = await stored({ idleTimeoutSeconds: 900, maxLifetimeSeconds: 7200 });

    const updated = await updateContainerPolicy(deps(), {
      actor: alice,
      containerId: container.id,
      maxLifetimeSeconds: 3600,
    });

    expect(updated).toMatchObject({ idleTimeoutSeconds: 900, maxLifetimeSeconds: 3600 });
  });

  it('makes a transition decided on a read from before the change lose, so the change is not wiped out', async () => {
    // Prepare: the sweep read the container, then the policy changed.
    const container = await stored();
    const read = await repository.getContainer(container.id);
    if (!read) throw new Error('not stored');
    await updateContainerPolicy(deps(), {
      actor: alice,
      containerId: container.id,
      idleTimeoutSeconds: null,
    });

    // Act
    const write = repository.saveTransition(aTransition(read, { to: 'stopping' }));

    // Assess
    await expect(write).rejects.toBeInstanceOf(VersionConflictError);
    expect(await repository.getContainer(container.id)).toMatchObject({
      status: 'running',
      idleTimeoutSeconds: null,
    });
  });

  it('keeps the policy change and the latest use report when 10 of each race', async () => {
    // Prepare
    const container = await stored({ lastUsedAt: startedAt });
    const reports = Array.from({ length: 10 }, (_, index) => secondsAfter(startedAt, 120 * (index + 1)));

    // Act: the last use report and the last policy change must both survive.
    await Promise.all([
      ...reports.map((at) =>
        recordActivity({ repository, clock: { now: () => at } }, { actor: alice, containerId: container.id }),
      ),
      ...Array.from({ length: 10 }, (_, index) =>
        updateContainerPolicy(deps(), {
          actor: alice,
          containerId: container.id,
          maxLifetimeSeconds: 1000 + index,
        }),
      ),
    ]);

    // Assess
    const read = await repository.getContainer(container.id);
    expect(read?.idleTimeoutSeconds).toBe(3600);
    expect(read?.maxLifetimeSeconds).toBeGreaterThanOrEqual(1000);
    expect(read?.maxLifetimeSeconds).toBeLessThan(1010);
    // An earlier report may be skipped by the throttle once a later one is written, never the latest.
    expect(read?.lastUsedAt).toBe(reports.at(-1)?.toISOString());
    expect(read?.version).toBe(3);
  });

  it('caps a snooze at the end of the maximum lifetime', async () => {
    // Prepare: started ten minutes ago, with a one-hour lifetime.
    const container = await stored({ maxLifetimeSeconds: 3600 });

    // Act
    const snoozed = await snoozeContainer(deps(), {
      actor: alice,
      containerId: container.id,
      seconds: 86_400,
    });

    // Assess
    expect(snoozed.snoozedUntil).toBe(secondsAfter(startedAt, 3600).toISOString());
  });

  it('refuses an expired container with OPERATION_NOT_PERMITTED_ON_EXPIRED and changes nothing', async () => {
    const container = await stored({ status: 'expired', task: null, ipAddress: null });

    const update = updateContainerPolicy(deps(), {
      actor: alice,
      containerId: container.id,
      idleTimeoutSeconds: 60,
    });

    await expect(update).rejects.toMatchObject({ code: 'OPERATION_NOT_PERMITTED_ON_EXPIRED' });
    await expect(update).rejects.toBeInstanceOf(DomainError);
    expect((await repository.getContainer(container.id))?.idleTimeoutSeconds).toBe(3600);
  });
});
