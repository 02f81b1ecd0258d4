import type { Container, TaskSnapshot } from '../domain/container';
import { isContainerId } from '../domain/container-id';
import type { ContainerStatus } from '../domain/container-status';
import { jobOutcome } from '../domain/job';
import { transition } from '../domain/transition';
import type { RuntimeDependencies } from './dependencies';
import { retryOnConflict } from './load-container';
import { recordLaunchedTask, requireTaskDefinition } from './operate-container';

/** What an "ECS Task State Change" event says, once parsed. */
export interface TaskStateChange {
  readonly taskArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** Which container and which of its launches started the task; undefined for other tasks. */
  readonly launch: { readonly containerId: string; readonly launchVersion: number } | undefined;
  /** ECS's own counter: a higher version is a later state of the same task. */
  readonly version: number;
  readonly startedAt: string | undefined;
  readonly stoppedAt: string | undefined;
  readonly updatedAt: string | undefined;
  readonly stopCode: string | undefined;
  readonly stoppedReason: string | undefined;
  readonly exitCode: number | undefined;
  readonly ipAddress: string | undefined;
  /** The envelope's time, when the task gives none. */
  readonly time: string;
  /** Who reports it: ECS's event, or the reconciler asking ECS. @default 'ecs' */
  readonly reportedBy?: 'ecs' | 'reconciler';
}

export type TaskEventOutcome =
  | { readonly kind: 'ignored'; readonly why: string }
  | { readonly kind: 'observed' }
  | { readonly kind: 'transitioned'; readonly from: ContainerStatus; readonly to: ContainerStatus }
  | { readonly kind: 'relaunched' }
  | { readonly kind: 'stopped-stray-task' };

/** Statuses in which the container waits for its task to report RUNNING. */
const awaitingRunning: readonly ContainerStatus[] = ['starting', 'resuming', 'restarting'];
/** Statuses in which no task should be running. */
const atRest: readonly ContainerStatus[] = ['stopped', 'succeeded', 'failed', 'paused', 'error', 'expired'];

/** A task event's second half may be a RunTask (a restart) or a StopTask (a task nobody wants). */
export type TaskStateChangeDependencies = RuntimeDependencies<
  'runTask' | 'stopTask',
  'getContainer' | 'saveTransition' | 'saveWithoutTransition'
>;

/**
 * Ends transitional statuses when ECS reports the task RUNNING or STOPPED, and records what it
 * reports on the way. Events may come twice, late or out of order: an event for another launch of
 * the container, or not newer than the last one applied, changes nothing.
 */
export async function handleTaskStateChange(
  deps: TaskStateChangeDependencies,
  event: TaskStateChange,
): Promise<TaskEventOutcome> {
  const { launch } = event;
  if (!launch || !isContainerId(launch.containerId))
    return { kind: 'ignored', why: 'not a task of this service' };
  const { containerId } = launch;
  return retryOnConflict(async () => {
    const container = await deps.repository.getContainer(containerId);
    if (!container) return stopStray(deps, event, 'its container was deleted');
    if (container.launchVersion !== launch.launchVersion) {
      if (event.desiredStatus === 'RUNNING') return stopStray(deps, event, 'it belongs to an earlier launch');
      return { kind: 'ignored', why: 'an earlier launch of the container' };
    }
    if (container.task?.arn === event.taskArn && event.version <= container.task.eventVersion) {
      return { kind: 'ignored', why: 'a duplicate or stale event' };
    }
    return apply(deps, container, event);
  });
}

async function apply(
  deps: TaskStateChangeDependencies,
  container: Container,
  event: TaskStateChange,
): Promise<TaskEventOutcome> {
  const task: TaskSnapshot = {
    arn: event.taskArn,
    lastStatus: event.lastStatus,
    desiredStatus: event.desiredStatus,
    stopCode: event.stopCode ?? null,
    stoppedReason: event.stoppedReason ?? null,
    eventVersion: event.version,
  };
  if (event.lastStatus === 'RUNNING' && event.desiredStatus === 'RUNNING' && awaitsThisTask(container)) {
    return settle(deps, container, event, 'running', 'the task is running', {
      task,
      ipAddress: event.ipAddress ?? null,
    });
  }
  if (event.lastStatus === 'STOPPED') return applyStopped(deps, container, event, task);
  if (wantsTaskStopped(container) && event.desiredStatus === 'RUNNING') {
    // The container asked for this task to stop before its ARN was known (a stop or force-stop
    // racing the RunTask call), so the StopTask could not be sent then: send it now.
    await deps.repository.saveWithoutTransition(container, { ...container, task });
    await deps.runtime.stopTask({ taskArn: event.taskArn, reason: `the container is ${container.status}` });
    return { kind: 'stopped-stray-task' };
  }
  const ipAddress = event.ipAddress ?? container.ipAddress;
  await deps.repository.saveWithoutTransition(container, { ...container, task, ipAddress });
  return { kind: 'observed' };
}

/** Whether the container's current launch should have no running task. */
function wantsTaskStopped(container: Container): boolean {
  if (atRest.includes(container.status) || container.status === 'stopping' || container.status === 'pausing')
    return true;
  return container.status === 'restarting' && container.launchVersion !== container.version;
}

/**
 * Whether the container waits for the task this event is about to run. During a restart the old
 * task still reports RUNNING while it is asked to stop; only the relaunched task, whose launch
 * is the restarting transition itself, ends the restart.
 */
function awaitsThisTask(container: Container): boolean {
  if (!awaitingRunning.includes(container.status)) return false;
  return container.status !== 'restarting' || container.launchVersion === container.version;
}

async function applyStopped(
  deps: TaskStateChangeDependencies,
  container: Container,
  event: TaskStateChange,
  task: TaskSnapshot,
): Promise<TaskEventOutcome> {
  const stopped = { task, ipAddress: null };
  const why = describeStop(event);
  if (container.kind === 'job') {
    const ended = applyJobStopped(deps, container, event, task, why);
    if (ended) return ended;
  }
  switch (container.status) {
    case 'stopping':
      return settle(deps, container, event, 'stopped', `the task stopped: ${why}`, stopped);
    case 'pausing':
      return settle(deps, container, event, 'paused', `the task stopped for the pause: ${why}`, stopped);
    case 'starting':
    case 'resuming':
      return settle(deps, container, event, 'error', `the task failed to start: ${why}`, stopped);
    case 'running': {
      const clean = event.exitCode === 0;
      return settle(
        deps,
        container,
        event,
        clean ? 'stopped' : 'error',
        `the task exited on its own: ${why}`,
        stopped,
      );
    }
    case 'restarting':
      // The old task's stop lets the restart launch the new one; the new task stopping fails it.
      if (container.launchVersion === container.version) {
        return settle(deps, container, event, 'error', `the restarted task stopped: ${why}`, stopped);
      }
      return relaunch(deps, container, task, event.reportedBy ?? 'ecs');
    default:
      await deps.repository.saveWithoutTransition(container, { ...container, ...stopped });
      return { kind: 'observed' };
  }
}

/**
 * A job's task is meant to end: stopped by itself while the job starts or runs, it ends the run
 * `succeeded` or `failed` by its exit code ({@link jobOutcome}). A stop asked through the API
 * (`stopping`) ends it `stopped`, as for a service, with the exit code noted. Undefined: the
 * service rules apply.
 */
function applyJobStopped(
  deps: TaskStateChangeDependencies,
  container: Container,
  event: TaskStateChange,
  task: TaskSnapshot,
  why: string,
): Promise<TaskEventOutcome> | undefined {
  const changes = { task, ipAddress: null, exitCode: event.exitCode ?? null };
  if (container.status === 'stopping') {
    return settle(deps, container, event, 'stopped', `the task stopped: ${why}`, changes);
  }
  if (container.status !== 'running' && container.status !== 'starting') return undefined;
  const to = jobOutcome(event);
  const reason =
    to === 'succeeded'
      ? `the job ran to completion: ${why}`
      : container.status === 'starting' && event.stopCode === 'TaskFailedToStart'
        ? `the job's task failed to start: ${why}`
        : `the job failed: ${why}`;
  return settle(deps, container, event, to, reason, changes);
}

/** Restart's second half: the old task has stopped, so the new one starts. */
async function relaunch(
  deps: TaskStateChangeDependencies,
  container: Container,
  stoppedTask: TaskSnapshot,
  reportedBy: 'ecs' | 'reconciler',
): Promise<TaskEventOutcome> {
  const relaunched: Container = {
    ...container,
    launchVersion: container.version,
    task: null,
    ipAddress: null,
  };
  await deps.repository.saveWithoutTransition(container, relaunched);
  try {
    const launched = await deps.runtime.runTask({
      containerId: container.id,
      taskDefinitionArn: requireTaskDefinition(container),
      launchVersion: container.version,
    });
    await recordLaunchedTask(deps, relaunched, launched.taskArn, launched.lastStatus);
    return { kind: 'relaunched' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const now = deps.clock.now().toISOString();
    await deps.repository.saveTransition(
      transition(relaunched, {
        to: 'error',
        at: now,
        recordedAt: now,
        transitionId: deps.ids.transitionId(relaunched.id, relaunched.version + 1),
        triggeredBy: reportedBy,
        operation: 'restart',
        reason: `the restart could not start a new task: ${reason}`,
        changes: { task: stoppedTask },
      }),
    );
    return { kind: 'transitioned', from: 'restarting', to: 'error' };
  }
}

async function settle(
  deps: TaskStateChangeDependencies,
  container: Container,
  event: TaskStateChange,
  to: ContainerStatus,
  reason: string,
  changes: Pick<Container, 'task' | 'ipAddress'> & Partial<Pick<Container, 'exitCode'>>,
): Promise<TaskEventOutcome> {
  const at = (to === 'running' ? event.startedAt : event.stoppedAt) ?? event.updatedAt ?? event.time;
  await deps.repository.saveTransition(
    transition(container, {
      to,
      at,
      recordedAt: deps.clock.now().toISOString(),
      transitionId: deps.ids.transitionId(container.id, container.version + 1),
      triggeredBy: event.reportedBy ?? 'ecs',
      operation: container.pendingOperation?.operation ?? null,
      reason,
      metadata: {
        task_arn: event.taskArn,
        last_status: event.lastStatus,
        ...(event.stopCode ? { stop_code: event.stopCode } : {}),
        ...(event.exitCode === undefined ? {} : { exit_code: event.exitCode }),
      },
      changes,
    }),
  );
  return { kind: 'transitioned', from: container.status, to };
}

async function stopStray(
  deps: TaskStateChangeDependencies,
  event: TaskStateChange,
  why: string,
): Promise<TaskEventOutcome> {
  if (event.desiredStatus !== 'RUNNING') return { kind: 'ignored', why };
  await deps.runtime.stopTask({ taskArn: event.taskArn, reason: `stray task: ${why}` });
  return { kind: 'stopped-stray-task' };
}

function describeStop(event: TaskStateChange): string {
  const parts = [event.stoppedReason ?? 'no reason given'];
  if (event.stopCode) parts.push(`stop code ${event.stopCode}`);
  if (event.exitCode !== undefined) parts.push(`exit code ${event.exitCode}`);
  return parts.join(', ');
}
