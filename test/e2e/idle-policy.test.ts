import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../lib/adapters/dynamodb/dynamodb-container-repository';
import { shardOf } from '../../lib/adapters/dynamodb/keys';
import { retryOnConflict } from '../../lib/use-cases/load-container';
import { aContainer, historyOf } from '../support/containers';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const tenMinutesMs = 10 * 60_000;
/** IDLE_WARNING_SECONDS as the local stack leaves it: the default. */
const warningMs = 300_000;

describe('GET /v1/containers/{id}/idle and POST /v1/containers/{id}/snooze through the gateway', () => {
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
    const created = await stack.api('POST', '/v1/containers', { body: { name: `snooze-${names}`, image } });
    const id: string = created.body.data.id;
    await stack.waitForStatus(id, 'running');
    const lastUsedAt = new Date(Date.now() - tenMinutesMs).toISOString();
    await retryOnConflict(async () => {
      const stored = await repository.getContainer(id);
      if (!stored) throw new Error(`container ${id} vanished`);
      await repository.saveWithoutTransition(stored, { ...stored, lastUsedAt });
    });
    return id;
  }

  async function pausedContainer(): Promise<string> {
    const id = await idleRunningContainer();
    await stack.api('POST', `/v1/containers/${id}/pause`);
    await stack.waitForStatus(id, 'paused');
    return id;
  }

  describe('GET /v1/containers/{id}/idle', () => {
    it('explains when a running container will stop, and that nothing blocks it', async () => {
      // Prepare
      const id = await idleRunningContainer();
      const container = await stack.api('GET', `/v1/containers/${id}`);

      // Act
      const response = await stack.api('GET', `/v1/containers/${id}/idle`);

      // Assess
      expect(response.status).toBe(200);
      const idle = response.body.data;
      const { last_used_at: lastUsedAt, idle_timeout_seconds: timeout } = container.body.data;
      expect(idle).toMatchObject({
        container_id: id,
        status: 'running',
        idle_timeout_seconds: timeout,
        last_activity_at: lastUsedAt,
        last_activity_source: 'create',
        snoozed_until: null,
        blocked_by: [],
      });
      expect(idle.idle_seconds).toBeGreaterThanOrEqual(600);
      expect(idle.auto_stop_at).toBe(new Date(Date.parse(lastUsedAt) + timeout * 1000).toISOString());
      expect(Date.parse(idle.auto_stop_at) - Date.parse(idle.warning_at)).toBe(warningMs);
    });

    it("names the last activity's source: an activity report", async () => {
      // Prepare
      const id = await idleRunningContainer();
      await stack.api('POST', `/v1/containers/${id}/activity`);

      // Act
      const response = await stack.api('GET', `/v1/containers/${id}/idle`);

      // Assess
      expect(response.status).toBe(200);
      expect(response.body.data.last_activity_source).toBe('activity');
      expect(response.body.data.idle_seconds).toBeLessThanOrEqual(1);
    });

    it('says why a paused container will not be stopped, with no deadline', async () => {
      // Prepare
      const id = await pausedContainer();

      // Act
      const response = await stack.api('GET', `/v1/containers/${id}/idle`);

      // Assess
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({
        status: 'paused',
        last_activity_source: 'operation',
        auto_stop_at: null,
        warning_at: null,
        blocked_by: ['not running'],
      });
    });

    it("answers 404 CONTAINER_NOT_FOUND for another owner's container", async () => {
      const id = await idleRunningContainer();

      const response = await stack.api('GET', `/v1/containers/${id}/idle`, { as: 'bob' });

      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('CONTAINER_NOT_FOUND');
    });

    it('answers 400 INVALID_ID_FORMAT for a bad id', async () => {
      const response = await stack.api('GET', '/v1/containers/not-an-id/idle');

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('INVALID_ID_FORMAT');
    });
  });

  describe('POST /v1/containers/{id}/snooze', () => {
    it('pushes the auto-stop out to now + seconds, without a new version, and moves the index entry', async () => {
      // Prepare
      const id = await idleRunningContainer();
      const before = await stack.api('GET', `/v1/containers/${id}/idle`);
      const container = await stack.api('GET', `/v1/containers/${id}`);
      const oldDeadline: string = before.body.data.auto_stop_at;
      const due = () =>
        repository
          .listDueForAutoStop({ shard: shardOf(id), upTo: oldDeadline, limit: 50 })
          .then((page) => page.items.map((item) => item.id));
      const dueBefore = await due();
      const from = Date.now();

      // Act
      const response = await stack.api('POST', `/v1/containers/${id}/snooze`, { body: { seconds: 7200 } });

      // Assess
      const after = await stack.api('GET', `/v1/containers/${id}`);
      expect(response.status).toBe(200);
      const idle = response.body.data;
      expect(Date.parse(idle.snoozed_until)).toBeGreaterThanOrEqual(from + 7_200_000);
      expect(Date.parse(idle.snoozed_until)).toBeLessThanOrEqual(Date.now() + 7_200_000);
      expect(idle.auto_stop_at).toBe(idle.snoozed_until);
      expect(Date.parse(idle.auto_stop_at) - Date.parse(idle.warning_at)).toBe(warningMs);
      expect(idle.blocked_by).toEqual([]);
      expect(after.body.data.version).toBe(container.body.data.version);
      expect(after.body.data.last_used_at).toBe(container.body.data.last_used_at);
      expect(dueBefore).toContain(id);
      expect(await due()).not.toContain(id);
      expect((await stack.api('GET', `/v1/containers/${id}/idle`)).body.data.snoozed_until).toBe(
        idle.snoozed_until,
      );
    });

    it('leaves the idle deadline when it is later than the snooze', async () => {
      // Prepare: used ten minutes ago with the default timeout, well over a minute away.
      const id = await idleRunningContainer();
      const before = await stack.api('GET', `/v1/containers/${id}/idle`);

      // Act
      const response = await stack.api('POST', `/v1/containers/${id}/snooze`, { body: { seconds: 60 } });

      // Assess
      expect(response.status).toBe(200);
      expect(response.body.data.auto_stop_at).toBe(before.body.data.auto_stop_at);
      expect(response.body.data.snoozed_until).not.toBeNull();
    });

    it('answers 409 OPERATION_STATE_CONFLICT with details for a container that is not running', async () => {
      const id = await pausedContainer();

      const response = await stack.api('POST', `/v1/containers/${id}/snooze`, { body: { seconds: 600 } });

      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('OPERATION_STATE_CONFLICT');
      expect(response.body.error.details).toMatchObject({ status: 'paused', operation: 'snooze' });
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
      const response = await stack.api('POST', `/v1/containers/${container.id}/snooze`, {
        body: { seconds: 600 },
      });

      // Assess
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('OPERATION_NOT_PERMITTED_ON_EXPIRED');
    });

    it("answers 404 CONTAINER_NOT_FOUND for another owner's container and leaves it unsnoozed", async () => {
      const id = await idleRunningContainer();

      const response = await stack.api('POST', `/v1/containers/${id}/snooze`, {
        as: 'bob',
        body: { seconds: 600 },
      });

      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('CONTAINER_NOT_FOUND');
      expect((await repository.getContainer(id))?.snoozedUntil).toBeNull();
    });

    it('answers 400 INVALID_ID_FORMAT for a bad id', async () => {
      const response = await stack.api('POST', '/v1/containers/6740C3F2A1B2C3D4E5F60718/snooze', {
        body: { seconds: 600 },
      });

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('INVALID_ID_FORMAT');
    });

    it.each([
      ['too short', { seconds: 59 }],
      ['too long', { seconds: 86_401 }],
      ['not whole', { seconds: 90.5 }],
      ['not a number', { seconds: '600' }],
      ['missing', {}],
      ['with an unknown field', { seconds: 600, until: 'never' }],
    ])('answers 400 VALIDATION_ERROR for a body %s', async (_, body) => {
      const id = await idleRunningContainer();

      const response = await stack.api('POST', `/v1/containers/${id}/snooze`, { body });

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      expect((await repository.getContainer(id))?.snoozedUntil).toBeNull();
    });

    it('refuses a read-only token with 403', async () => {
      const id = await idleRunningContainer();

      const response = await stack.api('POST', `/v1/containers/${id}/snooze`, {
        scope: 'containers:read',
        body: { seconds: 600 },
      });

      expect(response.status).toBe(403);
      expect((await repository.getContainer(id))?.snoozedUntil).toBeNull();
    });
  });
});
