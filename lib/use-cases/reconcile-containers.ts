import type { Container, TaskSnapshot } from '../domain/container';
import { type ContainerStatus, isTransitional } from '../domain/container-status';
import { transition } from '../domain/transition';
import type { TaskState } from '../ports/container-runtime';
import type { RuntimeDependencies } from './dependencies';
import {
  handleTaskStateChange,
  type TaskStateChange,
  type TaskStateChangeDependencies,
} from './handle-task-state-change';
import { retryOnConflict } from './load-container';
import { passSettings, type SweepFailure, sweepAndCount } from './sweep-due-containers';

export interface ReconcileInput {
  /** Start no new work after this time; the next run carries on where this one stopped. */
  readonly stopBy: Date;
  /** Containers looked at once, to stay inside ECS's DescribeTasks rate. @default 5 */
  readonly concurrency?: number;
  /** Entries read per query. @default 50 */
  readonly pageSize?: number;
}

export type ReconcileFailure = SweepFailure;

export interface ReconcileSummary {
  /** Containers read from the index as settling past the limit. */
  readonly examined: number;
  /** Moved on: a transition out of their transitional status, or a restart's second task launched. */
  readonly settled: number;
  /** Left as they are: still on their way, or changed since they were read. The next run looks again. */
  readonly left: number;
  /** ECS or DynamoDB failed for them; the next run tries again. */
  readonly failed: number;
  /** The first failures, for the log. */
  readonly failures: readonly ReconcileFailure[];
  /** False when the time ran out before every shard was read. */
  readonly complete: boolean;
}

/**
 * A task that is still provisioning is left alone until its container has waited this many times
 * the settle limit; after that it is stopped and the container goes to `error`.
 */
export const startGraceFactor = 3;

type Outcome = 'settled' | 'left';

/** DescribeTasks and StopTask here, and what an event would do ({@link handleTaskStateChange}). */
export type ReconcileDependencies = RuntimeDependencies<
  'describeTask' | 'stopTask',
  'listSettling' | 'scheduleShards' | 'getContainer' | 'saveTransition'
> &
  TaskStateChangeDependencies;

/**
 * Settles containers whose ECS event never came. A container in a transitional status for longer
 * than `settings.settleAfterSeconds` is looked up in ECS, and what ECS says now goes through the
 * same rules as an event ({@link handleTaskStateChange}), logged as triggered by the reconciler.
 * What an event cannot say is settled here: a task ECS no longer knows, a launch that never
 * reached ECS, a task that never finished provisioning. The work list is a sparse index of
 * settling containers by last transition, so the reads grow with what is due, never with the fleet.
 */
export async function reconcileContainers(
  deps: ReconcileDependencies,
  input: ReconcileInput,
): Promise<ReconcileSummary> {
  const now = deps.clock.now();
  const upTo = new Date(now.getTime() - deps.settings.settleAfterSeconds * 1000).toISOString();
  const { examined, count, failures, complete } = await sweepAndCount<Outcome>({
    list: (query) => deps.repository.listSettling(query),
    ...passSettings(deps, input),
    upTo,
    work: (listed) => reconcileContainer(deps, listed.id, upTo),
  });
  return {
    examined,
    settled: count('settled'),
    left: count('left'),
    failed: count('failed'),
    failures,
    complete,
  };
}

/**
 * What to do about one container, decided from what ECS says about its task:
 * - `report`: what ECS says goes through the task event rules;
 * - `settle`: a transition made here, after stopping the task when `stopTask` says so;
 * - `stop-again`: the container waits for its task to stop but ECS was never told: tell it again;
 * - `leave`: the task is on its way; nothing to do yet.
 */
export type Verdict =
  | { readonly kind: 'report'; readonly state: TaskState }
  | {
      readonly kind: 'settle';
      readonly to: ContainerStatus;
      readonly reason: string;
      readonly stopTask: boolean;
    }
  | { readonly kind: 'stop-again'; readonly taskArn: string }
  | { readonly kind: 'leave'; readonly why: string };

/** Statuses that end when their task stops, and the status each ends in. */
const stoppedEnds: Partial<Record<ContainerStatus, ContainerStatus>> = {
  stopping: 'stopped',
  pausing: 'paused',
};

/**
 * The reconciler's decision for a container past the settle limit. `state` is what ECS says about
 * the container's task: undefined when ECS no longer knows it, null when no task was ever recorded.
 * `waitedMs` is how long the container has been in its status.
 */
export function judge(
  container: Container,
  state: TaskState | undefined | null,
  waitedMs: number,
  settleAfterMs: number,
): Verdict {
  const awaitsRunning = awaitsItsTask(container);
  if (state === null) {
    const end = stoppedEnds[container.status];
    if (end)
      return { kind: 'settle', to: end, reason: 'no task was ever recorded, so none runs', stopTask: false };
    return {
      kind: 'settle',
      to: 'error',
      reason: 'no task was launched: the request ended before ECS was asked; start the container again',
      stopTask: false,
    };
  }
  if (state === undefined) {
    const end = stoppedEnds[container.status] ?? 'error';
    return { kind: 'settle', to: end, reason: 'ECS no longer knows the task', stopTask: false };
  }
  if (!awaitsRunning) {
    if (state.lastStatus === 'STOPPED') return { kind: 'report', state };
    if (state.desiredStatus === 'RUNNING') return { kind: 'stop-again', taskArn: state.taskArn };
    return { kind: 'leave', why: `the task is on its way to STOPPED (${state.lastStatus})` };
  }
  // What ECS reports goes through the task event rules, a restarted task that stopped included.
  if (state.lastStatus === 'STOPPED') return { kind: 'report', state };
  if (state.desiredStatus !== 'RUNNING') {
    return { kind: 'leave', why: `the task is on its way to STOPPED (${state.lastStatus})` };
  }
  if (state.lastStatus === 'RUNNING') return { kind: 'report', state };
  const graceMs = startGraceFactor * settleAfterMs;
  if (waitedMs <= graceMs) return { kind: 'leave', why: `the task is still starting (${state.lastStatus})` };
  return {
    kind: 'settle',
    to: 'error',
    reason: `the task did not reach RUNNING within ${graceMs / 1000} s (it was ${state.lastStatus})`,
    stopTask: true,
  };
}

/**
 * Whether the container waits for its current task to run. During a restart it first waits for
 * the old task to stop; only once the new task is launched (its launch is the restarting
 * transition itself) does it wait for a task to run.
 */
function awaitsItsTask(container: Container): boolean {
  if (container.status === 'restarting') return container.launchVersion === container.version;
  return stoppedEnds[container.status] === undefined;
}

async function reconcileContainer(deps: ReconcileDependencies, id: string, upTo: string): Promise<Outcome> {
  return retryOnConflict(async () => {
    // The index may lag: decide on the container as it is now.
    const container = await deps.repository.getContainer(id);
    if (!container || !isTransitional(container.status)) return 'left';
    if (Date.parse(container.lastTransitionAt) > Date.parse(upTo)) return 'left';
    const taskArn = container.task?.arn ?? null;
    const state = taskArn === null ? null : await deps.runtime.describeTask(taskArn);
    const now = deps.clock.now();
    const waitedMs = now.getTime() - Date.parse(container.lastTransitionAt);
    const verdict = judge(container, state, waitedMs, deps.settings.settleAfterSeconds * 1000);
    switch (verdict.kind) {
      case 'report':
        return report(deps, container, verdict.state, now);
      case 'stop-again':
        await deps.runtime.stopTask({
          taskArn: verdict.taskArn,
          reason: `the container is ${container.status}: stop requested again by the reconciler`,
        });
        return 'left';
      case 'leave':
        return 'left';
      case 'settle':
        if (verdict.stopTask && taskArn) {
          await deps.runtime.stopTask({ taskArn, reason: `the reconciler gave up: ${verdict.reason}` });
        }
        await settle(deps, container, state, verdict, now);
        return 'settled';
    }
  });
}

/** What ECS says now, as if its event had come: the same rules apply. */
async function report(
  deps: ReconcileDependencies,
  container: Container,
  state: TaskState,
  now: Date,
): Promise<Outcome> {
  if (container.launchVersion === null) return 'left';
  const change: TaskStateChange = {
    taskArn: state.taskArn,
    lastStatus: state.lastStatus,
    desiredStatus: state.desiredStatus,
    launch: { containerId: container.id, launchVersion: container.launchVersion },
    // Without ECS's counter, a state one newer than the last applied.
    version: state.version ?? (container.task?.eventVersion ?? 0) + 1,
    startedAt: undefined,
    stoppedAt: undefined,
    updatedAt: undefined,
    stopCode: state.stopCode,
    stoppedReason: state.stoppedReason,
    exitCode: state.exitCode,
    ipAddress: state.ipAddress,
    time: now.toISOString(),
    reportedBy: 'reconciler',
  };
  const outcome = await handleTaskStateChange(deps, change);
  return outcome.kind === 'transitioned' || outcome.kind === 'relaunched' ? 'settled' : 'left';
}

async function settle(
  deps: ReconcileDependencies,
  container: Container,
  state: TaskState | undefined | null,
  verdict: Extract<Verdict, { kind: 'settle' }>,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const task = taskAfter(container.task, state);
  await deps.repository.saveTransition(
    transition(container, {
      to: verdict.to,
      at,
      recordedAt: at,
      transitionId: deps.ids.transitionId(container.id, container.version + 1),
      triggeredBy: 'reconciler',
      operation: container.pendingOperation?.operation ?? null,
      reason: verdict.reason,
      metadata: {
        task_arn: container.task?.arn ?? null,
        last_status: task?.lastStatus ?? null,
        waited_seconds: Math.round((now.getTime() - Date.parse(container.lastTransitionAt)) / 1000),
      },
      changes: { task, ipAddress: null },
    }),
  );
}

/** The task as the settled container records it: what ECS said, or MISSING when ECS forgot it. */
function taskAfter(task: TaskSnapshot | null, state: TaskState | undefined | null): TaskSnapshot | null {
  if (!task || state === null) return task;
  if (state === undefined) return { ...task, lastStatus: 'MISSING', desiredStatus: 'STOPPED' };
  return {
    arn: state.taskArn,
    lastStatus: state.lastStatus,
    desiredStatus: state.desiredStatus,
    stopCode: state.stopCode ?? null,
    stoppedReason: state.stoppedReason ?? null,
    eventVersion: Math.max(task.eventVersion, state.version ?? 0),
  };
}
