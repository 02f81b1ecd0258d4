import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../lib/adapters/dynamodb/dynamodb-container-repository';
import type { Container } from '../../lib/domain/container';
import { type ContainerStatus, containerStatuses } from '../../lib/domain/container-status';
import { operations } from '../../lib/domain/operations';
import { aContainer, aTransition, historyOf } from '../support/containers';
import { type LocalStack, startLocalStack } from '../support/local-stack';

// The contract's operations table (../shared/API.md): the operations each status accepts.
const accepted: Record<ContainerStatus, readonly string[]> = {
  creating: ['force-stop'],
  starting: ['stop', 'force-stop'],
  running: ['stop', 'force-stop', 'restart', 'pause'],
  pausing: ['force-stop'],
  paused: ['stop', 'force-stop', 'resume'],
  resuming: ['stop', 'force-stop'],
  restarting: ['stop', 'force-stop'],
  stopping: ['force-stop'],
  stopped: ['start'],
  succeeded: ['start'],
  failed: ['start'],
  error: ['start', 'force-stop'],
  expired: [],
};

describe('the operations table through the real handlers', () => {
  let stack: LocalStack;
  let repository: DynamoDbContainerRepository;
  let taskDefinitionArn: string;
  let taskArn: string;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 500 });
    repository = new DynamoDbContainerRepository(stack.dynamoDb, {
      tableName: stack.tableName,
      logRetentionDays: 90,
    });
    // A real container gives a task definition and a task the emulator knows.
    const created = await stack.api('POST', '/v1/containers', { body: { name: 'template', image: 'nginx' } });
    const running = await stack.waitForStatus(created.body.data.id, 'running');
    const stored = await repository.getContainer(created.body.data.id);
    taskDefinitionArn = stored?.taskDefinitionArn ?? '';
    taskArn = running.body.data.task.arn;
  });
  afterAll(async () => {
    await stack.close();
  });

  async function seed(status: ContainerStatus): Promise<Container> {
    const container = aContainer({
      ownerId: 'alice',
      status,
      version: 2,
      taskDefinitionArn,
      createdAt: new Date().toISOString(),
      task: {
        arn: taskArn,
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
        stopCode: null,
        stoppedReason: null,
        eventVersion: 4,
      },
    });
    await repository.createContainer({ container, logs: historyOf(container), quota: 500 });
    return container;
  }

  const cases = containerStatuses.flatMap((status) => operations.map((operation) => ({ status, operation })));

  it.each(cases)(
    '$operation from $status answers as the contract table says',
    async ({ status, operation }) => {
      // Prepare
      const container = await seed(status);

      // Act
      const response = await stack.api('POST', `/v1/containers/${container.id}/${operation}`);

      // Assess
      if (status === 'expired') {
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe('OPERATION_NOT_PERMITTED_ON_EXPIRED');
      } else if (accepted[status].includes(operation)) {
        expect(response.status).toBe(202);
        expect(response.body.data.transition).toMatchObject({ from_status: status, operation });
        expect(response.body.data.container.version).toBe(3);
      } else {
        expect(response.status).toBe(409);
        expect(response.body.error.code).toBe('OPERATION_STATE_CONFLICT');
        expect([...response.body.error.details.allowed_operations].sort()).toEqual(
          [...accepted[status]].sort(),
        );
      }
    },
  );

  it('refuses to delete an expired container with OPERATION_NOT_PERMITTED_ON_EXPIRED', async () => {
    const container = await seed('expired');

    const response = await stack.api('DELETE', `/v1/containers/${container.id}`);
    const read = await stack.api('GET', `/v1/containers/${container.id}`);

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('OPERATION_NOT_PERMITTED_ON_EXPIRED');
    expect(read.body.data.status).toBe('expired');
  });

  describe('paging through a 250-entry history', () => {
    let id: string;

    beforeAll(async () => {
      let container = await seed('stopped');
      id = container.id;
      const cycle: ContainerStatus[] = ['starting', 'running', 'stopping', 'stopped'];
      for (let index = 0; index < 248; index += 1) {
        // Times that jump back now and then, as late ECS events do, so the sort orders differ.
        const at = new Date(
          Date.parse(container.lastTransitionAt) + (index % 7 === 3 ? -5000 : 1000),
        ).toISOString();
        const step = aTransition(container, { to: cycle[index % cycle.length] ?? 'stopped', at });
        await repository.saveTransition(step);
        container = step.after;
      }
    }, 60_000);

    async function walk(query: string, by: 'cursor' | 'page'): Promise<Array<Record<string, unknown>>> {
      const entries: Array<Record<string, unknown>> = [];
      let cursor: string | null = null;
      for (let page = 1; page <= 30; page += 1) {
        const suffix: string = by === 'page' ? `&page=${page}` : cursor ? `&cursor=${cursor}` : '';
        const response = await stack.api(
          'GET',
          `/v1/containers/${id}/status-logs?${query}&limit=10${suffix}`,
        );
        expect(response.status).toBe(200);
        expect(response.body.pagination).toMatchObject({ total: 250, total_pages: 25, page, limit: 10 });
        entries.push(...response.body.data.status_logs);
        cursor = response.body.pagination.cursor;
        if (!response.body.pagination.has_next_page) break;
      }
      return entries;
    }

    it.each(
      ['transition_time', 'created_at', 'to_status', 'from_status'].flatMap((sortBy) =>
        ['asc', 'desc'].map((order) => ({ sortBy, order })),
      ),
    )(
      'returns every entry exactly once, in order, by $sortBy $order, by cursor and by page',
      async ({ sortBy, order }) => {
        // Act
        const byCursor = await walk(`sort_by=${sortBy}&sort_order=${order}`, 'cursor');
        const byPage = await walk(`sort_by=${sortBy}&sort_order=${order}`, 'page');

        // Assess
        expect(byCursor).toHaveLength(250);
        expect(new Set(byCursor.map((entry) => entry.version)).size).toBe(250);
        expect(byPage).toEqual(byCursor);
        const keys = byCursor.map((entry) => String(entry[sortBy] ?? ''));
        const sorted = [...keys].sort();
        expect(keys).toEqual(order === 'asc' ? sorted : sorted.reverse());
      },
    );
  });
});
