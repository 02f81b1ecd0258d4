import { StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EcsEmulator, EcsEmulatorOptions, TaskStateChangeEvent } from '../../../local/ecs-emulator';
import {
  collectEvents,
  type Harness,
  HOLD_MS,
  registerFargateTaskDefinition,
  runOneTask,
  sleep,
  startHarness,
  statusesOf,
  versionsOf,
  waitForEvents,
  waitForStatus,
} from './support';

const isoMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let harness: Harness | undefined;

async function start(options: EcsEmulatorOptions = {}): Promise<Harness> {
  harness = await startHarness(options);
  await registerFargateTaskDefinition(harness.ecs);
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/**
 * For every delivered event, how long after its state change (`detail.updatedAt`) it reached a
 * listener. Timers never fire early, so this is at least the delay the bus added, however loaded
 * the machine is.
 */
function lateByUpdatedAt(emulator: EcsEmulator): number[] {
  const lateness: number[] = [];
  emulator.onTaskStateChange((event) => {
    lateness.push(Date.now() - Date.parse(event.detail.updatedAt));
  });
  return lateness;
}

const byVersion = (events: readonly TaskStateChangeEvent[]): TaskStateChangeEvent[] =>
  [...events].sort((a, b) => a.detail.version - b.detail.version);

describe('ECS emulator task state change events', () => {
  it('publishes one event per state change, in lifecycle order, in the EventBridge envelope', async () => {
    // Prepare
    const { ecs, emulator } = await start();
    const received = collectEvents(emulator);

    // Act
    const { taskArn = '' } = await runOneTask(ecs, { startedBy: 'events-test' });
    const events = await waitForEvents(received, taskArn, 4);

    // Assess
    expect(statusesOf(events)).toEqual(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING']);
    expect(new Set(events.map((event) => event.id)).size).toBe(4);
    for (const event of events) {
      expect(event).toMatchObject({
        version: '0',
        'detail-type': 'ECS Task State Change',
        source: 'aws.ecs',
        account: '123456789012',
        region: 'us-east-1',
        resources: [taskArn],
      });
      expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
  });

  it('describes the running task in detail like ECS: ISO dates, eni attachment, group and startedBy', async () => {
    // Prepare
    const { ecs, emulator } = await start();
    const received = collectEvents(emulator);

    // Act
    const { taskArn = '' } = await runOneTask(ecs, { startedBy: 'events-test' });
    const running = (await waitForEvents(received, taskArn, 4))[3];

    // Assess
    expect(running?.detail).toMatchObject({
      taskArn,
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/default',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      version: 4,
      group: 'family:web',
      startedBy: 'events-test',
      launchType: 'FARGATE',
      cpu: '256',
      memory: '512',
      containers: [{ name: 'app', lastStatus: 'RUNNING' }],
      attachments: [{ type: 'eni', status: 'ATTACHED' }],
    });
    expect(running?.detail.createdAt).toMatch(isoMillis);
    expect(running?.detail.startedAt).toMatch(isoMillis);
    expect(running?.detail.updatedAt).toMatch(isoMillis);
    const ip = running?.detail.attachments[0]?.details.find((detail) => detail.name === 'privateIPv4Address');
    expect(ip?.value).toMatch(/^10\./);
  });

  it('carries stop code, reason and stop timestamps in the events of a stop', async () => {
    // Prepare
    const { ecs, emulator } = await start();
    const received = collectEvents(emulator);
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForStatus(ecs, taskArn, 'RUNNING');

    // Act
    await ecs.send(new StopTaskCommand({ task: taskArn, reason: 'user asked' }));
    const events = await waitForEvents(received, taskArn, 9);

    // Assess
    const stopRequested = events[4];
    const stopped = events[8];
    expect(stopRequested?.detail).toMatchObject({ lastStatus: 'RUNNING', desiredStatus: 'STOPPED' });
    expect(stopRequested?.detail.stoppingAt).toMatch(isoMillis);
    expect(stopped?.detail).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'user asked',
      containers: [{ lastStatus: 'STOPPED', exitCode: 0 }],
    });
    expect(stopped?.detail.stoppedAt).toMatch(isoMillis);
    expect(stopped?.detail.executionStoppedAt).toMatch(isoMillis);
  });

  it('reports a crash through events with EssentialContainerExited and the exit code', async () => {
    // Prepare
    const { ecs, emulator } = await start();
    const received = collectEvents(emulator);
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForStatus(ecs, taskArn, 'RUNNING');

    // Act
    emulator.crashTask(taskArn, { exitCode: 2 });
    const events = await waitForEvents(received, taskArn, 9);

    // Assess
    expect(events[8]?.detail).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      containers: [{ exitCode: 2 }],
    });
  });

  it('stops delivering to a listener once it unsubscribes', async () => {
    // Prepare: the task holds in PROVISIONING, so its only event so far is version 1.
    const { ecs, emulator } = await start({ startMs: HOLD_MS });
    const all = collectEvents(emulator);
    const early: TaskStateChangeEvent[] = [];
    const unsubscribe = emulator.onTaskStateChange((event) => {
      early.push(event);
    });
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForEvents(all, taskArn, 1);

    // Act: the stop emits the next events only after the listener is gone.
    unsubscribe();
    await ecs.send(new StopTaskCommand({ task: taskArn }));
    await waitForEvents(all, taskArn, 4);

    // Assess
    expect(versionsOf(early)).toEqual([1]);
    expect(versionsOf(all)).toEqual([1, 2, 3, 4]);
  });

  it('survives a listener that throws or rejects, reports it to the logger and keeps the other listeners fed', async () => {
    // Prepare
    const logged: string[] = [];
    const { ecs, emulator } = await start({ logger: { error: (message) => logged.push(message) } });
    emulator.onTaskStateChange(() => {
      throw new Error('sync boom');
    });
    emulator.onTaskStateChange(async () => {
      throw new Error('async boom');
    });
    const received = collectEvents(emulator);

    // Act
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForStatus(ecs, taskArn, 'RUNNING');
    await emulator.events.idle();

    // Assess
    expect(versionsOf(await waitForEvents(received, taskArn, 4))).toEqual([1, 2, 3, 4]);
    expect(logged).toHaveLength(8);
    expect(logged[0]).toContain(taskArn);
  });

  it('lets idle() wait for slow async listeners to finish', async () => {
    // Prepare
    const { ecs, emulator } = await start();
    const finished: number[] = [];
    emulator.onTaskStateChange(async (event) => {
      await sleep(30);
      finished.push(event.detail.version);
    });
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForStatus(ecs, taskArn, 'RUNNING');

    // Act
    await emulator.events.idle();

    // Assess
    expect([...finished].sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('ECS emulator event delivery modes', () => {
  it('delivers every event twice, with the same id, when duplicate is on', async () => {
    // Prepare
    const { ecs, emulator } = await start({ events: { duplicate: true } });
    const received = collectEvents(emulator);

    // Act
    const { taskArn = '' } = await runOneTask(ecs);
    const events = await waitForEvents(received, taskArn, 8);

    // Assess
    expect(versionsOf(events)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(events[0]?.id).toBe(events[1]?.id);
    expect(events[0]?.id).not.toBe(events[2]?.id);
    expect(emulator.events.emitted().filter((event) => event.detail.taskArn === taskArn)).toHaveLength(4);
  });

  it('duplicates some events, the same ones for the same seed, when duplicate is a probability', async () => {
    // Prepare
    const duplicatedVersions = async (): Promise<number[]> => {
      const { ecs, emulator } = await start({ events: { duplicate: 0.5, seed: 7 } });
      const received = collectEvents(emulator);
      const { taskArn = '' } = await runOneTask(ecs);
      // Stopping only once RUNNING makes every run emit the same nine events, so the draws line up.
      await waitForStatus(ecs, taskArn, 'RUNNING');
      await ecs.send(new StopTaskCommand({ task: taskArn }));
      await waitForStatus(ecs, taskArn, 'STOPPED');
      await emulator.events.idle();
      const versions = versionsOf(received);
      await harness?.close();
      return versions.filter((version, index) => versions.indexOf(version) !== index);
    };

    // Act
    const first = await duplicatedVersions();
    const second = await duplicatedVersions();

    // Assess
    expect(first).toEqual(second);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(9);
  });

  it('delivers out of order when reorder is on, and detail.version restores the order', async () => {
    // Prepare
    const { ecs, emulator } = await start({ events: { reorder: true } });
    const received = collectEvents(emulator);

    // Act
    const { taskArn = '' } = await runOneTask(ecs);
    const events = await waitForEvents(received, taskArn, 4);

    // Assess
    expect(versionsOf(events)).toEqual([2, 1, 4, 3]);
    expect(statusesOf(byVersion(events))).toEqual(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING']);
  });

  it('still delivers a held-back event when no successor comes within the reorder window', async () => {
    // Prepare: the task holds in PROVISIONING, so its first event never gets a successor.
    const { ecs, emulator } = await start({
      events: { reorder: true, reorderWindowMs: 20 },
      startMs: HOLD_MS,
    });
    const received = collectEvents(emulator);
    const lateness = lateByUpdatedAt(emulator);

    // Act
    const { taskArn = '' } = await runOneTask(ecs);
    const [first] = await waitForEvents(received, taskArn, 1);

    // Assess
    expect(first?.detail.lastStatus).toBe('PROVISIONING');
    expect(emulator.events.emitted()).toHaveLength(1);
    expect(lateness[0]).toBeGreaterThanOrEqual(15);
  });

  it('delivers events late by delayMs', async () => {
    // Prepare
    const { ecs, emulator } = await start({ events: { delayMs: 150 } });
    const received = collectEvents(emulator);
    const lateness = lateByUpdatedAt(emulator);

    // Act
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForEvents(received, taskArn, 4);

    // Assess
    expect(lateness).toHaveLength(4);
    for (const late of lateness) expect(late).toBeGreaterThanOrEqual(145);
  });

  it('holds events while paused and releases them in reverse on flush', async () => {
    // Prepare
    const { ecs, emulator } = await start();
    const received = collectEvents(emulator);
    emulator.events.pause();
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForStatus(ecs, taskArn, 'RUNNING');
    const deliveredWhilePaused = received.length;
    const held = emulator.events.heldCount;

    // Act
    await emulator.events.flush({ order: 'reverse' });

    // Assess
    expect(deliveredWhilePaused).toBe(0);
    expect(held).toBe(4);
    expect(versionsOf(received)).toEqual([4, 3, 2, 1]);
    expect(emulator.events.heldCount).toBe(0);
  });

  it('delivers what was held in emitted order on resume, then delivers normally', async () => {
    // Prepare
    const { ecs, emulator } = await start();
    const received = collectEvents(emulator);
    emulator.events.pause();
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForStatus(ecs, taskArn, 'RUNNING');

    // Act
    await emulator.events.resume();
    await ecs.send(new StopTaskCommand({ task: taskArn }));
    const events = await waitForEvents(received, taskArn, 9);

    // Assess
    expect(versionsOf(events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('goes back to plain delivery after reset()', async () => {
    // Prepare
    const { ecs, emulator } = await start({ events: { duplicate: true, reorder: true } });
    const received = collectEvents(emulator);
    emulator.events.reset();

    // Act
    const { taskArn = '' } = await runOneTask(ecs);
    await waitForStatus(ecs, taskArn, 'RUNNING');
    await emulator.events.idle();

    // Assess
    expect(versionsOf(received)).toEqual([1, 2, 3, 4]);
  });
});
