/**
 * The status-log `total` counts the entries the history still holds, from the oldest kept to the
 * latest. Each entry carries a TTL (its writing plus LOG_RETENTION_DAYS, as it was then) and
 * DynamoDB deletes the expired ones. Here the deletions DynamoDB's TTL would make are made by hand,
 * on DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marshall } from '../../../lib/adapters/dynamodb/attribute-values';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { logKey } from '../../../lib/adapters/dynamodb/keys';
import { listStatusLogs } from '../../../lib/use-cases/list-status-logs';
import { aContainer, historyOf } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';

const now = new Date('2026-12-07T12:00:00.000Z');
const daysBefore = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const logRetentionDays = 90;

describe('the status-log total', () => {
  let table: TestTable;
  let repository: DynamoDbContainerRepository;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    table = await createTestTable();
    repository = new DynamoDbContainerRepository(table.client, {
      tableName: table.tableName,
      logRetentionDays,
    });
  });
  afterAll(() => table.client.destroy());

  /**
   * A container of six transitions created `ageDays` ago: the first two written then, the other
   * four yesterday (their TTL still ahead); the first `gone` entries deleted, as the TTL deletes them.
   */
  async function containerWithHistory(ageDays: number, gone: number) {
    const ownerId = `usr_${randomUUID().slice(0, 8)}`;
    const container = aContainer({ ownerId, createdAt: daysBefore(ageDays), version: 6, status: 'stopped' });
    const logs = historyOf(container).map((log) =>
      log.version <= 2 ? log : { ...log, createdAt: daysBefore(1), transitionTime: daysBefore(1) },
    );
    await repository.createContainer({ container, logs, quota: 100 });
    for (let version = 1; version <= gone; version += 1) {
      await table.client.send(
        new DeleteItemCommand({
          TableName: table.tableName,
          Key: marshall(logKey(container.id, version)),
        }),
      );
    }
    return container;
  }

  async function listed(containerId: string, ownerId: string) {
    return listStatusLogs(
      { repository },
      { actor: { id: ownerId, isAdmin: false }, containerId, sortBy: 'created_at', order: 'asc', limit: 20 },
    );
  }

  it("is the container's version while the container is younger than the log retention", async () => {
    const container = await containerWithHistory(10, 0);

    const list = await listed(container.id, container.ownerId);

    expect(list.total).toBe(6);
    expect(list.items).toHaveLength(6);
  });

  it('leaves out the entries the TTL deleted, for a container older than the retention: as many as the list holds', async () => {
    const container = await containerWithHistory(100, 2);

    const list = await listed(container.id, container.ownerId);

    expect(list.total).toBe(4);
    expect(list.items.map((log) => log.version)).toEqual([3, 4, 5, 6]);
  });

  it("leaves them out for a container younger than today's retention too: it may have been shorter when they were written", async () => {
    const container = await containerWithHistory(40, 2);

    const list = await listed(container.id, container.ownerId);

    expect(list.total).toBe(4);
    expect(list.items.map((log) => log.version)).toEqual([3, 4, 5, 6]);
  });

  it('is 0 when every entry is gone', async () => {
    const container = await containerWithHistory(100, 6);

    const list = await listed(container.id, container.ownerId);

    expect(list.total).toBe(0);
    expect(list.items).toEqual([]);
  });
});
