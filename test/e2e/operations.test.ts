import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';

// Tasks take 1.5 s to reach RUNNING, so that a start is visibly pending and a long poll has
// something to wait for; stops stay quick.
describe('operations you can wait on', () => {
  let stack: LocalStack;
  let counter = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 50, emulator: { startMs: 1500 } });
  });
  afterEach(async () => {
    stack.ecs.faults.clear();
    if (stack.ecs.events.heldCount > 0) await stack.ecs.events.resume();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function create(start: boolean): Promise<ApiResponse> {
    counter += 1;
    const created = await stack.api('POST', '/v1/containers', {
      body: { name: `op-${counter}`, image, start },
    });
    expect(created.status).toBe(201);
    return created;
  }

  async function running(): Promise<string> {
    const created = await create(true);
    await stack.waitForStatus(created.body.data.id, 'running');
    return created.body.data.id;
  }

  const operation = (id: string, query = '', as = 'alice') =>
    stack.api('GET', `/v1/operations/${id}${query}`, { as });

  const operate = (id: string, name: string, headers: Record<string, string> = {}) =>
    stack.api('POST', `/v1/containers/${id}/${name}`, { headers });

  async function history(id: string) {
    const logs = await stack.api('GET', `/v1/containers/${id}/status-logs?sort_order=asc&limit=100`);
    return logs.body.data.status_logs as Array<{ id: string; from_status: string | null; to_status: string }>;
  }

  describe('operation ids', () => {
    it('answers a create with the operation_id of its start, which a wait of 3 s sees succeed without the client polling', async () => {
      // Prepare
      const created = await create(true);
      const operationId = created.body.data.operation_id;

      // Act
      const started = Date.now();
      const waited = await operation(operationId, '?wait=3');
      const elapsedMs = Date.now() - started;

      // Assess
      expect(operationId).toEqual(expect.any(String));
      expect(waited.status).toBe(200);
      expect(waited.headers.get('retry-after')).toBeNull();
      expect(waited.body.data).toEqual({
        id: operationId,
        container_id: created.body.data.id,
        operation: 'create',
        status: 'succeeded',
        from_status: 'creating',
        to_status: 'starting',
        target_status: 'running',
        requested_at: expect.any(String),
        completed_at: expect.any(String),
        reason: null,
      });
      expect(elapsedMs).toBeLessThan(3000);
      expect((await history(created.body.data.id))[1]?.id).toBe(operationId);
    });

    it('answers every accepted operation with its operation_id: the transition id, and Location pointing at it', async () => {
      // Prepare
      const id = await running();

      // Act
      const response = await operate(id, 'pause');

      // Assess
      expect(response.status).toBe(202);
      expect(response.body.data.operation_id).toBe(response.body.data.transition.id);
      expect(response.headers.get('location')).toBe(`/v1/operations/${response.body.data.operation_id}`);
    });

    it('gives a container created without starting a create operation that succeeded at once', async () => {
      // Prepare
      const created = await create(false);

      // Act
      const response = await operation(created.body.data.operation_id);

      // Assess
      expect(response.body.data).toMatchObject({
        operation: 'create',
        status: 'succeeded',
        to_status: 'stopped',
        target_status: 'stopped',
      });
    });
  });

  describe('pending until the task reports, then succeeded', () => {
    let id: string;

    beforeAll(async () => {
      id = await running();
    });

    it.each([
      ['pause', 'pausing', 'paused'],
      ['resume', 'resuming', 'running'],
      ['restart', 'restarting', 'running'],
      ['stop', 'stopping', 'stopped'],
      ['start', 'starting', 'running'],
    ])('follows %s from pending (%s) to succeeded (%s)', async (name, transitional, target) => {
      // Prepare: hold ECS's events, so that the operation stays pending until they are let through
      stack.ecs.events.pause();
      const accepted = await operate(id, name);
      expect(accepted.status).toBe(202);
      const operationId = accepted.body.data.operation_id;

      // Act
      const pending = await operation(operationId);
      await stack.ecs.events.resume();
      const settled = await operation(operationId, '?wait=10');

      // Assess
      expect(pending.status).toBe(200);
      expect(pending.headers.get('retry-after')).toBe('1');
      expect(pending.body.data).toMatchObject({
        operation: name,
        status: 'pending',
        to_status: transitional,
        target_status: target,
        completed_at: null,
        reason: null,
      });
      expect(settled.headers.get('retry-after')).toBeNull();
      expect(settled.body.data).toMatchObject({ status: 'succeeded', reason: null });
      expect(Date.parse(settled.body.data.completed_at)).toBeGreaterThanOrEqual(
        Date.parse(settled.body.data.requested_at),
      );
    });

    it('shows a force-stop succeeded at once', async () => {
      // Act
      const accepted = await operate(id, 'force-stop');
      const response = await operation(accepted.body.data.operation_id);

      // Assess
      expect(response.body.data).toMatchObject({
        operation: 'force-stop',
        status: 'succeeded',
        to_status: 'stopped',
        completed_at: response.body.data.requested_at,
      });
    });
  });

  describe('failed, with the reason', () => {
    it('when ECS had no capacity and the start was undone', async () => {
      // Prepare
      const created = await create(false);
      const id = created.body.data.id;
      stack.ecs.faults.inject({ kind: 'capacityUnavailable' });

      // Act
      const refused = await operate(id, 'start');
      const startEntry = (await history(id)).find((entry) => entry.to_status === 'starting');
      const response = await operation(startEntry?.id ?? 'missing');

      // Assess
      expect(refused.status).toBe(503);
      expect(response.body.data).toMatchObject({
        operation: 'start',
        status: 'failed',
        reason: expect.stringMatching(/^start failed and was undone: /),
        completed_at: expect.any(String),
      });
    });

    it('when the task fails to start and the container goes to error', async () => {
      // Prepare
      const created = await create(false);
      stack.ecs.faults.inject({ kind: 'failToStart', reason: 'CannotPullContainerError: no such image' });

      // Act
      const accepted = await operate(created.body.data.id, 'start');
      const response = await operation(accepted.body.data.operation_id, '?wait=10');

      // Assess
      expect(accepted.status).toBe(202);
      expect(response.body.data).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/failed to start.*CannotPullContainerError/),
      });
    });

    it('when another operation took over before it settled, and says which', async () => {
      // Prepare
      const created = await create(false);
      const id = created.body.data.id;
      stack.ecs.events.pause();
      const start = await operate(id, 'start');

      // Act
      const forceStop = await operate(id, 'force-stop');
      const response = await operation(start.body.data.operation_id);

      // Assess
      expect(response.body.data).toMatchObject({
        status: 'failed',
        reason: `superseded by force-stop (operation ${forceStop.body.data.operation_id}) before it settled`,
      });
    });

    it('when the container was deleted before the operation settled', async () => {
      // Prepare
      const created = await create(false);
      const id = created.body.data.id;
      stack.ecs.events.pause();
      const start = await operate(id, 'start');

      // Act
      const deleted = await stack.api('DELETE', `/v1/containers/${id}`);
      const response = await operation(start.body.data.operation_id);

      // Assess
      expect(deleted.status).toBe(202);
      expect(response.body.data).toMatchObject({
        status: 'failed',
        completed_at: null,
        reason: 'the container was deleted before the operation settled',
      });
    });
  });

  describe('long polls', () => {
    it('answers pending with Retry-After when the wait runs out first', async () => {
      // Prepare
      const created = await create(false);
      stack.ecs.events.pause();
      const start = await operate(created.body.data.id, 'start');

      // Act
      const started = Date.now();
      const response = await operation(start.body.data.operation_id, '?wait=1');
      const elapsedMs = Date.now() - started;

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body.data.status).toBe('pending');
      expect(elapsedMs).toBeGreaterThanOrEqual(950);
      expect(elapsedMs).toBeLessThan(5000);
    });

    it('answers a container once it reaches the status in wait_for', async () => {
      // Prepare
      const created = await create(false);
      const id = created.body.data.id;
      await operate(id, 'start');

      // Act
      const response = await stack.api('GET', `/v1/containers/${id}?wait_for=running&timeout=10`);

      // Assess
      expect(response.status).toBe(200);
      expect(response.body.data.status).toBe('running');
      expect(response.headers.get('retry-after')).toBeNull();
      expect(response.headers.get('etag')).toBe(`"${response.body.data.version}"`);
    });

    it('answers the container as it is, with Retry-After, when it is still on its way at the timeout', async () => {
      // Prepare
      const created = await create(false);
      const id = created.body.data.id;
      stack.ecs.events.pause();
      await operate(id, 'start');

      // Act
      const response = await stack.api('GET', `/v1/containers/${id}?wait_for=running&timeout=1`);

      // Assess
      expect(response.status).toBe(200);
      expect(response.body.data.status).toBe('starting');
      expect(response.headers.get('retry-after')).toBe('1');
    });

    it('answers at once, without Retry-After, when the container has settled in another status', async () => {
      // Prepare
      const created = await create(false);

      // Act
      const started = Date.now();
      const response = await stack.api('GET', `/v1/containers/${created.body.data.id}?wait_for=running`);

      // Assess
      expect(response.body.data.status).toBe('stopped');
      expect(response.headers.get('retry-after')).toBeNull();
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });

  describe('refused', () => {
    it("answers another owner's operation 404 OPERATION_NOT_FOUND, as if it did not exist", async () => {
      // Prepare
      const created = await create(false);

      // Act
      const response = await operation(created.body.data.operation_id, '', 'mallory');

      // Assess
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('OPERATION_NOT_FOUND');
    });

    it('answers an id that names no operation 404: an ECS-reported step, or one never stored', async () => {
      // Prepare
      const id = await running();
      const ecsEntry = (await history(id)).find((entry) => entry.to_status === 'running');

      // Act
      const reported = await operation(ecsEntry?.id ?? 'missing');
      const neverStored = await operation(`${id}-2-00000000`);
      const noContainer = await operation('0123456789abcdef01234567-2-00000000');

      // Assess
      expect([reported.status, neverStored.status, noContainer.status]).toEqual([404, 404, 404]);
      expect(reported.body.error.code).toBe('OPERATION_NOT_FOUND');
    });

    it.each([
      'not-an-operation',
      '0123456789abcdef01234567',
      '0123456789ABCDEF01234567-2-00000000',
      '0123456789abcdef01234567-0-00000000',
      '0123456789abcdef01234567-2-0000000',
    ])('answers the malformed id %j 400 INVALID_ID_FORMAT before any read', async (malformed) => {
      // Act
      const response = await operation(malformed);

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'INVALID_ID_FORMAT',
        message: 'Operation id must be an operation_id this API returned',
      });
    });

    it.each([
      ['/v1/operations/0123456789abcdef01234567-2-00000000?wait=26', 'query.wait'],
      ['/v1/operations/0123456789abcdef01234567-2-00000000?wait=1.5', 'query.wait'],
      ['/v1/operations/0123456789abcdef01234567-2-00000000?wait=soon', 'query.wait'],
      ['/v1/operations/0123456789abcdef01234567-2-00000000?until=1', 'query'],
      ['/v1/containers/0123456789abcdef01234567?wait_for=running&timeout=26', 'query.timeout'],
      ['/v1/containers/0123456789abcdef01234567?wait_for=up', 'query.wait_for'],
      ['/v1/containers/0123456789abcdef01234567?timeout=5', 'query.timeout'],
    ])('answers %s 400 VALIDATION_ERROR naming %s', async (path, field) => {
      // Act
      const response = await stack.api('GET', path);

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      expect(response.body.error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });
  });

  describe('If-Match', () => {
    it('refuses an operation with 412 PRECONDITION_FAILED when the container moved on, and changes nothing', async () => {
      // Prepare
      const created = await create(false);
      const id = created.body.data.id;
      const stale = created.body.data.version - 1;
      const before = await history(id);

      // Act
      const response = await operate(id, 'start', { 'if-match': `"${stale}"` });
      const after = await stack.api('GET', `/v1/containers/${id}`);

      // Assess
      expect(response.status).toBe(412);
      expect(response.body.error).toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { current_version: created.body.data.version },
      });
      expect(after.body.data).toMatchObject({ status: 'stopped', version: created.body.data.version });
      expect(await history(id)).toEqual(before);
    });

    it.each([
      ['the ETag as sent', (etag: string) => etag],
      ['a weak ETag', (etag: string) => `W/${etag}`],
      ['the bare version', (etag: string) => etag.replaceAll('"', '')],
      ['*', () => '*'],
    ])('accepts an operation whose If-Match is %s', async (_, ifMatch) => {
      // Prepare
      const created = await create(false);
      const etag = created.headers.get('etag') ?? '';

      // Act
      const response = await operate(created.body.data.id, 'start', { 'if-match': ifMatch(etag) });

      // Assess
      expect(response.status).toBe(202);
      expect(response.body.data.transition.from_status).toBe('stopped');
    });

    it('refuses a delete with a stale If-Match, and keeps the container', async () => {
      // Prepare
      const created = await create(false);
      const id = created.body.data.id;

      // Act
      const response = await stack.api('DELETE', `/v1/containers/${id}`, { headers: { 'if-match': '"1"' } });
      const after = await stack.api('GET', `/v1/containers/${id}`);

      // Assess
      expect(response.status).toBe(412);
      expect(response.body.error.details).toEqual({ current_version: created.body.data.version });
      expect(after.status).toBe(200);
    });

    it('refuses an activity report with a stale If-Match, and accepts one with the current version', async () => {
      // Prepare
      const created = await create(false);
      const id = created.body.data.id;
      const version = created.body.data.version;

      // Act
      const stale = await stack.api('POST', `/v1/containers/${id}/activity`, {
        headers: { 'if-match': `"${version + 1}"` },
      });
      const current = await stack.api('POST', `/v1/containers/${id}/activity`, {
        headers: { 'if-match': `"${version}"` },
      });

      // Assess
      expect(stale.status).toBe(412);
      expect(current.status).toBe(204);
    });

    it('refuses a malformed If-Match with 400 VALIDATION_ERROR', async () => {
      // Prepare
      const created = await create(false);

      // Act
      const response = await operate(created.body.data.id, 'start', { 'if-match': '"2", "3"' });

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'headers.if-match' })]);
    });
  });
});
