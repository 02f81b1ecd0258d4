import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../../lib/adapters/dynamodb/dynamodb-container-repository';
import type { Container } from '../../../../lib/domain/container';
import { newTransitionId } from '../../../../lib/domain/transition-id';
import { VersionConflictError } from '../../../../lib/ports/container-repository';
import { aContainer, aTransition, historyOf } from '../../../support/containers';
import { createTestTable, type TestTable } from '../../../support/dynamodb';

let table: TestTable;
let repository: DynamoDbContainerRepository;

beforeAll(async () => {
  table = await createTestTable();
  repository = new DynamoDbContainerRepository(table.client, {
    tableName: table.tableName,
    logRetentionDays: 30,
  });
});

afterAll(() => {
  table.client.destroy();
});

async function stored(overrides: Partial<Container> = {}): Promise<Container> {
  const container = aContainer({ ownerId: `usr_${randomUUID().slice(0, 8)}`, ...overrides });
  await repository.createContainer({ container, logs: historyOf(container), quota: 100 });
  return container;
}

/** A start of a stopped container, named by a self-locating transition id. */
function startOf(container: Container) {
  return aTransition(container, {
    to: 'starting',
    operation: 'start',
    transitionId: newTransitionId(container.id, container.version + 1),
  });
}

describe('DynamoDbContainerRepository.getTransitionRecord', () => {
  it('reads the container, the entry at the version and the one after it', async () => {
    // Prepare
    const container = await stored({ status: 'stopped', version: 2 });
    const start = startOf(container);
    await repository.saveTransition(start);
    const settle = aTransition(start.after, { to: 'running', triggeredBy: 'ecs', operation: 'start' });
    await repository.saveTransition(settle);

    // Act
    const record = await repository.getTransitionRecord(container.id, 3);

    // Assess
    expect(record.entry).toEqual(start.log);
    expect(record.next).toEqual(settle.log);
    expect(record.container).toEqual(settle.after);
  });

  it('leaves out what is not stored: no next entry yet, no container once deleted', async () => {
    // Prepare
    const container = await stored({ status: 'stopped', version: 2 });
    const start = startOf(container);
    await repository.saveTransition(start);
    const pending = await repository.getTransitionRecord(container.id, 3);
    await repository.deleteContainer(start.after);

    // Act
    const deleted = await repository.getTransitionRecord(container.id, 3);

    // Assess
    expect(pending).toEqual({ container: start.after, entry: start.log, next: undefined });
    expect(deleted).toEqual({ container: undefined, entry: start.log, next: undefined });
  });

  it('reads nothing for a container that never existed', async () => {
    // Act
    const record = await repository.getTransitionRecord('0123456789abcdef01234567', 2);

    // Assess
    expect(record).toEqual({ container: undefined, entry: undefined, next: undefined });
  });
});

describe('DynamoDbContainerRepository.saveTransition with self-locating transition ids', () => {
  it('takes a retried transition as the same one, and two racing for a version as a conflict', async () => {
    // Prepare
    const container = await stored({ status: 'stopped', version: 2 });
    const winner = startOf(container);
    const loser = startOf(container);

    // Act
    await repository.saveTransition(winner);
    // Both settle together: a rejection left without a handler while the other is awaited would
    // be reported as unhandled, depending on which answers first.
    const [retried, raced] = await Promise.allSettled([
      repository.saveTransition(winner),
      repository.saveTransition(loser),
    ]);

    // Assess
    expect(retried).toEqual({ status: 'fulfilled', value: undefined });
    expect(raced.status === 'rejected' && raced.reason).toBeInstanceOf(VersionConflictError);
    expect((await repository.getTransitionRecord(container.id, 3)).entry?.id).toBe(winner.log.id);
  });
});
