import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyProblems } from '../support/history';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';

interface Entry {
  readonly from_status: string | null;
  readonly to_status: string;
  readonly triggered_by: string;
  readonly reason: string;
  readonly metadata: Record<string, unknown>;
}

describe('ECS failures leave every container consistent with its log', () => {
  let stack: LocalStack;
  let counter = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 50 });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function create(start: boolean): Promise<string> {
    counter += 1;
    const created = await stack.api('POST', '/v1/containers', {
      body: { name: `faulty-${counter}`, image, start },
    });
    expect(created.status).toBe(201);
    return created.body.data.id;
  }

  async function history(id: string): Promise<Entry[]> {
    const logs = await stack.api(
      'GET',
      `/v1/containers/${id}/status-logs?sort_by=created_at&sort_order=asc&limit=100`,
    );
    expect(historyProblems(logs.body.data.status_logs)).toEqual([]);
    return logs.body.data.status_logs;
  }

  it('creates the container in error, with the reason and Retry-After, when ECS cannot place its task', async () => {
    // Prepare
    stack.ecs.faults.inject({ kind: 'capacityUnavailable' });
    const headers = { 'idempotency-key': 'create-no-room' };

    // Act
    const response = await stack.api('POST', '/v1/containers', { body: { name: 'no-room', image }, headers });
    const retried = await stack.api('POST', '/v1/containers', { body: { name: 'no-room', image }, headers });
    const list = await stack.api('GET', '/v1/containers?status=error');

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.body.data).toMatchObject({
      status: 'error',
      status_reason: expect.stringMatching(/could not start/),
    });
    const id = response.body.data.id;
    expect(retried.body.data.id).toBe(id);
    expect(list.body.data.containers.map((container: { id: string }) => container.id)).toEqual([id]);
    const entries = await history(id);
    expect(entries.at(-1)).toMatchObject({ from_status: 'starting', to_status: 'error' });
    expect(entries.at(-1)?.metadata).toMatchObject({ error_code: 'CAPACITY_UNAVAILABLE' });
  });

  it('undoes a start that ECS refused for capacity: the container is stopped again and the log says why', async () => {
    // Prepare
    const id = await create(false);
    stack.ecs.faults.inject({ kind: 'insufficientResources', resource: 'MEMORY' });

    // Act
    const response = await stack.api('POST', `/v1/containers/${id}/start`);
    const status = await stack.api('GET', `/v1/containers/${id}/status`);

    // Assess
    expect(response.status).toBe(503);
    expect(response.body.error.details.reason).toMatch(/RESOURCE:MEMORY/);
    expect(status.body.data.status).toBe('stopped');
    const entries = await history(id);
    expect(entries.slice(-2).map((entry) => [entry.from_status, entry.to_status])).toEqual([
      ['stopped', 'starting'],
      ['starting', 'stopped'],
    ]);
    expect(entries.at(-1)?.reason).toMatch(/start failed and was undone/);
    expect(entries.at(-1)?.metadata).toMatchObject({ error_code: 'CAPACITY_UNAVAILABLE' });
  });

  it('answers 502 EXTERNAL_SERVICE_ERROR when ECS throttles past the retries, and starts no task', async () => {
    // Prepare
    const id = await create(false);
    const fault = stack.ecs.faults.inject({ operation: 'RunTask', kind: 'throttle', times: 3 });

    // Act
    const response = await stack.api('POST', `/v1/containers/${id}/start`);
    fault.clear();
    const status = await stack.api('GET', `/v1/containers/${id}/status`);

    // Assess
    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('EXTERNAL_SERVICE_ERROR');
    expect(status.body.data.status).toBe('stopped');
    await history(id);
  });

  it('keeps a container running when StopTask fails with 500s: the stop is undone', async () => {
    // Prepare
    const id = await create(true);
    await stack.waitForStatus(id, 'running');
    const fault = stack.ecs.faults.inject({
      operation: 'StopTask',
      kind: 'serverError',
      times: Number.POSITIVE_INFINITY,
    });

    // Act
    const response = await stack.api('POST', `/v1/containers/${id}/stop`);
    fault.clear();
    const status = await stack.api('GET', `/v1/containers/${id}/status`);

    // Assess
    expect(response.status).toBe(502);
    expect(status.body.data).toMatchObject({ status: 'running', task: { last_status: 'RUNNING' } });
    expect((await history(id)).at(-1)).toMatchObject({ from_status: 'stopping', to_status: 'running' });
  });

  it('marks a container whose task dies with a non-zero exit code as error, with the reason', async () => {
    // Prepare
    const id = await create(true);
    const running = await stack.waitForStatus(id, 'running');

    // Act
    stack.ecs.crashTask(running.body.data.task.arn, {
      exitCode: 137,
      reason: 'OutOfMemoryError: container killed',
    });
    const failed = await stack.waitForStatus(id, 'error');

    // Assess
    expect(failed.body.data.status_reason).toMatch(
      /exited on its own.*EssentialContainerExited.*exit code 137/,
    );
    expect(failed.body.data.task).toMatchObject({
      last_status: 'STOPPED',
      stop_code: 'EssentialContainerExited',
    });
    expect((await history(id)).at(-1)).toMatchObject({
      from_status: 'running',
      to_status: 'error',
      triggered_by: 'ecs',
    });
  });

  it('marks a container whose task exits cleanly as stopped', async () => {
    const id = await create(true);
    const running = await stack.waitForStatus(id, 'running');

    stack.ecs.crashTask(running.body.data.task.arn, { exitCode: 0 });
    const stopped = await stack.waitForStatus(id, 'stopped');

    expect(stopped.body.data.status_reason).toMatch(/exit code 0/);
  });

  it('marks a container whose task fails to start as error', async () => {
    stack.ecs.faults.inject({ kind: 'failToStart', reason: 'CannotPullContainerError: image not found' });

    const id = await create(true);
    const failed = await stack.waitForStatus(id, 'error');

    expect(failed.body.data.status_reason).toMatch(/failed to start.*CannotPullContainerError/);
    expect((await history(id)).at(-1)).toMatchObject({ from_status: 'starting', to_status: 'error' });
  });

  it('records each transition once when ECS events arrive twice and out of order', async () => {
    // Prepare
    stack.ecs.events.configure({ duplicate: true, reorder: true, seed: 7 });

    // Act
    const id = await create(true);
    await stack.waitForStatus(id, 'running');
    await stack.api('POST', `/v1/containers/${id}/stop`);
    await stack.waitForStatus(id, 'stopped');
    await stack.ecs.events.idle();
    await stack.bus.drain();
    stack.ecs.events.reset();

    // Assess
    const entries = await history(id);
    expect(entries.map((entry) => [entry.from_status, entry.to_status])).toEqual([
      [null, 'creating'],
      ['creating', 'starting'],
      ['starting', 'running'],
      ['running', 'stopping'],
      ['stopping', 'stopped'],
    ]);
  });

  it('ends a restart in error when the new task fails to start, instead of relaunching it forever', async () => {
    // Prepare
    const id = await create(true);
    await stack.waitForStatus(id, 'running');
    stack.ecs.faults.inject({ kind: 'failToStart', reason: 'CannotPullContainerError: pull access denied' });

    // Act
    await stack.api('POST', `/v1/containers/${id}/restart`);
    const failed = await stack.waitForStatus(id, 'error');

    // Assess
    expect(failed.body.data.status_reason).toMatch(/restarted task stopped.*CannotPullContainerError/);
    expect((await history(id)).slice(-2).map((entry) => [entry.from_status, entry.to_status])).toEqual([
      ['running', 'restarting'],
      ['restarting', 'error'],
    ]);
  });

  it('stops the task of a stop that raced its RunTask, so no task runs for a stopped container', async () => {
    // Prepare: RunTask answers slowly, so the stop is written before the task's ARN is known.
    const id = await create(false);
    stack.ecs.faults.inject({ operation: 'RunTask', kind: 'delay', delayMs: 400 });

    // Act
    const starting = stack.api('POST', `/v1/containers/${id}/start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stop = await stack.api('POST', `/v1/containers/${id}/stop`);
    await starting;
    await stack.waitForStatus(id, 'stopped');

    // Assess
    expect(stop.status).toBe(202);
    const { ListTasksCommand, ECSClient } = await import('@aws-sdk/client-ecs');
    const ecs = new ECSClient(stack.ecs.clientConfig);
    const running = await ecs.send(
      new ListTasksCommand({ cluster: 'default', startedBy: id, desiredStatus: 'RUNNING' }),
    );
    ecs.destroy();
    expect(running.taskArns).toEqual([]);
  });
});
