import type { PlannedExit } from './exit-plan';
import type { Cancel, Scheduler } from './scheduler';
import {
  AttachmentStatus,
  ContainerStatus,
  DesiredStatus,
  StopCode,
  type TaskState,
  TaskStatus,
} from './task-model';

export interface LifecycleTimings {
  /** Total time from PROVISIONING to RUNNING. */
  readonly startMs: number;
  /** Total time from the stop request to STOPPED. */
  readonly stopMs: number;
}

export interface StopRequest {
  readonly stopCode: StopCode;
  readonly stoppedReason: string;
}

export interface CrashRequest {
  readonly exitCode: number;
  readonly reason?: string;
  readonly containerName?: string;
}

export interface LifecycleDeps {
  readonly scheduler: Scheduler;
  readonly timings: LifecycleTimings;
  readonly now: () => number;
  /** Called after every change of state, once the task's version has been raised. */
  readonly onChange: (task: TaskState) => void;
}

const startSteps = [TaskStatus.Pending, TaskStatus.Activating, TaskStatus.Running] as const;

/** Exit code of containers that were still running when their task was stopped: a clean SIGTERM exit. */
const gracefulExitCode = 0;

/** Walks tasks through the ECS states on timers. */
export class TaskLifecycle {
  private readonly pending = new Map<string, Cancel>();

  constructor(private readonly deps: LifecycleDeps) {}

  /**
   * Announces a freshly created PROVISIONING task and starts it, or fails it with `failToStart`.
   * With `exit`, its essential container exits by itself that long after RUNNING (see exit-plan.ts).
   */
  begin(task: TaskState, failToStart?: string, exit?: PlannedExit): void {
    this.deps.onChange(task);
    const interval = this.deps.timings.startMs / startSteps.length;
    if (failToStart === undefined) {
      const exitLater =
        exit && (() => this.later(task, exit.afterMs, () => this.crash(task, { exitCode: exit.exitCode })));
      this.walk(task, startSteps, interval, exitLater);
      return;
    }
    this.walk(task, [TaskStatus.Pending], interval, () => {
      this.later(task, interval, () => this.failToStart(task, failToStart));
    });
  }

  /** Requests a stop; false when the task is already on its way to STOPPED. */
  stop(task: TaskState, request: StopRequest): boolean {
    if (task.desiredStatus === DesiredStatus.Stopped) return false;
    this.cancelPending(task);
    const steps = stopStepsFrom(task.lastStatus);
    task.desiredStatus = DesiredStatus.Stopped;
    task.stoppingAt = this.deps.now();
    task.stopCode = request.stopCode;
    task.stoppedReason = request.stoppedReason;
    this.changed(task);
    this.walk(task, steps, this.deps.timings.stopMs / steps.length);
    return true;
  }

  /** An essential container exits on its own; the task follows it down. */
  crash(task: TaskState, request: CrashRequest): void {
    const container =
      request.containerName === undefined
        ? (task.containers.find((candidate) => candidate.essential) ?? task.containers[0])
        : task.containers.find((candidate) => candidate.name === request.containerName);
    if (container !== undefined) {
      container.lastStatus = ContainerStatus.Stopped;
      container.exitCode = request.exitCode;
      container.reason = request.reason;
    }
    this.stop(task, {
      stopCode: StopCode.EssentialContainerExited,
      stoppedReason: 'Essential container in task exited',
    });
  }

  /** Forgets every scheduled step (the scheduler itself cancels the timers on close). */
  dispose(): void {
    this.pending.clear();
  }

  private failToStart(task: TaskState, reason: string): void {
    for (const container of task.containers) container.reason = reason;
    this.stop(task, { stopCode: StopCode.TaskFailedToStart, stoppedReason: reason });
  }

  private walk(task: TaskState, steps: readonly TaskStatus[], interval: number, done?: () => void): void {
    const [next, ...rest] = steps;
    if (next === undefined) {
      done?.();
      return;
    }
    this.later(task, interval, () => {
      this.enter(task, next);
      this.walk(task, rest, interval, done);
    });
  }

  private later(task: TaskState, delayMs: number, step: () => void): void {
    const cancel = this.deps.scheduler.schedule(delayMs, () => {
      this.pending.delete(task.taskArn);
      step();
    });
    this.pending.set(task.taskArn, cancel);
  }

  private cancelPending(task: TaskState): void {
    this.pending.get(task.taskArn)?.();
    this.pending.delete(task.taskArn);
  }

  private enter(task: TaskState, status: TaskStatus): void {
    const now = this.deps.now();
    task.lastStatus = status;
    applyStatusEffects(task, status, now);
    this.changed(task);
  }

  private changed(task: TaskState): void {
    task.version += 1;
    task.updatedAt = this.deps.now();
    this.deps.onChange(task);
  }
}

/** Stop steps depend on how far the task got: there is nothing to deactivate before it ran. */
function stopStepsFrom(status: TaskStatus): TaskStatus[] {
  switch (status) {
    case TaskStatus.Provisioning:
      return [TaskStatus.Deprovisioning, TaskStatus.Stopped];
    case TaskStatus.Pending:
      return [TaskStatus.Stopping, TaskStatus.Deprovisioning, TaskStatus.Stopped];
    default:
      return [TaskStatus.Deactivating, TaskStatus.Stopping, TaskStatus.Deprovisioning, TaskStatus.Stopped];
  }
}

function applyStatusEffects(task: TaskState, status: TaskStatus, now: number): void {
  switch (status) {
    case TaskStatus.Pending:
      task.networkInterface.status = AttachmentStatus.Attached;
      task.connectivityAt = now;
      task.pullStartedAt = now;
      return;
    case TaskStatus.Activating:
      task.pullStoppedAt = now;
      return;
    case TaskStatus.Running:
      task.startedAt = now;
      for (const container of task.containers) container.lastStatus = ContainerStatus.Running;
      return;
    case TaskStatus.Deprovisioning:
      task.executionStoppedAt = now;
      stopContainers(task);
      if (task.networkInterface.status === AttachmentStatus.Attached) {
        task.networkInterface.status = AttachmentStatus.Detaching;
      }
      return;
    case TaskStatus.Stopped:
      task.stoppedAt = now;
      task.networkInterface.status = AttachmentStatus.Deleted;
      return;
    default:
      return;
  }
}

function stopContainers(task: TaskState): void {
  for (const container of task.containers) {
    if (container.lastStatus === ContainerStatus.Running) container.exitCode = gracefulExitCode;
    container.lastStatus = ContainerStatus.Stopped;
  }
}
