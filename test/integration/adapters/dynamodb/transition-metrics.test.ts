/**
 * The Transitions metric is counted by the repository, against DynamoDB Local, once a write has
 * succeeded: a lost race (VersionConflictError) or a refused create counts nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbContainerRepository } from '../../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { observed } from '../../../../lib/observability/observed';
import { VersionConflictError } from '../../../../lib/ports/container-repository';
import { aContainer, aTransition, historyOf } from '../../../support/containers';
import { createTestTable, type TestTable } from '../../../support/dynamodb';

let table: TestTable;
let repository: DynamoDbContainerRepository;
let stdout: string[];

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  table = await createTestTable();
  repository = new DynamoDbContainerRepository(table.client, {
    tableName: table.tableName,
    logRetentionDays: 30,
  });
});

afterAll(() => {
  vi.unstubAllEnvs();
  table.client.destroy();
});

beforeEach(() => {
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** `to_status triggered_by = value` for each Transitions line written. */
function transitions(): string[] {
  return stdout
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"Transitions"'))
    .map((line) => JSON.parse(line))
    .map((blob) => `${blob.to_status} ${blob.triggered_by} = ${blob.Transitions}`);
}

const inInvocation = (work: () => Promise<void>) => observed(async (_event: unknown) => work())({});

describe('Transitions counted by the DynamoDB repository', () => {
  it('counts each entry a create writes and each saved transition, by to_status and triggered_by', async () => {
    // Prepare
    const container = aContainer({
      ownerId: `usr_${randomUUID().slice(0, 8)}`,
      status: 'running',
      version: 3,
    });

    // Act
    await inInvocation(async () => {
      await repository.createContainer({ container, logs: historyOf(container), quota: 10 });
      await repository.saveTransition(aTransition(container, { to: 'stopping', triggeredBy: 'auto-stop' }));
    });

    // Assess
    const expected = new Map<string, number>();
    for (const { toStatus, triggeredBy } of historyOf(container)) {
      const key = `${toStatus} ${triggeredBy}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expected.set('stopping auto-stop', 1);
    expect(transitions().sort()).toEqual([...expected].map(([key, value]) => `${key} = ${value}`).sort());
  });

  it('counts nothing for a transition that lost the race', async () => {
    // Prepare
    const container = aContainer({
      ownerId: `usr_${randomUUID().slice(0, 8)}`,
      status: 'running',
      version: 3,
    });
    await repository.createContainer({ container, logs: historyOf(container), quota: 10 });
    await repository.saveTransition(aTransition(container, { to: 'stopping' }));
    stdout.length = 0;

    // Act
    const lost = inInvocation(async () => {
      await repository.saveTransition(aTransition(container, { to: 'pausing' }));
    });

    // Assess
    await expect(lost).rejects.toBeInstanceOf(VersionConflictError);
    expect(transitions()).toEqual([]);
  });
});
