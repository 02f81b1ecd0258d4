import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerApiError, type ContainerLifecycleClient, type StatusLog } from '../../client';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/python:3.13';

/** Driven through the typed client (client/), as a user of the API would drive it. */
describe('a container driven through its whole life over HTTP', () => {
  let stack: LocalStack;
  let api: ContainerLifecycleClient;
  let id: string;

  beforeAll(async () => {
    stack = await startLocalStack();
    api = stack.client('alice');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('creates a container that goes starting → running, with its task address', async () => {
    // Act
    const created = await api.create({ name: 'dev-box', image });
    id = created.id;
    const container = await api.waitFor(id, 'running', { timeoutMs: 10_000 });
    const summary = await api.status(id);

    // Assess
    expect(created).toMatchObject({
      name: 'dev-box',
      image,
      status: 'starting',
      version: 2,
      owner_id: 'alice',
    });
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(summary).toMatchObject({
      version: 3,
      allowed_operations: ['stop', 'force-stop', 'restart', 'pause'],
    });
    expect(summary.task).toMatchObject({ last_status: 'RUNNING', desired_status: 'RUNNING' });
    expect(container.ip_address).toMatch(/^10\./);
    expect(container.version).toBe(3);
  });

  it.each([
    ['pause', 'pausing', 'paused'],
    ['resume', 'resuming', 'running'],
    ['restart', 'restarting', 'running'],
    ['stop', 'stopping', 'stopped'],
    ['start', 'starting', 'running'],
  ] as const)(
    '%s is accepted as %s and ends %s when ECS reports the task',
    async (operation, accepted, settled) => {
      // Prepare
      const before = await api.get(id);

      // Act
      const response = await api.operate(id, operation);
      const done = await api.waitForOperation(response.operation_id, { timeoutMs: 10_000 });
      const after = await api.get(id);

      // Assess
      expect(response.transition).toMatchObject({
        from_status: before.status,
        to_status: accepted,
        operation,
      });
      expect(response.container.version).toBe(before.version + 1);
      expect(done).toMatchObject({ status: 'succeeded', target_status: settled });
      expect(after.status).toBe(settled);
    },
  );

  it('force-stop goes to stopped at once', async () => {
    const accepted = await api.forceStop(id);

    expect(accepted.container.status).toBe('stopped');
    expect(accepted.transition).toMatchObject({ from_status: 'running', to_status: 'stopped' });
  });

  it('records every transition once, in order, as a valid path through the status model', async () => {
    // Act
    const logs = await api.statusLogs(id, { sort_by: 'created_at', sort_order: 'asc', limit: 100 });
    const path = logs.status_logs.map((log) => [log.from_status, log.to_status]);

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
    expect(logs.status_logs.map((log) => log.version)).toEqual(
      Array.from({ length: 14 }, (_, index) => index + 1),
    );
    expect(logs.pagination).toMatchObject({
      total: 14,
      page: 1,
      total_pages: 1,
      has_next_page: false,
      cursor: null,
    });
    expect(logs.status_logs.filter((log) => log.triggered_by === 'ecs')).toHaveLength(6);
  });

  it.each(['transition_time', 'created_at', 'to_status', 'from_status'] as const)(
    'sorts the history by %s both ways',
    async (sortBy) => {
      const ascending = await api.statusLogs(id, { sort_by: sortBy, sort_order: 'asc', limit: 100 });
      const descending = await api.statusLogs(id, { sort_by: sortBy, sort_order: 'desc', limit: 100 });

      const keys = ascending.status_logs.map((log: StatusLog) => String(log[sortBy] ?? ''));
      expect(keys).toEqual([...keys].sort());
      expect(descending.status_logs.map((log) => log.id)).toEqual(
        ascending.status_logs.map((log) => log.id).reverse(),
      );
    },
  );

  it('deletes the container: it is gone from reads and lists', async () => {
    const deleted = await api.delete(id);
    const read = await api.get(id).catch((error: unknown) => error);
    const list = await api.list();

    expect(deleted).toEqual({ id, deleted: true });
    expect(read).toBeInstanceOf(ContainerApiError);
    expect(read).toMatchObject({ status: 404, code: 'CONTAINER_NOT_FOUND' });
    expect(list.containers).toEqual([]);
    expect(list.quota).toEqual({ limit: 5, used: 0 });
  });
});
