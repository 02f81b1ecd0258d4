/** The typed client (client/) against the real handlers behind the local gateway. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerApiError, type ContainerLifecycleClient, WaitForStatusError } from '../../client';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/python:3.13';

describe('the typed client against the local stack', () => {
  let stack: LocalStack;
  let api: ContainerLifecycleClient;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 20 });
    api = stack.client('carol');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('lists every container across pages through listAll, following the signed cursors', async () => {
    // Prepare
    const owner = stack.client('dave');
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three', 'four', 'five']) {
      ids.push((await owner.create({ name, image, start: false })).id);
    }

    // Act
    const listed: string[] = [];
    for await (const container of owner.listAll({ per_page: 2 })) listed.push(container.id);
    const firstPage = await owner.list({ per_page: 2 });

    // Assess
    expect(listed).toEqual([...ids].reverse());
    expect(firstPage.pagination).toMatchObject({ has_next_page: true, count: 2, total: 5, per_page: 2 });
    expect(firstPage.quota).toEqual({ limit: 20, used: 5 });
  });

  it('replays a create sent again with the same Idempotency-Key, and refuses the key for another body', async () => {
    const first = await api.create({ name: 'replayed', image, start: false }, { idempotencyKey: 'create-1' });
    const again = await api.create({ name: 'replayed', image, start: false }, { idempotencyKey: 'create-1' });
    const reused = await api
      .create({ name: 'other', image, start: false }, { idempotencyKey: 'create-1' })
      .catch((error: unknown) => error);

    expect(again.id).toBe(first.id);
    expect(reused).toBeInstanceOf(ContainerApiError);
    expect(reused).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((reused as ContainerApiError).requestId).toEqual(expect.any(String));
  });

  it('waits for running by the long poll, then follows a stop to its end by its operation id', async () => {
    // Prepare
    const created = await api.create({ name: 'waited', image });
    const seen: string[] = [];

    // Act
    const running = await api.waitFor(created.id, 'running', {
      timeoutMs: 10_000,
      onProgress: ({ container }) => seen.push(container.status),
    });
    const stop = await api.stop(created.id, { ifMatch: running.version });
    const ended = await api.waitForOperation(stop.operation_id, { timeoutMs: 10_000 });

    // Assess
    expect(running).toMatchObject({ id: created.id, status: 'running', version: 3 });
    expect(seen.every((status) => status === 'starting')).toBe(true);
    expect(stop.transition).toMatchObject({
      from_status: 'running',
      to_status: 'stopping',
      operation: 'stop',
    });
    expect(ended).toMatchObject({ status: 'succeeded', operation: 'stop', target_status: 'stopped' });
  });

  it('throws WaitForStatusError at once when the container is at rest in another status', async () => {
    const created = await api.create({ name: 'at-rest', image, start: false });

    const error = await api
      .waitFor(created.id, 'running', { timeoutMs: 10_000 })
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(WaitForStatusError);
    expect(error).toMatchObject({ reason: 'settled', container: { status: 'stopped' } });
  });

  it('maps the API’s refusals to ContainerApiError with the contract codes', async () => {
    // Prepare
    const mine = await api.create({ name: 'guarded', image, start: false });

    // Act
    const refusals = await Promise.all([
      api.get('not-an-id').catch((error: unknown) => error),
      stack
        .client('mallory')
        .get(mine.id)
        .catch((error: unknown) => error),
      api.pause(mine.id).catch((error: unknown) => error),
      api.start(mine.id, { ifMatch: mine.version - 1 }).catch((error: unknown) => error),
      stack
        .client('carol', 'containers:read')
        .delete(mine.id)
        .catch((error: unknown) => error),
      api.create({ name: 'Not Valid', image }).catch((error: unknown) => error),
    ]);

    // Assess
    expect(refusals).toMatchObject([
      { status: 400, code: 'INVALID_ID_FORMAT' },
      { status: 404, code: 'CONTAINER_NOT_FOUND' },
      { status: 409, code: 'OPERATION_STATE_CONFLICT', details: { status: 'stopped' } },
      { status: 412, code: 'PRECONDITION_FAILED', details: { current_version: mine.version } },
      // The gateway's own refusal, {"message": "Forbidden"}, as API Gateway answers a missing scope.
      { status: 403, code: 'INSUFFICIENT_PERMISSIONS', message: 'Forbidden' },
      { status: 400, code: 'VALIDATION_ERROR' },
    ]);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(ContainerApiError);
  });

  it('reports use, snoozes the auto-stop and explains the idle policy', async () => {
    const created = await api.create({ name: 'idle-one', image, idle_timeout_seconds: 600 });
    await api.waitFor(created.id, 'running', { timeoutMs: 10_000 });

    await api.recordActivity(created.id);
    const snoozed = await api.snooze(created.id, 3600);
    const idle = await api.idle(created.id);

    expect(snoozed.snoozed_until).not.toBeNull();
    expect(idle).toMatchObject({
      container_id: created.id,
      status: 'running',
      idle_timeout_seconds: 600,
      auto_stop_at: snoozed.snoozed_until,
      blocked_by: [],
    });
  });

  it('shows the status summary and the history, page after page through statusLogsAll', async () => {
    const created = await api.create({ name: 'history', image });
    await api.waitFor(created.id, 'running', { timeoutMs: 10_000 });

    const summary = await api.status(created.id);
    const versions: number[] = [];
    for await (const log of api.statusLogsAll(created.id, { sort_order: 'asc', limit: 1 })) {
      versions.push(log.version);
    }

    expect(summary).toMatchObject({ id: created.id, status: 'running', pending_operation: null });
    expect(versions).toEqual([1, 2, 3]);
  });
});
