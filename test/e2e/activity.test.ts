import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../lib/adapters/dynamodb/dynamodb-container-repository';
import { containerKey, shardOf } from '../../lib/adapters/dynamodb/keys';
import { retryOnConflict } from '../../lib/use-cases/load-container';
import { aContainer, historyOf } from '../support/containers';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const tenMinutesMs = 10 * 60_000;

describe('POST /v1/containers/{id}/activity through the gateway', () => {
  let stack: LocalStack;
  let repository: DynamoDbContainerRepository;
  let names = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 50 });
    repository = new DynamoDbContainerRepository(stack.dynamoDb, {
      tableName: stack.tableName,
      logRetentionDays: 90,
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  /** A running container of alice's whose last use was ten minutes ago. */
  async function idleRunningContainer(): Promise<string> {
    names += 1;
    const created = await stack.api('POST', '/v1/containers', { body: { name: `idle-${names}`, image } });
    const id: string = created.body.data.id;
    await stack.waitForStatus(id, 'running');
    const lastUsedAt = new Date(Date.now() - tenMinutesMs).toISOString();
    // A late task event may write between the read and this write; the condition makes us re-read.
    await retryOnConflict(async () => {
      const stored = await repository.getContainer(id);
      if (!stored) throw new Error(`container ${id} vanished`);
      await repository.saveWithoutTransition(stored, { ...stored, lastUsedAt });
    });
    return id;
  }

  async function rawLastUsedAt(id: string): Promise<unknown> {
    const { Item } = await stack.dynamoDb.send(
      new GetItemCommand({
        TableName: stack.tableName,
        Key: { pk: { S: containerKey(id).pk }, sk: { S: containerKey(id).sk } },
        ConsistentRead: true,
      }),
    );
    return Item && unmarshall(Item).last_used_at;
  }

  it('answers 204 with no body and resets the idle clock, without a new version or history entry', async () => {
    // Prepare
    const id = await idleRunningContainer();
    const before = await stack.api('GET', `/v1/containers/${id}`);
    const logsBefore = await stack.api('GET', `/v1/containers/${id}/status-logs`);
    const reportedFrom = Date.now();

    // Act
    const response = await stack.api('POST', `/v1/containers/${id}/activity`);

    // Assess
    const after = await stack.api('GET', `/v1/containers/${id}`);
    const logsAfter = await stack.api('GET', `/v1/containers/${id}/status-logs`);
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    expect(before.body.data.idle_seconds).toBeGreaterThanOrEqual(600);
    expect(Date.parse(after.body.data.last_used_at)).toBeGreaterThanOrEqual(reportedFrom);
    expect(after.body.data.idle_seconds).toBeLessThanOrEqual(1);
    expect(after.body.data.version).toBe(before.body.data.version);
    expect(after.body.data.updated_at).toBe(before.body.data.updated_at);
    expect(after.body.data.status).toBe('running');
    expect(logsAfter.body.pagination.total).toBe(logsBefore.body.pagination.total);
  });

  it('does not write a second report within the minute', async () => {
    // Prepare
    const id = await idleRunningContainer();
    await stack.api('POST', `/v1/containers/${id}/activity`);
    const firstWrite = await rawLastUsedAt(id);

    // Act
    const response = await stack.api('POST', `/v1/containers/${id}/activity`);

    // Assess
    expect(response.status).toBe(204);
    expect(await rawLastUsedAt(id)).toBe(firstWrite);
  });

  it('takes the container off the auto-stop list due at its old deadline', async () => {
    // Prepare
    const id = await idleRunningContainer();
    const stored = await repository.getContainer(id);
    const oldDeadline = new Date(
      Date.parse(stored?.lastUsedAt ?? '') + (stored?.idleTimeoutSeconds ?? 0) * 1000,
    ).toISOString();
    const due = () =>
      repository
        .listDueForAutoStop({ shard: shardOf(id), upTo: oldDeadline, limit: 50 })
        .then((page) => page.items.map((item) => item.id));
    const dueBefore = await due();

    // Act
    await stack.api('POST', `/v1/containers/${id}/activity`);

    // Assess
    expect(dueBefore).toContain(id);
    expect(await due()).not.toContain(id);
  });

  it("answers 404 CONTAINER_NOT_FOUND for another owner's container and leaves it as it was", async () => {
    // Prepare
    const id = await idleRunningContainer();
    const lastUsedAt = await rawLastUsedAt(id);

    // Act
    const response = await stack.api('POST', `/v1/containers/${id}/activity`, { as: 'bob' });

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('CONTAINER_NOT_FOUND');
    expect(await rawLastUsedAt(id)).toBe(lastUsedAt);
  });

  it('answers 400 INVALID_ID_FORMAT for an id that is not 24 lowercase hex characters', async () => {
    const response = await stack.api('POST', '/v1/containers/6740C3F2A1B2C3D4E5F60718/activity');

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_ID_FORMAT');
  });

  it('refuses a read-only token with 403', async () => {
    // Prepare
    const id = await idleRunningContainer();
    const lastUsedAt = await rawLastUsedAt(id);

    // Act
    const response = await stack.api('POST', `/v1/containers/${id}/activity`, { scope: 'containers:read' });

    // Assess
    expect(response.status).toBe(403);
    expect(await rawLastUsedAt(id)).toBe(lastUsedAt);
  });

  it('answers 403 OPERATION_NOT_PERMITTED_ON_EXPIRED for an expired container', async () => {
    // Prepare
    const container = aContainer({
      ownerId: 'alice',
      status: 'expired',
      createdAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      task: null,
      ipAddress: null,
      version: 4,
    });
    await repository.createContainer({ container, logs: historyOf(container), quota: 50 });

    // Act
    const response = await stack.api('POST', `/v1/containers/${container.id}/activity`);

    // Assess
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('OPERATION_NOT_PERMITTED_ON_EXPIRED');
    expect(await rawLastUsedAt(container.id)).toBe(container.lastUsedAt);
  });
});
