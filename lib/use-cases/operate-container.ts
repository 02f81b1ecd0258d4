import type { Container, Trigger } from '../domain/container';
import { isTransitional } from '../domain/container-status';
import { runIdFor } from '../domain/job';
import { type Operation, type PlannedTransition, planOperation } from '../domain/operations';
import { type Transition, transition } from '../domain/transition';
import { VersionConflictError } from '../ports/container-repository';
import type { Actor, RuntimeDependencies } from './dependencies';
import { loadContainer, retryOnConflict } from './load-container';
import { requireLastUse, requireVersion } from './precondition';
import { runtimeFailure } from './runtime-failure';

export interface OperateContainerInput {
  readonly actor: Actor;
  readonly containerId: string;
  readonly operation: Operation;
  /** The version the caller last saw (If-Match); another is PRECONDITION_FAILED. */
  readonly expectedVersion?: number | undefined;
  /** The last use the caller saw (a bulk operation that selected by idleness); another is PRECONDITION_FAILED. */
  readonly expectedLastUsedAt?: string | undefined;
  /**
   * Who asks, for the log entry: a user through the API, or a weekly schedule acting for the
   * owner, with why and what it adds to the entry's metadata. @default user
   */
  readonly trigger?: {
    readonly by: Trigger;
    readonly reason: string;
    readonly metadata?: Record<string, unknown>;
  };
}

/** Pause on Fargate stops the compute: what is kept, and what is not, travels with the log entry. */
const pauseNote = {
  kept: ['configuration', 'persistent volume'],
  lost: ['memory', 'processes'],
  note: 'Fargate cannot freeze a task: pause stops it and resume starts a new one from the same definition.',
};

/**
 * An operation runs or stops a task, never anything else; it reads the container (again, after a
 * lost race to note its task) and writes its transitions and what it learns of the task.
 */
export type OperateContainerDependencies = RuntimeDependencies<
  'runTask' | 'stopTask',
  'getContainer' | 'saveTransition' | 'saveWithoutTransition'
>;

/**
 * Accepts start, stop, force-stop, restart, pause or resume: records the transition, then asks
 * the runtime. The transition is written first so that a task never runs unrecorded; when the
 * runtime call fails, a second transition puts the container back and says why.
 */
export async function operateContainer(
  deps: OperateContainerDependencies,
  input: OperateContainerInput,
): Promise<Transition> {
  const { step, plan } = await retryOnConflict(async () => {
    const container = await loadContainer(deps.repository, input.actor, input.containerId);
    requireVersion(container, input.expectedVersion);
    requireLastUse(container, input.expectedLastUsedAt);
    const planned = planOperation(container.status, input.operation, container.kind);
    const decided = decide(deps, container, planned, input.trigger);
    // A banned owner may still stop what runs, but start nothing new.
    const startsWork = planned.runtimeCall === 'run-task' || planned.operation === 'restart';
    await deps.repository.saveTransition(decided, { ownerMustBeInGoodStanding: startsWork });
    return { step: decided, plan: planned };
  });
  await completeOperation(deps, step, plan);
  return step;
}

/**
 * The second half of an accepted operation: the runtime call its transition needs. When the call
 * fails, the transition is undone (and logged) and the contract error is thrown.
 */
export async function completeOperation(
  deps: OperateContainerDependencies,
  step: Transition,
  plan: PlannedTransition,
): Promise<void> {
  try {
    await callRuntime(deps, step, plan);
  } catch (error) {
    const failure = runtimeFailure(error, step.after.id, step.log.id);
    await revert(deps, step, failure.message, failure.code);
    throw failure;
  }
}

function decide(
  deps: OperateContainerDependencies,
  container: Container,
  plan: PlannedTransition,
  trigger: OperateContainerInput['trigger'],
): Transition {
  const now = deps.clock.now().toISOString();
  const transitionId = deps.ids.transitionId(container.id, container.version + 1);
  const startsTask = plan.runtimeCall === 'run-task';
  return transition(container, {
    to: plan.to,
    at: now,
    recordedAt: now,
    transitionId,
    triggeredBy: trigger?.by ?? 'user',
    operation: plan.operation,
    reason: trigger?.reason ?? `${plan.operation} requested`,
    metadata: {
      ...(plan.operation === 'pause' || plan.operation === 'resume' ? pauseNote : {}),
      ...trigger?.metadata,
    },
    pendingOperation: isTransitional(plan.to)
      ? { operation: plan.operation, requestedAt: now, transitionId }
      : null,
    changes: {
      lastUsedAt: now,
      lastActivitySource: 'operation',
      // A new task is named by the transition that launches it; see Container.launchVersion.
      // A start or resume begins a run, from which its maximum lifetime counts; a restart does not.
      ...(startsTask
        ? { launchVersion: container.version + 1, task: null, ipAddress: null, startedAt: now }
        : {}),
      // A job's start begins a new run, named by its launch.
      ...(startsTask && container.kind === 'job'
        ? { runId: runIdFor(container.version + 1), exitCode: null }
        : {}),
      ...(plan.to === 'stopped' ? { ipAddress: null } : {}),
    },
  });
}

async function callRuntime(
  deps: OperateContainerDependencies,
  step: Transition,
  plan: PlannedTransition,
): Promise<void> {
  const { before, after } = step;
  const taskArn = before.task?.arn ?? null;
  switch (plan.runtimeCall) {
    case 'run-task': {
      const launched = await deps.runtime.runTask({
        containerId: after.id,
        taskDefinitionArn: requireTaskDefinition(after),
        launchVersion: after.version,
      });
      await recordLaunchedTask(deps, after, launched.taskArn, launched.lastStatus);
      return;
    }
    case 'stop-task':
    case 'stop-task-if-any':
      if (taskArn && before.task?.lastStatus !== 'STOPPED') {
        await deps.runtime.stopTask({ taskArn, reason: stopReason(step) });
      }
      return;
    case 'none':
      return;
  }
}

/** What ECS shows as the task's stoppedReason: who asked, and why. */
function stopReason(step: Transition): string {
  const { triggeredBy, operation, reason } = step.log;
  return triggeredBy === 'user' ? `${operation} requested through the API` : `${triggeredBy}: ${reason}`;
}

export function requireTaskDefinition(container: Container): string {
  if (!container.taskDefinitionArn) throw new Error(`container ${container.id} has no task definition`);
  return container.taskDefinitionArn;
}

/**
 * Notes the new task's ARN at once, so that a stop that follows before ECS's first event can
 * name the task. If something else already moved the container on, its write wins; the task
 * events carry the ARN as well.
 */
export async function recordLaunchedTask(
  deps: OperateContainerDependencies,
  container: Container,
  taskArn: string,
  lastStatus: string,
): Promise<void> {
  if (container.task?.arn === taskArn) return;
  const observed: Container = {
    ...container,
    task: {
      arn: taskArn,
      lastStatus,
      desiredStatus: 'RUNNING',
      stopCode: null,
      stoppedReason: null,
      eventVersion: 0,
    },
  };
  try {
    await deps.repository.saveWithoutTransition(container, observed);
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    await stopIfUnwanted(deps, container, taskArn);
  }
}

/**
 * After a lost race to note a new task: if the container moved on and no longer wants that task
 * (a stop, force-stop or delete came while RunTask was in flight, and could not name the task),
 * stop it now rather than leave it to an event that might never come.
 */
async function stopIfUnwanted(
  deps: OperateContainerDependencies,
  launchedFor: Container,
  taskArn: string,
): Promise<void> {
  const current = await deps.repository.getContainer(launchedFor.id);
  const stillWanted =
    current !== undefined &&
    current.launchVersion === launchedFor.launchVersion &&
    ['starting', 'resuming', 'restarting', 'running'].includes(current.status);
  if (!stillWanted)
    await deps.runtime.stopTask({ taskArn, reason: 'the container no longer wants this task' });
}

/** Puts the container back where it was before a runtime call that failed, and logs why. */
async function revert(
  deps: OperateContainerDependencies,
  step: Transition,
  reason: string,
  code: string,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const undo = transition(step.after, {
    to: step.before.status,
    at: now,
    recordedAt: now,
    transitionId: deps.ids.transitionId(step.after.id, step.after.version + 1),
    triggeredBy: step.log.triggeredBy,
    operation: step.log.operation,
    reason: `${step.log.operation} failed and was undone: ${reason}`,
    metadata: { undone_transition_id: step.log.id, error_code: code },
    changes: {
      task: step.before.task,
      ipAddress: step.before.ipAddress,
      launchVersion: step.before.launchVersion,
      startedAt: step.before.startedAt,
      runId: step.before.runId,
      exitCode: step.before.exitCode,
    },
    // The job run the undone start began never ran: its record ends failed, with the reason.
    ...(step.run && step.run.runId !== step.before.runId
      ? {
          run: {
            ...step.run,
            status: 'failed',
            finishedAt: now,
            statusReason: `${step.log.operation} failed and was undone: ${reason}`,
          },
        }
      : {}),
  });
  try {
    await deps.repository.saveTransition(undo);
  } catch (error) {
    // Another writer moved the container on (a force-stop, an event): its state stands.
    if (!(error instanceof VersionConflictError)) throw error;
  }
}
