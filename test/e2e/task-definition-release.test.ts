import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../lib/adapters/dynamodb/dynamodb-container-repository';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';

describe("a deleted container's task definition (and schedule) is released from the table stream, off the DELETE path", () => {
  let stack: LocalStack;
  let ecsClient: ECSClient;
  let repository: DynamoDbContainerRepository;
  let names = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ streams: true });
    ecsClient = new ECSClient(stack.ecs.clientConfig);
    repository = new DynamoDbContainerRepository(stack.dynamoDb, {
      tableName: stack.tableName,
      logRetentionDays: 90,
    });
  });
  afterAll(async () => {
    ecsClient.destroy();
    await stack.close();
  });

  /** A running container and the ARN of its task definition, as the table holds it. */
  async function runningContainer(): Promise<{ id: string; taskDefinitionArn: string }> {
    names += 1;
    const created = await stack.api('POST', '/v1/containers', { body: { name: `release-${names}`, image } });
    expect(created.status).toBe(201);
    const id: string = created.body.data.id;
    await stack.waitForStatus(id, 'running');
    const taskDefinitionArn = (await repository.getContainer(id))?.taskDefinitionArn;
    if (!taskDefinitionArn) throw new Error(`container ${id} has no task definition`);
    return { id, taskDefinitionArn };
  }

  async function statusOf(taskDefinitionArn: string) {
    const answer = await ecsClient.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
    );
    return answer.taskDefinition?.status;
  }

  async function becomesInactive(taskDefinitionArn: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await statusOf(taskDefinitionArn)) !== 'INACTIVE') {
      if (Date.now() > deadline) throw new Error(`${taskDefinitionArn} still ACTIVE after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('deletes the container and then releases its task definition: INACTIVE in ECS', async () => {
    // Prepare
    const { id, taskDefinitionArn } = await runningContainer();

    // Act
    const deleted = await stack.api('DELETE', `/v1/containers/${id}`);

    // Assess
    expect(deleted.status).toBe(202);
    expect((await stack.api('GET', `/v1/containers/${id}`)).status).toBe(404);
    await becomesInactive(taskDefinitionArn);
  });

  it('deletes while ECS fails DeregisterTaskDefinition, and releases the definition once ECS recovers', async () => {
    // Prepare
    const { id, taskDefinitionArn } = await runningContainer();
    // Failing far longer than the stream retries within this test: each try is 3 SDK attempts.
    const attempts = 1000;
    const fault = stack.ecs.faults.inject({
      operation: 'DeregisterTaskDefinition',
      kind: 'serverError',
      times: attempts,
    });

    try {
      // Act: delete, then let the release fail twice (two tries of 3 attempts) before ECS recovers
      const deleted = await stack.api('DELETE', `/v1/containers/${id}`);
      const deadline = Date.now() + 10_000;
      while (fault.remaining > attempts - 6 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const refused = attempts - fault.remaining;
      const whileFailing = await statusOf(taskDefinitionArn);
      fault.clear();

      // Assess: the delete never waited on ECS; the stream retried until ECS took the release
      expect(deleted.status).toBe(202);
      expect((await stack.api('GET', `/v1/containers/${id}`)).status).toBe(404);
      expect(refused).toBeGreaterThanOrEqual(6);
      expect(whileFailing).toBe('ACTIVE');
      await becomesInactive(taskDefinitionArn);
    } finally {
      fault.clear();
    }
  });
  it("removes a deleted container's schedule from the table with its definition, not at the schedule's next edge", async () => {
    // Prepare: a container with a weekly schedule of its own
    const { id, taskDefinitionArn } = await runningContainer();
    const schedule = { time_zone: 'UTC', windows: [{ days: ['mon'], start: '08:00', stop: '19:00' }] };
    expect((await stack.api('PUT', `/v1/containers/${id}/schedule`, { body: schedule })).status).toBe(201);
    const scheduleItem = async () =>
      (
        await stack.dynamoDb.send(
          new GetItemCommand({
            TableName: stack.tableName,
            Key: { pk: { S: `SCHEDULE#C#${id}` }, sk: { S: 'SCHEDULE' } },
            ConsistentRead: true,
          }),
        )
      ).Item;
    expect(await scheduleItem()).toBeDefined();

    // Act
    const deleted = await stack.api('DELETE', `/v1/containers/${id}`);

    // Assess: once the release has run, the schedule's item is gone too
    expect(deleted.status).toBe(202);
    await becomesInactive(taskDefinitionArn);
    const deadline = Date.now() + 10_000;
    while ((await scheduleItem()) !== undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await scheduleItem()).toBeUndefined();
  });
});
