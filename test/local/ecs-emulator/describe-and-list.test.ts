import {
  ClusterNotFoundException,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  type ListTasksCommandInput,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  registerFargateTaskDefinition,
  rejectionOf,
  runOneTask,
  runTaskInput,
  sleep,
  startHarness,
  waitForStatus,
} from './support';

describe('ECS emulator DescribeTasks', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ stoppedRetentionMs: 300 });
    await registerFargateTaskDefinition(harness.ecs);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('reports unknown task ARNs and ids in failures[] with reason MISSING next to the found tasks', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(harness.ecs);
    const unknownArn = `arn:aws:ecs:us-east-1:123456789012:task/default/${'0'.repeat(32)}`;

    // Act
    const answer = await harness.ecs.send(new DescribeTasksCommand({ tasks: [taskArn, unknownArn, 'abc'] }));

    // Assess
    expect(answer.tasks?.map((task) => task.taskArn)).toEqual([taskArn]);
    expect(answer.failures).toEqual([
      { arn: unknownArn, reason: 'MISSING' },
      { arn: 'abc', reason: 'MISSING' },
    ]);
  });

  it('finds a task by its bare id as well as by its ARN', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(harness.ecs);
    const taskId = taskArn.split('/').at(-1) ?? '';

    // Act
    const answer = await harness.ecs.send(new DescribeTasksCommand({ tasks: [taskId] }));

    // Assess
    expect(answer.tasks?.[0]?.taskArn).toBe(taskArn);
  });

  it('keeps a stopped task describable until its retention passes, then reports it MISSING', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(harness.ecs);
    await harness.ecs.send(new StopTaskCommand({ task: taskArn }));
    await waitForStatus(harness.ecs, taskArn, 'STOPPED');

    // Act
    const soonAfter = await harness.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
    await sleep(350);
    const later = await harness.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));

    // Assess
    expect(soonAfter.tasks?.[0]?.lastStatus).toBe('STOPPED');
    expect(later.tasks).toEqual([]);
    expect(later.failures).toEqual([{ arn: taskArn, reason: 'MISSING' }]);
  });

  it('answers InvalidParameterException for an empty task list', async () => {
    // Act
    const error = await rejectionOf(harness.ecs.send(new DescribeTasksCommand({ tasks: [] })));

    // Assess
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain('Tasks cannot be empty.');
  });

  it('returns task tags only when asked to include TAGS', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(harness.ecs, { tags: [{ key: 'owner', value: 'user-1' }] });

    // Act
    const plain = await harness.ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
    const tagged = await harness.ecs.send(new DescribeTasksCommand({ tasks: [taskArn], include: ['TAGS'] }));

    // Assess
    expect(plain.tasks?.[0]?.tags).toBeUndefined();
    expect(tagged.tasks?.[0]?.tags).toEqual([{ key: 'owner', value: 'user-1' }]);
  });
});

describe('ECS emulator ListTasks', () => {
  let harness: Harness;
  let webTask = '';
  let workerTask = '';
  let stoppedTask = '';
  let otherClusterTask = '';

  beforeAll(async () => {
    harness = await startHarness({ stoppedRetentionMs: 60_000 });
    await registerFargateTaskDefinition(harness.ecs, 'web');
    await registerFargateTaskDefinition(harness.ecs, 'worker');
    webTask = (await runOneTask(harness.ecs, { startedBy: 'alice' })).taskArn ?? '';
    workerTask =
      (await runOneTask(harness.ecs, { taskDefinition: 'worker', startedBy: 'bob' })).taskArn ?? '';
    stoppedTask = (await runOneTask(harness.ecs, { startedBy: 'alice' })).taskArn ?? '';
    otherClusterTask =
      (await runOneTask(harness.ecs, { cluster: 'batch', startedBy: 'alice' })).taskArn ?? '';
    await harness.ecs.send(new StopTaskCommand({ task: stoppedTask }));
  });

  afterAll(async () => {
    await harness.close();
  });

  const list = async (input: ListTasksCommandInput): Promise<string[]> =>
    (await harness.ecs.send(new ListTasksCommand(input))).taskArns ?? [];

  it('lists only tasks desired RUNNING in the default cluster when no filter is given', async () => {
    // Act
    const arns = await list({});

    // Assess
    expect(arns).toEqual([webTask, workerTask]);
  });

  it('filters by startedBy', async () => {
    // Act
    const arns = await list({ startedBy: 'alice' });

    // Assess
    expect(arns).toEqual([webTask]);
  });

  it('filters by task definition family', async () => {
    // Act
    const arns = await list({ family: 'worker' });

    // Assess
    expect(arns).toEqual([workerTask]);
  });

  it('lists stopping and stopped tasks with desiredStatus STOPPED and nothing with PENDING', async () => {
    // Act
    const stopped = await list({ desiredStatus: 'STOPPED' });
    const pending = await list({ desiredStatus: 'PENDING' });

    // Assess
    expect(stopped).toEqual([stoppedTask]);
    expect(pending).toEqual([]);
  });

  it('filters by cluster, given by name or ARN', async () => {
    // Act
    const byName = await list({ cluster: 'batch' });
    const byArn = await list({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/batch' });

    // Assess
    expect(byName).toEqual([otherClusterTask]);
    expect(byArn).toEqual([otherClusterTask]);
  });

  it('pages through results with maxResults and nextToken', async () => {
    // Act
    const first = await harness.ecs.send(new ListTasksCommand({ maxResults: 1 }));
    const second = await harness.ecs.send(
      new ListTasksCommand({ maxResults: 1, nextToken: first.nextToken }),
    );

    // Assess
    expect(first.taskArns).toEqual([webTask]);
    expect(first.nextToken).toEqual(expect.any(String));
    expect(second.taskArns).toEqual([workerTask]);
    expect(second.nextToken).toBeUndefined();
  });
});

describe('ECS emulator without cluster auto-creation', () => {
  it('answers ClusterNotFoundException for a cluster that was not declared', async () => {
    // Prepare
    const harness = await startHarness({ autoCreateClusters: false, clusters: ['known'] });
    await registerFargateTaskDefinition(harness.ecs);

    try {
      // Act
      const unknown = await rejectionOf(
        harness.ecs.send(new RunTaskCommand(runTaskInput({ cluster: 'unknown' }))),
      );
      const known = await harness.ecs.send(new ListTasksCommand({ cluster: 'known' }));

      // Assess
      expect(unknown).toBeInstanceOf(ClusterNotFoundException);
      expect(known.taskArns).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
