import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { DynamoDbScheduleRepository } from '../../../lib/adapters/dynamodb/dynamodb-schedule-repository';
import { DomainError } from '../../../lib/domain/errors';
import type { ScheduleWindow } from '../../../lib/domain/schedule';
import { randomIds } from '../../../lib/ports/id-generator';
import { deleteSchedule } from '../../../lib/use-cases/delete-schedule';
import { putSchedule } from '../../../lib/use-cases/put-schedule';
import type { ScheduleDependencies } from '../../../lib/use-cases/schedule-target';
import { createTestTable, type TestTable } from '../../support/dynamodb';

const officeHours: ScheduleWindow[] = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', stop: '19:00' },
];
const alice = { id: 'usr_alice', isAdmin: false };
const bob = { id: 'usr_bob', isAdmin: false };
const limit = 3;

describe('the per-owner schedule limit', () => {
  let table: TestTable;
  let deps: ScheduleDependencies;

  beforeEach(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    table = await createTestTable();
    deps = {
      repository: new DynamoDbContainerRepository(table.client, {
        tableName: table.tableName,
        logRetentionDays: 90,
      }),
      schedules: new DynamoDbScheduleRepository(table.client, {
        tableName: table.tableName,
        scheduleLimit: limit,
      }),
      clock: { now: () => new Date('2026-06-03T12:00:00.000Z') },
      ids: randomIds,
      settings: {
        containerQuota: 5,
        settleAfterSeconds: 300,
        idleWarningSeconds: 0,
        retentionSeconds: 86_400,
      },
    };
  });

  function put(projectId: string, actor = alice) {
    return putSchedule(deps, {
      actor,
      target: { projectId },
      timeZone: 'Europe/Berlin',
      windows: officeHours,
    });
  }

  async function refusal(attempt: Promise<unknown>): Promise<DomainError | undefined> {
    try {
      await attempt;
      return undefined;
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
  }

  it('refuses a schedule past the limit with QUOTA_EXCEEDED naming schedules, and still lets one be replaced', async () => {
    // Prepare
    for (const project of ['p1', 'p2', 'p3']) await put(project);

    // Act
    const refused = await refusal(put('p4'));
    const replaced = await put('p2');
    const othersOwn = await put('p4', bob);

    // Assess
    expect(refused).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { limit, resource: 'schedules' } });
    expect(
      await deps.schedules.get({ source: 'project', ownerId: alice.id, projectId: 'p4' }),
    ).toBeUndefined();
    expect(replaced.created).toBe(false);
    expect(othersOwn.created).toBe(true);
  });

  it('frees a place when a schedule is deleted', async () => {
    // Prepare
    for (const project of ['p1', 'p2', 'p3']) await put(project);

    // Act
    await deleteSchedule(deps, { actor: alice, target: { projectId: 'p1' } });
    const created = await put('p4');

    // Assess
    expect(created.created).toBe(true);
    expect(await refusal(put('p5'))).toMatchObject({ code: 'QUOTA_EXCEEDED' });
  });

  it('lets exactly the limit through when ten new schedules race', async () => {
    // Act
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => put(`race-${index}`)));

    // Assess
    const created = results.filter((result) => result.status === 'fulfilled');
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(created).toHaveLength(limit);
    expect(refused.every((error) => error instanceof DomainError && error.code === 'QUOTA_EXCEEDED')).toBe(
      true,
    );
  });

  it('counts a schedule once when two PUTs create it at the same time', async () => {
    // Act
    const [one, two] = await Promise.all([put('same'), put('same')]);
    for (const project of ['p2', 'p3']) await put(project);

    // Assess
    expect([one.created, two.created].sort()).toEqual([false, true]);
    expect(await refusal(put('p4'))).toMatchObject({ code: 'QUOTA_EXCEEDED' });
  });
});
