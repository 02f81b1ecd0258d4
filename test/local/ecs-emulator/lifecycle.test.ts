import { InvalidParameterException, ListTasksCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EmulatorConfigError } from '../../../local/ecs-emulator';
import { resolveOptions } from '../../../local/ecs-emulator/options';
import {
  collectEvents,
  describeTask,
  type Harness,
  HOLD_MS,
  registerFargateTaskDefinition,
  rejectionOf,
  runOneTask,
  SUBNET,
  startHarness,
  statusesOf,
  versionsOf,
  waitForEvents,
  waitForStatus,
} from './support';

const eniDetail = (task: Task, name: string): string | undefined =>
  task.attachments?.[0]?.details?.find((detail) => detail.name === name)?.value;

const millis = (date: Date | undefined): number => date?.getTime() ?? Number.NaN;

describe('ECS emulator task lifecycle', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
    await registerFargateTaskDefinition(harness.ecs);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('answers RunTask with a PROVISIONING task at version 1 that ECS would recognise', async () => {
    // Act
    const task = await runOneTask(harness.ecs, { startedBy: 'lifecycle-test' });

    // Assess
    expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/default\/[0-9a-f]{32}$/);
    expect(task).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/default',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      version: 1,
      launchType: 'FARGATE',
      cpu: '256',
      memory: '512',
      group: 'family:web',
      startedBy: 'lifecycle-test',
      containers: [{ name: 'app', lastStatus: 'PENDING' }],
      attachments: [{ type: 'ElasticNetworkInterface', status: 'PRECREATED' }],
    });
    expect(task.createdAt).toBeInstanceOf(Date);
    expect(task.startedAt).toBeUndefined();
  });

  it('walks PROVISIONING, PENDING, ACTIVATING, RUNNING in order, one version per state', async () => {
    // Prepare
    const received = collectEvents(harness.emulator);

    // Act
    const { taskArn = '' } = await runOneTask(harness.ecs);
    const events = await waitForEvents(received, taskArn, 4);

    // Assess
    expect(statusesOf(events)).toEqual(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING']);
    expect(versionsOf(events)).toEqual([1, 2, 3, 4]);
  });

  it('reports a RUNNING task with ordered timestamps, a private ENI and running containers', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(harness.ecs, { group: 'custom-group' });

    // Act
    const task = await waitForStatus(harness.ecs, taskArn, 'RUNNING');

    // Assess
    expect(task.version).toBe(4);
    expect(task.group).toBe('custom-group');
    expect(millis(task.createdAt)).toBeLessThanOrEqual(millis(task.pullStartedAt));
    expect(millis(task.pullStartedAt)).toBeLessThanOrEqual(millis(task.pullStoppedAt));
    expect(millis(task.pullStoppedAt)).toBeLessThanOrEqual(millis(task.startedAt));
    expect(task.attachments?.[0]?.status).toBe('ATTACHED');
    expect(eniDetail(task, 'privateIPv4Address')).toMatch(/^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
    expect(eniDetail(task, 'networkInterfaceId')).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(eniDetail(task, 'subnetId')).toBe(SUBNET);
    expect(task.containers?.[0]).toMatchObject({
      lastStatus: 'RUNNING',
      networkInterfaces: [{ privateIpv4Address: eniDetail(task, 'privateIPv4Address') }],
    });
    expect(task.stoppedAt).toBeUndefined();
  });

  it('gives every task its own private IP address', async () => {
    // Prepare
    const first = await runOneTask(harness.ecs);
    const second = await runOneTask(harness.ecs);

    // Act
    const [a, b] = await Promise.all([
      waitForStatus(harness.ecs, first.taskArn ?? '', 'RUNNING'),
      waitForStatus(harness.ecs, second.taskArn ?? '', 'RUNNING'),
    ]);

    // Assess
    expect(eniDetail(a, 'privateIPv4Address')).not.toBe(eniDetail(b, 'privateIPv4Address'));
  });

  it('stops a running task with the given reason and stop code UserInitiated, through every stop state', async () => {
    // Prepare
    const received = collectEvents(harness.emulator);
    const { taskArn = '' } = await runOneTask(harness.ecs);
    await waitForStatus(harness.ecs, taskArn, 'RUNNING');

    // Act
    const { task: stopping } = await harness.ecs.send(
      new StopTaskCommand({ task: taskArn, reason: 'container deleted by user' }),
    );
    const stopped = await waitForStatus(harness.ecs, taskArn, 'STOPPED');

    // Assess
    expect(stopping).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'container deleted by user',
    });
    expect(stopping?.stoppingAt).toBeInstanceOf(Date);
    const events = await waitForEvents(received, taskArn, 9);
    expect(statusesOf(events).slice(4)).toEqual([
      'RUNNING',
      'DEACTIVATING',
      'STOPPING',
      'DEPROVISIONING',
      'STOPPED',
    ]);
    expect(versionsOf(events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stopped).toMatchObject({ version: 9, stopCode: 'UserInitiated', desiredStatus: 'STOPPED' });
    expect(millis(stopped.stoppingAt)).toBeLessThanOrEqual(millis(stopped.executionStoppedAt));
    expect(millis(stopped.executionStoppedAt)).toBeLessThanOrEqual(millis(stopped.stoppedAt));
    expect(stopped.containers?.[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
  });

  it('answers InvalidParameterException when stopping an unknown task', async () => {
    // Act
    const error = await rejectionOf(harness.ecs.send(new StopTaskCommand({ task: 'f'.repeat(32) })));

    // Assess
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toBe('The referenced task was not found.');
  });

  it('runs a task in a named cluster that the default cluster does not see', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(harness.ecs, { cluster: 'jobs' });

    // Act
    const fromJobs = await describeTask(harness.ecs, taskArn, 'jobs');
    const fromDefault = await describeTask(harness.ecs, taskArn);
    const listed = await harness.ecs.send(new ListTasksCommand({ cluster: 'jobs' }));

    // Assess
    expect(taskArn).toContain(':task/jobs/');
    expect(fromJobs?.clusterArn).toBe('arn:aws:ecs:us-east-1:123456789012:cluster/jobs');
    expect(fromDefault).toBeUndefined();
    expect(listed.taskArns).toEqual([taskArn]);
  });
});

describe('ECS emulator StopTask before the task runs', () => {
  // startMs HOLD_MS: a task stays PROVISIONING until StopTask comes, however slow the machine is.
  let held: Harness;
  let slowStart: Harness;

  beforeAll(async () => {
    [held, slowStart] = await Promise.all([
      startHarness({ startMs: HOLD_MS, stopMs: HOLD_MS }),
      startHarness({ startMs: HOLD_MS }),
    ]);
    await Promise.all([
      registerFargateTaskDefinition(held.ecs),
      registerFargateTaskDefinition(slowStart.ecs),
    ]);
  });

  afterAll(async () => {
    await Promise.all([held.close(), slowStart.close()]);
  });

  it('uses "Task stopped by user" when StopTask gives no reason, and a second StopTask changes nothing', async () => {
    // Prepare
    const { taskArn = '' } = await runOneTask(held.ecs);
    const { task: first } = await held.ecs.send(new StopTaskCommand({ task: taskArn }));
    const emittedBefore = held.emulator.events.emitted().length;

    // Act
    const { task: second } = await held.ecs.send(new StopTaskCommand({ task: taskArn, reason: 'again' }));

    // Assess
    expect(first).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
      version: 2,
    });
    expect(first?.stoppingAt).toBeInstanceOf(Date);
    expect(second).toEqual(first);
    expect(held.emulator.events.emitted()).toHaveLength(emittedBefore);
  });

  it('takes a task stopped while PROVISIONING to STOPPED without ever running it', async () => {
    // Prepare: fake timers (still advancing with real time) let the test fast-forward past startMs.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    try {
      const received = collectEvents(slowStart.emulator);
      const { taskArn = '' } = await runOneTask(slowStart.ecs);

      // Act
      const { task: stopping } = await slowStart.ecs.send(new StopTaskCommand({ task: taskArn }));
      const stopped = await waitForStatus(slowStart.ecs, taskArn, 'STOPPED');
      await vi.advanceTimersByTimeAsync(HOLD_MS);
      await slowStart.emulator.events.idle();

      // Assess: the start steps, due long after STOPPED, were cancelled with the stop.
      expect(stopping?.lastStatus).toBe('PROVISIONING');
      const events = received.filter((event) => event.detail.taskArn === taskArn);
      expect(statusesOf(events)).toEqual(['PROVISIONING', 'PROVISIONING', 'DEPROVISIONING', 'STOPPED']);
      expect(await describeTask(slowStart.ecs, taskArn)).toMatchObject({ lastStatus: 'STOPPED', version: 4 });
      expect(stopped.startedAt).toBeUndefined();
      expect(stopped.containers?.[0]?.exitCode).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ECS emulator timings', () => {
  it('reaches RUNNING only after startMs and STOPPED only after stopMs', async () => {
    // Prepare
    const harness = await startHarness({ startMs: 150, stopMs: 120 });
    await registerFargateTaskDefinition(harness.ecs);

    try {
      // Act
      const startAt = Date.now();
      const { taskArn = '' } = await runOneTask(harness.ecs);
      await waitForStatus(harness.ecs, taskArn, 'RUNNING');
      const startTook = Date.now() - startAt;
      const stopAt = Date.now();
      await harness.ecs.send(new StopTaskCommand({ task: taskArn }));
      await waitForStatus(harness.ecs, taskArn, 'STOPPED');
      const stopTook = Date.now() - stopAt;

      // Assess
      expect(startTook).toBeGreaterThanOrEqual(140);
      expect(stopTook).toBeGreaterThanOrEqual(110);
    } finally {
      await harness.close();
    }
  });

  it('defaults startMs and stopMs to ECS_EMULATOR_START_MS and ECS_EMULATOR_STOP_MS', () => {
    // Act
    const fromEnv = resolveOptions({}, { ECS_EMULATOR_START_MS: '250', ECS_EMULATOR_STOP_MS: '75' });
    const explicit = resolveOptions({ startMs: 5, stopMs: 6 }, { ECS_EMULATOR_START_MS: '250' });
    const bare = resolveOptions({}, {});

    // Assess
    expect([fromEnv.startMs, fromEnv.stopMs]).toEqual([250, 75]);
    expect([explicit.startMs, explicit.stopMs]).toEqual([5, 6]);
    expect([bare.startMs, bare.stopMs, bare.stoppedRetentionMs]).toEqual([3000, 2000, 3_600_000]);
  });

  it('refuses a non-numeric ECS_EMULATOR_START_MS with EmulatorConfigError', () => {
    // Act
    const resolving = () => resolveOptions({}, { ECS_EMULATOR_START_MS: 'soon' });

    // Assess
    expect(resolving).toThrow(EmulatorConfigError);
  });
});
