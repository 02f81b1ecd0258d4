import {
  AccessDeniedException,
  DescribeTasksCommand,
  ECSServiceException,
  ListTasksCommand,
  RunTaskCommand,
  ServerException,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContainerNotFoundError,
  FARGATE_CAPACITY_REASON,
  InvalidFaultError,
  TaskNotFoundError,
  TaskNotRunningError,
} from '../../../local/ecs-emulator';
import {
  collectEvents,
  describeTask,
  type Harness,
  HOLD_MS,
  registerFargateTaskDefinition,
  rejectionOf,
  runOneTask,
  runTaskInput,
  startHarness,
  statusesOf,
  waitForEvents,
  waitForStatus,
} from './support';

describe('ECS emulator request faults', () => {
  let single: Harness;
  let retrying: Harness;

  beforeAll(async () => {
    single = await startHarness({}, { maxAttempts: 1 });
    retrying = await startHarness();
    await registerFargateTaskDefinition(single.ecs);
    await registerFargateTaskDefinition(retrying.ecs);
  });

  afterAll(async () => {
    await Promise.all([single.close(), retrying.close()]);
  });

  it('answers ThrottlingException with HTTP 400 to a client that does not retry', async () => {
    // Prepare
    single.emulator.faults.inject({ kind: 'throttle', operation: 'RunTask' });

    // Act
    const error = await rejectionOf(single.ecs.send(new RunTaskCommand(runTaskInput())));

    // Assess
    expect(error).toBeInstanceOf(ECSServiceException);
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
  });

  it('lets the SDK retry a single injected throttle and succeed on the second attempt', async () => {
    // Prepare
    const fault = retrying.emulator.faults.inject({ kind: 'throttle', operation: 'ListTasks', times: 1 });

    // Act
    const answer = await retrying.ecs.send(new ListTasksCommand({}));

    // Assess
    expect(answer.$metadata.attempts).toBe(2);
    expect(fault.remaining).toBe(0);
    expect(retrying.emulator.faults.active()).toEqual([]);
  });

  it('only disturbs the targeted operation', async () => {
    // Prepare
    single.emulator.faults.inject({ kind: 'throttle', operation: 'RunTask' });

    // Act
    const listed = await single.ecs.send(new ListTasksCommand({}));
    const running = await rejectionOf(single.ecs.send(new RunTaskCommand(runTaskInput())));

    // Assess
    expect(listed.$metadata.httpStatusCode).toBe(200);
    expect(running).toMatchObject({ name: 'ThrottlingException' });
  });

  it('throttles as many requests as times says, then answers normally', async () => {
    // Prepare
    single.emulator.faults.inject({ kind: 'throttle', times: 2 });

    // Act
    const first = await rejectionOf(single.ecs.send(new ListTasksCommand({})));
    const second = await rejectionOf(single.ecs.send(new ListTasksCommand({})));
    const third = await single.ecs.send(new ListTasksCommand({}));

    // Assess
    expect([first, second]).toMatchObject([{ name: 'ThrottlingException' }, { name: 'ThrottlingException' }]);
    expect(third.$metadata.httpStatusCode).toBe(200);
  });

  it('answers HTTP 500 ServerException to the targeted operation only', async () => {
    // Prepare
    single.emulator.faults.inject({ kind: 'serverError', operation: 'DescribeTasks' });

    // Act
    const listed = await single.ecs.send(new ListTasksCommand({}));
    const error = await rejectionOf(single.ecs.send(new DescribeTasksCommand({ tasks: ['any'] })));

    // Assess
    expect(listed.$metadata.httpStatusCode).toBe(200);
    expect(error).toBeInstanceOf(ServerException);
    expect(error).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
  });

  it('answers any modelled error type, mapped by the SDK to its class', async () => {
    // Prepare
    single.emulator.faults.inject({ kind: 'error', errorType: 'AccessDeniedException', message: 'no' });

    // Act
    const error = await rejectionOf(single.ecs.send(new ListTasksCommand({})));

    // Assess
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect((error as Error).message).toBe('no');
  });

  it('answers late by the injected delay', async () => {
    // Prepare
    const baselineStart = performance.now();
    await single.ecs.send(new ListTasksCommand({}));
    const baseline = performance.now() - baselineStart;
    single.emulator.faults.inject({ kind: 'delay', operation: 'ListTasks', delayMs: 250 });

    // Act
    const start = performance.now();
    const answer = await single.ecs.send(new ListTasksCommand({}));
    const took = performance.now() - start;

    // Assess
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(baseline).toBeLessThan(200);
    expect(took).toBeGreaterThanOrEqual(245);
  });

  it('removes a fault on clear() before it is used', async () => {
    // Prepare
    const fault = single.emulator.faults.inject({ kind: 'throttle', times: Number.POSITIVE_INFINITY });
    fault.clear();

    // Act
    const answer = await single.ecs.send(new ListTasksCommand({}));

    // Assess
    expect(answer.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses a fault with a nonsensical repeat count', () => {
    // Act
    const injecting = () => single.emulator.faults.inject({ kind: 'throttle', times: 0 });

    // Assess
    expect(injecting).toThrow(InvalidFaultError);
  });
});

describe('ECS emulator RunTask faults', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
    await registerFargateTaskDefinition(harness.ecs);
  });

  afterAll(async () => {
    await harness.close();
  });

  const runningStartedBy = async (startedBy: string): Promise<string[]> =>
    (await harness.ecs.send(new ListTasksCommand({ startedBy }))).taskArns ?? [];

  it('reports RESOURCE:MEMORY in failures[] for every requested task and places none', async () => {
    // Prepare
    harness.emulator.faults.inject({ kind: 'insufficientResources', resource: 'MEMORY' });

    // Act
    const answer = await harness.ecs.send(
      new RunTaskCommand(runTaskInput({ count: 2, startedBy: 'no-memory' })),
    );

    // Assess
    expect(answer.tasks).toEqual([]);
    expect(answer.failures).toEqual([{ reason: 'RESOURCE:MEMORY' }, { reason: 'RESOURCE:MEMORY' }]);
    expect(await runningStartedBy('no-memory')).toEqual([]);
  });

  it('reports the Fargate capacity failure in failures[] and places the next request normally', async () => {
    // Prepare
    harness.emulator.faults.inject({ kind: 'capacityUnavailable' });

    // Act
    const failed = await harness.ecs.send(new RunTaskCommand(runTaskInput({ startedBy: 'no-capacity' })));
    const retried = await harness.ecs.send(new RunTaskCommand(runTaskInput({ startedBy: 'no-capacity' })));

    // Assess
    expect(failed.failures).toEqual([{ reason: FARGATE_CAPACITY_REASON }]);
    expect(FARGATE_CAPACITY_REASON).toBe(
      'Capacity is unavailable at this time. Please try again later or in a different availability zone',
    );
    expect(retried.tasks).toHaveLength(1);
    expect(await runningStartedBy('no-capacity')).toEqual([retried.tasks?.[0]?.taskArn]);
  });

  it('fails a task to start: STOPPED with TaskFailedToStart, never RUNNING', async () => {
    // Prepare
    const received = collectEvents(harness.emulator);
    harness.emulator.faults.inject({
      kind: 'failToStart',
      reason: 'CannotPullContainerError: image not found',
    });

    // Act
    const { taskArn = '' } = await runOneTask(harness.ecs);
    const stopped = await waitForStatus(harness.ecs, taskArn, 'STOPPED');

    // Assess
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: image not found',
      containers: [{ lastStatus: 'STOPPED', reason: 'CannotPullContainerError: image not found' }],
    });
    expect(stopped.startedAt).toBeUndefined();
    expect(stopped.containers?.[0]?.exitCode).toBeUndefined();
    const events = await waitForEvents(received, taskArn, stopped.version ?? 0);
    expect(statusesOf(events)).toEqual([
      'PROVISIONING',
      'PENDING',
      'PENDING',
      'STOPPING',
      'DEPROVISIONING',
      'STOPPED',
    ]);
  });

  it('crashes a running task: EssentialContainerExited with the container exit code and reason', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(harness.ecs);
    await waitForStatus(harness.ecs, taskArn, 'RUNNING');

    // Act
    harness.emulator.crashTask(taskArn, {
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    });
    const stopped = await waitForStatus(harness.ecs, taskArn, 'STOPPED');

    // Assess
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [
        {
          lastStatus: 'STOPPED',
          exitCode: 137,
          reason: 'OutOfMemoryError: Container killed due to memory usage',
        },
      ],
    });
    expect(stopped.startedAt).toBeInstanceOf(Date);
  });

  it('refuses to crash a task that is not running or not known', async () => {
    // Prepare: the task holds in PROVISIONING for the whole test.
    const slowStart = await startHarness({ startMs: HOLD_MS });
    try {
      await registerFargateTaskDefinition(slowStart.ecs);
      const { taskArn = '' } = await runOneTask(slowStart.ecs);

      // Act
      const crashingProvisioning = () => slowStart.emulator.crashTask(taskArn);
      const crashingUnknown = () => slowStart.emulator.crashTask(taskArn.replace(/[0-9a-f]{32}$/, 'unknown'));

      // Assess
      expect(crashingProvisioning).toThrow(TaskNotRunningError);
      expect(crashingUnknown).toThrow(TaskNotFoundError);
      expect(await describeTask(slowStart.ecs, taskArn)).toMatchObject({
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
      });
    } finally {
      await slowStart.close();
    }
  });

  it('refuses to crash a container the running task does not have, and leaves the task running', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(harness.ecs);
    await waitForStatus(harness.ecs, taskArn, 'RUNNING');

    // Act
    const crashing = () => harness.emulator.crashTask(taskArn, { containerName: 'sidecar' });

    // Assess
    expect(crashing).toThrow(ContainerNotFoundError);
    expect((await describeTask(harness.ecs, taskArn))?.desiredStatus).toBe('RUNNING');
  });
});
