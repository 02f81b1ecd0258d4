import { ConflictException, ListTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  registerFargateTaskDefinition,
  rejectionOf,
  runTaskInput,
  startHarness,
} from './support';

describe('ECS emulator RunTask clientToken idempotency', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
    await registerFargateTaskDefinition(harness.ecs);
  });

  afterAll(async () => {
    await harness.close();
  });

  const tasksStartedBy = async (startedBy: string): Promise<string[]> =>
    (await harness.ecs.send(new ListTasksCommand({ startedBy }))).taskArns ?? [];

  it('returns the first task again, and starts no other, when a token is reused with the same parameters', async () => {
    // Prepare
    const input = runTaskInput({ clientToken: 'token-same', startedBy: 'idem-same' });
    const first = await harness.ecs.send(new RunTaskCommand(input));

    // Act
    const second = await harness.ecs.send(new RunTaskCommand({ ...input }));

    // Assess
    expect(second.tasks?.map((task) => task.taskArn)).toEqual(first.tasks?.map((task) => task.taskArn));
    expect(await tasksStartedBy('idem-same')).toHaveLength(1);
  });

  it('treats the same members in another key order and the default cluster named explicitly as the same request', async () => {
    // Prepare
    const first = await harness.ecs.send(
      new RunTaskCommand(runTaskInput({ clientToken: 'token-order', startedBy: 'idem-order' })),
    );

    // Act
    const { networkConfiguration, taskDefinition, launchType } = runTaskInput();
    const second = await harness.ecs.send(
      new RunTaskCommand({
        startedBy: 'idem-order',
        clientToken: 'token-order',
        cluster: 'default',
        launchType,
        networkConfiguration,
        taskDefinition,
      }),
    );

    // Assess
    expect(second.tasks?.[0]?.taskArn).toBe(first.tasks?.[0]?.taskArn);
  });

  it('answers ConflictException naming the first tasks when a token is reused with other parameters', async () => {
    // Prepare
    const first = await harness.ecs.send(
      new RunTaskCommand(runTaskInput({ clientToken: 'token-conflict', startedBy: 'idem-conflict' })),
    );

    // Act
    const error = await rejectionOf(
      harness.ecs.send(
        new RunTaskCommand(
          runTaskInput({ clientToken: 'token-conflict', startedBy: 'idem-conflict', count: 2 }),
        ),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).resourceIds).toEqual([first.tasks?.[0]?.taskArn]);
    expect(await tasksStartedBy('idem-conflict')).toHaveLength(1);
  });

  it('starts a new task for every call without a token or with a fresh token', async () => {
    // Act
    await harness.ecs.send(new RunTaskCommand(runTaskInput({ startedBy: 'idem-fresh' })));
    await harness.ecs.send(new RunTaskCommand(runTaskInput({ startedBy: 'idem-fresh' })));
    await harness.ecs.send(
      new RunTaskCommand(runTaskInput({ startedBy: 'idem-fresh', clientToken: 'fresh-1' })),
    );
    await harness.ecs.send(
      new RunTaskCommand(runTaskInput({ startedBy: 'idem-fresh', clientToken: 'fresh-2' })),
    );

    // Assess
    expect(await tasksStartedBy('idem-fresh')).toHaveLength(4);
  });
});
