/**
 * The maximum lifetime, PATCH /v1/containers/{id} (a policy change in force at once) and the
 * operation_id of an operation whose ECS call failed, through the gateway. The auto-stop sweep is
 * run with a clock set to the moment under test, as the scheduler would run it then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../lib/adapters/dynamodb/dynamodb-container-repository';
import { shardOf } from '../../lib/adapters/dynamodb/keys';
import { createEcsClient, EcsContainerRuntime } from '../../lib/adapters/ecs/ecs-container-runtime';
import { randomIds } from '../../lib/ports/id-generator';
import { type AutoStopSummary, autoStopIdleContainers } from '../../lib/use-cases/auto-stop-idle-containers';
import { aContainer, historyOf } from '../support/containers';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const secondsAfter = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

interface Entry {
  readonly from_status: string | null;
  readonly to_status: string;
  readonly triggered_by: string;
  readonly reason: string;
  readonly metadata: Record<string, unknown>;
}

describe('maximum lifetime and PATCH /v1/containers/{id} through the gateway', () => {
  let stack: LocalStack;
  let repository: DynamoDbContainerRepository;
  let runtime: EcsContainerRuntime;
  let names = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 50 });
    repository = new DynamoDbContainerRepository(stack.dynamoDb, {
      tableName: stack.tableName,
      logRetentionDays: 90,
    });
    runtime = new EcsContainerRuntime(
      createEcsClient({ endpoint: stack.ecs.endpoint, region: 'us-east-1' }),
      {
        cluster: 'default',
        subnets: ['subnet-local'],
        securityGroups: ['sg-local'],
        assignPublicIp: true,
        taskDefinitionFamilyPrefix: 'clc',
      },
    );
  });
  afterAll(async () => {
    await stack.close();
  });

  /** One run of the auto-stop sweep as if it ran at `at`. */
  function sweepAt(at: Date): Promise<AutoStopSummary> {
    return autoStopIdleContainers(
      {
        repository,
        runtime,
        clock: { now: () => at },
        ids: randomIds,
        events: { publish: async () => undefined },
        settings: {
          containerQuota: 50,
          settleAfterSeconds: 300,
          retentionSeconds: 30 * 86_400,
          idleWarningSeconds: 0,
        },
      },
      // The sweep's clock stands still at `at`, so its time never runs out.
      { stopBy: new Date(at.getTime() + 60_000) },
    );
  }

  async function create(body: Record<string, unknown> = {}): Promise<string> {
    names += 1;
    const created = await stack.api('POST', '/v1/containers', {
      body: { name: `life-${names}`, image, ...body },
    });
    expect(created.status).toBe(201);
    return created.body.data.id;
  }

  async function runningContainer(body: Record<string, unknown> = {}): Promise<string> {
    const id = await create(body);
    await stack.waitForStatus(id, 'running');
    return id;
  }

  async function lastEntry(id: string): Promise<Entry> {
    const logs = await stack.api('GET', `/v1/containers/${id}/status-logs?sort_by=created_at&limit=100`);
    return logs.body.data.status_logs[0];
  }

  async function due(id: string, upTo: Date): Promise<string[]> {
    const page = await repository.listDueForAutoStop({
      shard: shardOf(id),
      upTo: upTo.toISOString(),
      limit: 100,
    });
    return page.items.map((item) => item.id);
  }

  describe('max_lifetime_seconds', () => {
    it('stops a running container at started_at + max_lifetime_seconds although it was just used and snoozed', async () => {
      // Prepare
      const id = await runningContainer({ max_lifetime_seconds: 300, idle_timeout_seconds: 3600 });
      await stack.api('POST', `/v1/containers/${id}/activity`);
      await stack.api('POST', `/v1/containers/${id}/snooze`, { body: { seconds: 86_400 } });
      const idle = (await stack.api('GET', `/v1/containers/${id}/idle`)).body.data;
      const end: string = idle.lifetime_ends_at;

      // Act
      await sweepAt(secondsAfter(end, -1));
      const statusBefore = (await stack.api('GET', `/v1/containers/${id}/status`)).body.data.status;
      await sweepAt(secondsAfter(end, 1));

      // Assess
      expect(end).toBe(secondsAfter(idle.run_started_at, 300).toISOString());
      expect(statusBefore).toBe('running');
      await stack.waitForStatus(id, 'stopped');
      const logs = await stack.api('GET', `/v1/containers/${id}/status-logs?sort_by=created_at&limit=100`);
      const stop = logs.body.data.status_logs.find((entry: Entry) => entry.to_status === 'stopping');
      expect(stop).toMatchObject({
        from_status: 'running',
        triggered_by: 'auto-stop',
        reason: expect.stringMatching(/maximum lifetime of 300 s reached/),
        metadata: { max_lifetime_seconds: 300, run_started_at: idle.run_started_at },
      });
    });

    it('caps a snooze at the end of the lifetime, and the idle view says so', async () => {
      // Prepare
      const id = await runningContainer({ max_lifetime_seconds: 600 });

      // Act
      const snoozed = await stack.api('POST', `/v1/containers/${id}/snooze`, { body: { seconds: 7200 } });

      // Assess
      expect(snoozed.status).toBe(200);
      const idle = snoozed.body.data;
      expect(idle).toMatchObject({
        max_lifetime_seconds: 600,
        snooze_capped: true,
        auto_stop_cause: 'max lifetime',
        blocked_by: [],
      });
      expect(idle.snoozed_until).toBe(idle.lifetime_ends_at);
      expect(idle.auto_stop_at).toBe(idle.lifetime_ends_at);
      expect(idle.lifetime_ends_at).toBe(secondsAfter(idle.run_started_at, 600).toISOString());
    });

    it('shows the cap on the container and no lifetime end on the idle view of a container without one', async () => {
      const capped = await create({ max_lifetime_seconds: 2_592_000, start: false });
      const uncapped = await runningContainer();

      const view = await stack.api('GET', `/v1/containers/${capped}`);
      const idle = await stack.api('GET', `/v1/containers/${uncapped}/idle`);

      expect(view.body.data.max_lifetime_seconds).toBe(2_592_000);
      expect(idle.body.data).toMatchObject({
        max_lifetime_seconds: null,
        lifetime_ends_at: null,
        auto_stop_cause: 'idle timeout',
        snooze_capped: false,
      });
    });

    it.each([
      ['too short', 299],
      ['too long', 2_592_001],
      ['not whole', 600.5],
      ['not a number', '600'],
    ])('answers 400 VALIDATION_ERROR for a create whose max_lifetime_seconds is %s', async (_, value) => {
      const response = await stack.api('POST', '/v1/containers', {
        body: { name: 'bad-lifetime', image, max_lifetime_seconds: value },
      });

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      expect(response.body.error.details).toEqual([
        expect.objectContaining({ field: 'body.max_lifetime_seconds' }),
      ]);
    });
  });

  describe('PATCH /v1/containers/{id}', () => {
    it('applies a shorter idle timeout to a running container at once: the next sweep stops it', async () => {
      // Prepare
      const id = await runningContainer({ idle_timeout_seconds: 3600 });
      const before = await stack.api('GET', `/v1/containers/${id}`);

      // Act
      const patched = await stack.api('PATCH', `/v1/containers/${id}`, {
        body: { idle_timeout_seconds: 60 },
      });
      const summary = await sweepAt(secondsAfter(before.body.data.last_used_at, 61));

      // Assess
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({
        id,
        idle_timeout_seconds: 60,
        version: before.body.data.version,
      });
      expect(patched.headers.get('etag')).toBe(`"${before.body.data.version}"`);
      expect(summary.stopped).toBeGreaterThanOrEqual(1);
      await stack.waitForStatus(id, 'stopped');
      const logs = await stack.api('GET', `/v1/containers/${id}/status-logs?sort_by=created_at&limit=100`);
      expect(logs.body.data.status_logs.find((entry: Entry) => entry.to_status === 'stopping')).toMatchObject(
        {
          triggered_by: 'auto-stop',
          reason: expect.stringMatching(/past its idle timeout of 60 s/),
        },
      );
    });

    it('turns auto-stop off with null: the index entry goes, and the sweep neither reads nor stops it', async () => {
      // Prepare
      const id = await runningContainer({ idle_timeout_seconds: 60, max_lifetime_seconds: 300 });
      const farFuture = new Date(Date.now() + 60 * 86_400_000);
      const dueBefore = await due(id, farFuture);

      // Act
      const patched = await stack.api('PATCH', `/v1/containers/${id}`, {
        body: { idle_timeout_seconds: null, max_lifetime_seconds: null },
      });
      const dueAfter = await due(id, farFuture);
      await sweepAt(farFuture);

      // Assess
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ idle_timeout_seconds: null, max_lifetime_seconds: null });
      expect(dueBefore).toContain(id);
      expect(dueAfter).not.toContain(id);
      const idle = await stack.api('GET', `/v1/containers/${id}/idle`);
      expect(idle.body.data).toMatchObject({
        status: 'running',
        auto_stop_at: null,
        lifetime_ends_at: null,
        blocked_by: ['no idle timeout'],
      });
      expect((await lastEntry(id)).to_status).toBe('running');
    });

    it('sets a lifetime on a stopped container; it counts from the next start', async () => {
      // Prepare
      const id = await create({ start: false });

      // Act
      const patched = await stack.api('PATCH', `/v1/containers/${id}`, {
        body: { max_lifetime_seconds: 900 },
      });
      await stack.api('POST', `/v1/containers/${id}/start`);
      await stack.waitForStatus(id, 'running');

      // Assess
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ status: 'stopped', max_lifetime_seconds: 900 });
      const idle = (await stack.api('GET', `/v1/containers/${id}/idle`)).body.data;
      expect(idle.lifetime_ends_at).toBe(secondsAfter(idle.run_started_at, 900).toISOString());
      expect(idle.auto_stop_at).toBe(idle.lifetime_ends_at);
    });

    it('honours If-Match: 412 PRECONDITION_FAILED for a version it moved on from, 200 for its own', async () => {
      // Prepare
      const id = await runningContainer();
      const current = (await stack.api('GET', `/v1/containers/${id}`)).body.data.version;

      // Act
      const stale = await stack.api('PATCH', `/v1/containers/${id}`, {
        body: { idle_timeout_seconds: 120 },
        headers: { 'if-match': '"1"' },
      });
      const fresh = await stack.api('PATCH', `/v1/containers/${id}`, {
        body: { idle_timeout_seconds: 180 },
        headers: { 'if-match': `"${current}"` },
      });

      // Assess
      expect(stale.status).toBe(412);
      expect(stale.body.error).toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { current_version: current },
      });
      expect(fresh.status).toBe(200);
      expect(fresh.body.data.idle_timeout_seconds).toBe(180);
    });

    it("answers 404 CONTAINER_NOT_FOUND for another owner's container and leaves it as it was", async () => {
      const id = await runningContainer();

      const response = await stack.api('PATCH', `/v1/containers/${id}`, {
        as: 'bob',
        body: { idle_timeout_seconds: null },
      });

      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('CONTAINER_NOT_FOUND');
      expect((await repository.getContainer(id))?.idleTimeoutSeconds).toBe(3600);
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
      const response = await stack.api('PATCH', `/v1/containers/${container.id}`, {
        body: { idle_timeout_seconds: 60 },
      });

      // Assess
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('OPERATION_NOT_PERMITTED_ON_EXPIRED');
    });

    it('answers 400 INVALID_ID_FORMAT for a bad id, and refuses a read-only token with 403', async () => {
      const badId = await stack.api('PATCH', '/v1/containers/not-an-id', {
        body: { idle_timeout_seconds: 60 },
      });
      const id = await runningContainer();
      const readOnly = await stack.api('PATCH', `/v1/containers/${id}`, {
        scope: 'containers:read',
        body: { idle_timeout_seconds: 60 },
      });

      expect(badId.status).toBe(400);
      expect(badId.body.error.code).toBe('INVALID_ID_FORMAT');
      expect(readOnly.status).toBe(403);
      expect((await repository.getContainer(id))?.idleTimeoutSeconds).toBe(3600);
    });

    it.each([
      ['empty', {}],
      ['with an idle timeout too short', { idle_timeout_seconds: 59 }],
      ['with an idle timeout too long', { idle_timeout_seconds: 604_801 }],
      ['with a lifetime too short', { max_lifetime_seconds: 299 }],
      ['with a lifetime too long', { max_lifetime_seconds: 2_592_001 }],
      ['with a lifetime not whole', { max_lifetime_seconds: 600.5 }],
      ['with a string for a number', { idle_timeout_seconds: '600' }],
      ['with a field that is not the policy', { idle_timeout_seconds: 600, name: 'renamed' }],
      ['that is an array', [{ idle_timeout_seconds: 600 }]],
      ['that is not JSON', '{"idle_timeout_seconds": '],
    ])('answers 400 VALIDATION_ERROR for a body %s and changes nothing', async (_, body) => {
      // Prepare
      const id = await create({ start: false });
      const before = await repository.getContainer(id);

      // Act
      const response = await stack.api('PATCH', `/v1/containers/${id}`, { body });

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      expect(await repository.getContainer(id)).toEqual(before);
    });
  });

  describe('an operation whose ECS call fails', () => {
    it('names its operation_id in the error, and GET /v1/operations/{id} shows it failed with the reason', async () => {
      // Prepare
      const id = await create({ start: false });
      stack.ecs.faults.inject({ kind: 'insufficientResources', resource: 'MEMORY' });

      // Act
      const response = await stack.api('POST', `/v1/containers/${id}/start`);
      const operationId: string = response.body.error?.details?.operation_id;
      const operation = await stack.api('GET', `/v1/operations/${operationId}`);

      // Assess
      expect(response.status).toBe(503);
      expect(response.body.error).toMatchObject({
        code: 'CAPACITY_UNAVAILABLE',
        details: { container_id: id, operation_id: expect.stringMatching(new RegExp(`^${id}-`)) },
      });
      expect(operation.status).toBe(200);
      expect(operation.body.data).toMatchObject({
        id: operationId,
        operation: 'start',
        status: 'failed',
        reason: expect.stringMatching(/start failed and was undone/),
      });
    });

    it('names the operation_id of a stop whose StopTask failed past the retries (502)', async () => {
      // Prepare
      const id = await runningContainer();
      const fault = stack.ecs.faults.inject({
        operation: 'StopTask',
        kind: 'serverError',
        times: Number.POSITIVE_INFINITY,
      });

      // Act
      const response = await stack.api('POST', `/v1/containers/${id}/stop`);
      fault.clear();
      const operation = await stack.api(
        'GET',
        `/v1/operations/${response.body.error?.details?.operation_id}`,
      );

      // Assess
      expect(response.status).toBe(502);
      expect(response.body.error.code).toBe('EXTERNAL_SERVICE_ERROR');
      expect(operation.body.data).toMatchObject({ operation: 'stop', status: 'failed' });
      expect((await stack.api('GET', `/v1/containers/${id}/status`)).body.data.status).toBe('running');
    });

    it("answers a create whose task could not start 201 with the create's operation_id, which reads failed", async () => {
      // Prepare
      stack.ecs.faults.inject({ kind: 'capacityUnavailable' });

      // Act
      const created = await stack.api('POST', '/v1/containers', { body: { name: 'no-room-op', image } });
      const operation = await stack.api('GET', `/v1/operations/${created.body.data.operation_id}`);

      // Assess
      expect(created.status).toBe(201);
      expect(created.body.data.status).toBe('error');
      expect(operation.body.data).toMatchObject({
        operation: 'create',
        status: 'failed',
        reason: expect.stringMatching(/could not start/),
      });
    });
  });
});
