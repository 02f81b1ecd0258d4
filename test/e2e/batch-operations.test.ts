import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../lib/adapters/dynamodb/dynamodb-container-repository';
import { retryOnConflict } from '../../lib/use-cases/load-container';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const hourMs = 60 * 60_000;

interface BatchItem {
  readonly id: string;
  readonly name: string;
  readonly status_before: string;
  readonly outcome: string;
  readonly operation_id?: string;
  readonly to_status?: string | null;
  readonly reason?: { code: string; message: string };
  readonly error?: { code: string; message: string };
}

describe('POST /v1/containers/batch through the gateway', () => {
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

  /** A container of `owner`'s, running (after ECS said so) unless `start` is false. */
  async function container(owner: string, options: { project?: string; start?: boolean } = {}) {
    names += 1;
    const created = await stack.api('POST', '/v1/containers', {
      as: owner,
      body: {
        name: `batch-${names}`,
        image,
        project_id: options.project ?? 'default',
        start: options.start ?? true,
      },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.data.id;
    await stack.waitForStatus(id, options.start === false ? 'stopped' : 'running', owner);
    return id;
  }

  /** Moves the container's last use an hour back, as if nobody had used it since. */
  async function makeIdle(id: string): Promise<void> {
    const lastUsedAt = new Date(Date.now() - hourMs).toISOString();
    await retryOnConflict(async () => {
      const stored = await repository.getContainer(id);
      if (!stored) throw new Error(`container ${id} vanished`);
      await repository.saveWithoutTransition(stored, { ...stored, lastUsedAt });
    });
  }

  async function snapshot(id: string, owner: string) {
    const found = await stack.api('GET', `/v1/containers/${id}`, { as: owner });
    const logs = await stack.api('GET', `/v1/containers/${id}/status-logs`, { as: owner });
    return {
      status: found.body.data.status,
      version: found.body.data.version,
      logs: logs.body.pagination.total,
    };
  }

  function batch(owner: string, body: unknown, headers?: Record<string, string>) {
    return stack.api('POST', '/v1/containers/batch', { as: owner, body, ...(headers ? { headers } : {}) });
  }

  function byId(results: readonly BatchItem[]): Record<string, BatchItem> {
    return Object.fromEntries(results.map((result) => [result.id, result]));
  }

  it('stops every running container of a project, each through its own transition, and no other', async () => {
    // Prepare
    const owner = 'batch-stopper';
    const alpha = [
      await container(owner, { project: 'alpha' }),
      await container(owner, { project: 'alpha' }),
    ];
    const beta = await container(owner, { project: 'beta' });

    // Act
    const response = await batch(owner, {
      operation: 'stop',
      selector: { status: 'running', project_id: 'alpha' },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      operation: 'stop',
      dry_run: false,
      matched: 2,
      truncated: false,
    });
    const results: BatchItem[] = response.body.data.results;
    expect(results.map((result) => result.id).sort()).toEqual([...alpha].sort());
    for (const result of results) {
      expect(result).toMatchObject({
        status_before: 'running',
        outcome: 'accepted',
        to_status: 'stopping',
        operation_id: expect.stringMatching(new RegExp(`^${result.id}-`)),
      });
      await stack.waitForStatus(result.id, 'stopped', owner);
      const operation = await stack.api('GET', `/v1/operations/${result.operation_id}`, { as: owner });
      expect(operation.body.data).toMatchObject({ operation: 'stop', status: 'succeeded' });
    }
    expect((await snapshot(beta, owner)).status).toBe('running');
  });

  it('changes nothing and calls no ECS API on a dry run, and says what it would do', async () => {
    // Prepare
    const owner = 'batch-dreamer';
    const running = await container(owner, { project: 'dry' });
    const stopped = await container(owner, { project: 'dry', start: false });
    const before = [await snapshot(running, owner), await snapshot(stopped, owner)];
    // Any ECS call would use this fault up: it is still there afterwards only if none was made.
    const tripwire = stack.ecs.faults.inject({ kind: 'error', errorType: 'AccessDeniedException' });

    // Act
    const response = await batch(owner, {
      operation: 'stop',
      selector: { project_id: 'dry' },
      dry_run: true,
    });
    const faultsLeft = stack.ecs.faults.active().map((fault) => fault.id);
    tripwire.clear();

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ dry_run: true, matched: 2, truncated: false });
    const results = byId(response.body.data.results);
    expect(results[running]).toEqual({
      id: running,
      name: expect.any(String),
      status_before: 'running',
      outcome: 'would_apply',
      to_status: 'stopping',
    });
    expect(results[stopped]).toMatchObject({
      status_before: 'stopped',
      outcome: 'would_skip',
      reason: { code: 'OPERATION_STATE_CONFLICT', message: 'Cannot stop a container that is stopped' },
    });
    expect(faultsLeft).toContain(tripwire.id);
    expect([await snapshot(running, owner), await snapshot(stopped, owner)]).toEqual(before);
  });

  it('selects by idle_seconds_gt only the containers whose last use is older, leaving recently used ones', async () => {
    // Prepare
    const owner = 'batch-idler';
    const idle = await container(owner);
    const used = await container(owner);
    const fresh = await container(owner);
    await makeIdle(idle);
    await makeIdle(used);
    expect((await stack.api('POST', `/v1/containers/${used}/activity`, { as: owner })).status).toBe(204);

    // Act
    const response = await batch(owner, { operation: 'stop', selector: { idle_seconds_gt: 1800 } });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.data.results).toEqual([
      expect.objectContaining({ id: idle, outcome: 'accepted', to_status: 'stopping' }),
    ]);
    expect((await snapshot(used, owner)).status).toBe('running');
    expect((await snapshot(fresh, owner)).status).toBe('running');
  });

  it('accepts the containers the operation applies to and skips the others with the state machine reason', async () => {
    // Prepare
    const owner = 'batch-mixer';
    const running = await container(owner, { project: 'mix' });
    const stopped = await container(owner, { project: 'mix', start: false });
    const stoppedBefore = await snapshot(stopped, owner);

    // Act
    const response = await batch(owner, { operation: 'pause', selector: { project_id: 'mix' } });

    // Assess
    expect(response.status).toBe(200);
    const results = byId(response.body.data.results);
    expect(results[running]).toMatchObject({
      status_before: 'running',
      outcome: 'accepted',
      to_status: 'pausing',
    });
    expect(results[stopped]).toEqual({
      id: stopped,
      name: expect.any(String),
      status_before: 'stopped',
      outcome: 'skipped',
      reason: { code: 'OPERATION_STATE_CONFLICT', message: 'Cannot pause a container that is stopped' },
    });
    await stack.waitForStatus(running, 'paused', owner);
    expect(await snapshot(stopped, owner)).toEqual(stoppedBefore);
  });

  it('reports an ECS failure on one container as failed, undone, while the others are accepted', async () => {
    // Prepare
    const owner = 'batch-unlucky';
    const ids = [await container(owner), await container(owner), await container(owner)];
    stack.ecs.faults.inject({ kind: 'error', operation: 'StopTask', errorType: 'AccessDeniedException' });

    // Act
    const response = await batch(owner, { operation: 'stop', selector: { status: 'running' } });

    // Assess
    expect(response.status).toBe(200);
    const results: BatchItem[] = response.body.data.results;
    const failed = results.filter((result) => result.outcome === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        status_before: 'running',
        error: { code: 'EXTERNAL_SERVICE_ERROR', message: expect.any(String) },
      }),
    ]);
    expect(results.filter((result) => result.outcome === 'accepted')).toHaveLength(2);
    const failedId = failed[0]?.id ?? '';
    expect(ids).toContain(failedId);
    expect((await snapshot(failedId, owner)).status).toBe('running');
    const logs = await stack.api('GET', `/v1/containers/${failedId}/status-logs?limit=1`, { as: owner });
    expect(logs.body.data.status_logs[0]).toMatchObject({
      from_status: 'stopping',
      to_status: 'running',
      reason: expect.stringMatching(/^stop failed and was undone/),
    });
  });

  it("never selects another owner's containers, not even for an admin", async () => {
    // Prepare
    const mine = await container('batch-owner', { project: 'shared' });
    const theirs = await container('batch-neighbour', { project: 'shared' });

    // Act
    const asOwner = await batch('batch-owner', { operation: 'stop', selector: { project_id: 'shared' } });
    const asAdmin = await stack.api('POST', '/v1/containers/batch', {
      as: 'batch-admin',
      scope: 'containers:admin',
      body: { operation: 'force-stop', selector: { project_id: 'shared' } },
    });

    // Assess
    expect(asOwner.body.data.results.map((result: BatchItem) => result.id)).toEqual([mine]);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.data).toMatchObject({ matched: 0, results: [], truncated: false });
    expect((await snapshot(theirs, 'batch-neighbour')).status).toBe('running');
  });

  it('deletes the selected containers', async () => {
    // Prepare
    const owner = 'batch-cleaner';
    const ids = [
      await container(owner, { project: 'trash' }),
      await container(owner, { project: 'trash', start: false }),
    ];
    const kept = await container(owner, { project: 'keep', start: false });

    // Act
    const response = await batch(owner, { operation: 'delete', selector: { project_id: 'trash' } });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.data.results.map((result: BatchItem) => [result.outcome, result.to_status])).toEqual(
      [
        ['accepted', null],
        ['accepted', null],
      ],
    );
    for (const id of ids) {
      expect((await stack.api('GET', `/v1/containers/${id}`, { as: owner })).status).toBe(404);
    }
    expect((await stack.api('GET', `/v1/containers/${kept}`, { as: owner })).status).toBe(200);
  });

  it('works on at most limit containers and says the result is truncated', async () => {
    // Prepare
    const owner = 'batch-limited';
    for (let index = 0; index < 3; index += 1) await container(owner);

    // Act
    const first = await batch(owner, { operation: 'stop', selector: { status: 'running' }, limit: 2 });
    const second = await batch(owner, { operation: 'stop', selector: { status: 'running' }, limit: 2 });

    // Assess
    expect(first.body.data).toMatchObject({ matched: 2, truncated: true });
    expect(first.body.data.results.map((result: BatchItem) => result.outcome)).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(second.body.data).toMatchObject({ matched: 1, truncated: false });
  });

  it('answers a repeated Idempotency-Key with the first answer, without acting twice', async () => {
    // Prepare
    const owner = 'batch-repeater';
    const id = await container(owner);
    const body = { operation: 'restart', selector: { status: 'running' } };
    const headers = { 'idempotency-key': 'restart-everything-once' };

    // Act
    const first = await batch(owner, body, headers);
    const second = await batch(owner, body, headers);
    const reused = await batch(owner, { ...body, dry_run: true }, headers);

    // Assess
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const logs = await stack.api('GET', `/v1/containers/${id}/status-logs?limit=100`, { as: owner });
    const restarts = logs.body.data.status_logs.filter(
      (log: { operation: string; triggered_by: string }) =>
        log.operation === 'restart' && log.triggered_by === 'user',
    );
    expect(restarts).toHaveLength(1);
  });

  it.each([
    ['an empty selector', { operation: 'stop', selector: {} }, 'body.selector'],
    ['no selector', { operation: 'stop' }, 'body.selector'],
    ['an unknown operation', { operation: 'explode', selector: { status: 'running' } }, 'body.operation'],
    ['an unknown status', { operation: 'stop', selector: { status: 'asleep' } }, 'body.selector.status'],
    [
      'a selector field that does not exist',
      { operation: 'stop', selector: { owner_id: 'x' } },
      'body.selector',
    ],
    [
      'idle seconds as a string',
      { operation: 'stop', selector: { idle_seconds_gt: '60' } },
      'body.selector.idle_seconds_gt',
    ],
    [
      'negative idle seconds',
      { operation: 'stop', selector: { idle_seconds_gt: -1 } },
      'body.selector.idle_seconds_gt',
    ],
    [
      'dry_run as a string',
      { operation: 'stop', selector: { status: 'running' }, dry_run: 'yes' },
      'body.dry_run',
    ],
    ['a limit of 0', { operation: 'stop', selector: { status: 'running' }, limit: 0 }, 'body.limit'],
    ['a limit of 101', { operation: 'stop', selector: { status: 'running' }, limit: 101 }, 'body.limit'],
    ['a fractional limit', { operation: 'stop', selector: { status: 'running' }, limit: 1.5 }, 'body.limit'],
    ['an unknown field', { operation: 'stop', selector: { status: 'running' }, force: true }, 'body'],
    ['a body that is not JSON', 'stop everything', 'body'],
    ['a body that is an array', [{ operation: 'stop' }], 'body'],
  ])('refuses %s with 400 VALIDATION_ERROR, changing nothing', async (_, body, field) => {
    // Prepare
    const owner = 'batch-careful';
    const id =
      (await stack.api('GET', '/v1/containers?status=running', { as: owner })).body.data.containers[0]?.id ??
      (await container(owner));
    const before = await snapshot(id, owner);

    // Act
    const response = await batch(owner, body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field);
    expect(await snapshot(id, owner)).toEqual(before);
  });

  it('refuses If-Match with 400 VALIDATION_ERROR: one version cannot name many containers', async () => {
    // Act
    const response = await batch(
      'batch-conditional',
      { operation: 'stop', selector: { status: 'running' } },
      { 'if-match': '"3"' },
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'headers.if-match', message: expect.any(String) }]);
  });

  it('refuses a read-only token with 403 at the gateway', async () => {
    // Act
    const response = await stack.api('POST', '/v1/containers/batch', {
      as: 'batch-reader',
      scope: 'containers:read',
      body: { operation: 'stop', selector: { status: 'running' } },
    });

    // Assess
    expect(response.status).toBe(403);
  });
});
