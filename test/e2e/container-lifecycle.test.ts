import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/python:3.13';

describe('a container driven through its whole life over HTTP', () => {
  let stack: LocalStack;
  let id: string;

  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('creates a container that goes starting → running, with its task address', async () => {
    // Act
    const created = await stack.api('POST', '/v1/containers', { body: { name: 'dev-box', image } });
    id = created.body.data.id;
    const running = await stack.waitForStatus(id, 'running');
    const container = await stack.api('GET', `/v1/containers/${id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      name: 'dev-box',
      image,
      status: 'starting',
      version: 2,
      owner_id: 'alice',
    });
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(running.body.data).toMatchObject({
      version: 3,
      allowed_operations: ['stop', 'force-stop', 'restart', 'pause'],
    });
    expect(running.body.data.task).toMatchObject({ last_status: 'RUNNING', desired_status: 'RUNNING' });
    expect(container.body.data.ip_address).toMatch(/^10\./);
    expect(container.headers.get('etag')).toBe('"3"');
  });

  it.each([
    ['pause', 'pausing', 'paused'],
    ['resume', 'resuming', 'running'],
    ['restart', 'restarting', 'running'],
    ['stop', 'stopping', 'stopped'],
    ['start', 'starting', 'running'],
  ])('%s is accepted as %s and ends %s when ECS reports the task', async (operation, accepted, settled) => {
    // Prepare
    const before = await stack.api('GET', `/v1/containers/${id}`);

    // Act
    const response = await stack.api('POST', `/v1/containers/${id}/${operation}`);
    await stack.waitForStatus(id, settled);

    // Assess
    expect(response.status).toBe(202);
    expect(response.body.message).toBe(`Container ${operation} accepted`);
    expect(response.body.data.transition).toMatchObject({
      from_status: before.body.data.status,
      to_status: accepted,
      operation,
    });
    expect(response.body.data.container.version).toBe(before.body.data.version + 1);
  });

  it('force-stop goes to stopped at once', async () => {
    const response = await stack.api('POST', `/v1/containers/${id}/force-stop`);

    expect(response.status).toBe(202);
    expect(response.body.data.container.status).toBe('stopped');
    expect(response.body.data.transition).toMatchObject({ from_status: 'running', to_status: 'stopped' });
  });

  it('records every transition once, in order, as a valid path through the status model', async () => {
    // Act
    const logs = await stack.api(
      'GET',
      `/v1/containers/${id}/status-logs?sort_by=created_at&sort_order=asc&limit=100`,
    );
    const path = logs.body.data.status_logs.map((log: { from_status: string | null; to_status: string }) => [
      log.from_status,
      log.to_status,
    ]);

    // Assess
    expect(path).toEqual([
      [null, 'creating'],
      ['creating', 'starting'],
      ['starting', 'running'],
      ['running', 'pausing'],
      ['pausing', 'paused'],
      ['paused', 'resuming'],
      ['resuming', 'running'],
      ['running', 'restarting'],
      ['restarting', 'running'],
      ['running', 'stopping'],
      ['stopping', 'stopped'],
      ['stopped', 'starting'],
      ['starting', 'running'],
      ['running', 'stopped'],
    ]);
    expect(logs.body.data.status_logs.map((log: { version: number }) => log.version)).toEqual(
      Array.from({ length: 14 }, (_, index) => index + 1),
    );
    expect(logs.body.pagination).toMatchObject({
      total: 14,
      page: 1,
      total_pages: 1,
      has_next_page: false,
      cursor: null,
    });
    const ecsEntries = logs.body.data.status_logs.filter(
      (log: { triggered_by: string }) => log.triggered_by === 'ecs',
    );
    expect(ecsEntries).toHaveLength(6);
  });

  it.each(['transition_time', 'created_at', 'to_status', 'from_status'])(
    'sorts the history by %s both ways',
    async (sortBy) => {
      const ascending = await stack.api(
        'GET',
        `/v1/containers/${id}/status-logs?sort_by=${sortBy}&sort_order=asc&limit=100`,
      );
      const descending = await stack.api(
        'GET',
        `/v1/containers/${id}/status-logs?sort_by=${sortBy}&sort_order=desc&limit=100`,
      );

      const keys = ascending.body.data.status_logs.map((log: Record<string, unknown>) =>
        String(log[sortBy] ?? ''),
      );
      expect(keys).toEqual([...keys].sort());
      expect(descending.body.data.status_logs.map((log: { id: string }) => log.id)).toEqual(
        ascending.body.data.status_logs.map((log: { id: string }) => log.id).reverse(),
      );
    },
  );

  it('deletes the container: it is gone from reads and lists', async () => {
    const deleted = await stack.api('DELETE', `/v1/containers/${id}`);
    const read = await stack.api('GET', `/v1/containers/${id}`);
    const list = await stack.api('GET', '/v1/containers');

    expect(deleted.status).toBe(202);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('CONTAINER_NOT_FOUND');
    expect(list.body.data.containers).toEqual([]);
    expect(list.body.quota).toEqual({ limit: 5, used: 0 });
  });
});
