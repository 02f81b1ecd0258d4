import type { Container } from '../domain/container';
import { platformEventId } from '../domain/event-id';
import { autoStop } from '../domain/idle';
import { planOperation } from '../domain/operations';
import { transition } from '../domain/transition';
import { type ScheduleQuery, VersionConflictError } from '../ports/container-repository';
import type { Dependencies, RepositoryDependencies } from './dependencies';
import { completeOperation, type OperateContainerDependencies } from './operate-container';
import { passSettings, sweepDueContainers } from './sweep-due-containers';

export interface AutoStopInput {
  /** Start no new work after this time; the next run carries on where this one stopped. */
  readonly stopBy: Date;
  /** Stops in flight at once, to stay inside ECS's StopTask rate. @default 5 */
  readonly concurrency?: number;
  /** Entries read per query. @default 50 */
  readonly pageSize?: number;
}

export interface AutoStopSummary {
  /** Due containers read from the index. */
  readonly examined: number;
  readonly stopped: number;
  /** Changed since they were read (used again, stopped by someone else): left as they are. */
  readonly skipped: number;
  /** ECS refused the stop; the transition was undone and the next run tries again. */
  readonly failed: number;
  /** `container.idle-warning` events sent for containers due within the warning time. */
  readonly warned: number;
  /** False when the time ran out before every shard was read. */
  readonly complete: boolean;
}

/** A stop is an operation; the idle warnings are platform events. */
export type AutoStopDependencies = OperateContainerDependencies &
  RepositoryDependencies<'listDueForAutoStop' | 'scheduleShards'> &
  Pick<Dependencies, 'events'>;

/**
 * Stops running containers whose auto-stop deadline has passed: the idle deadline
 * (`last_used_at + idle_timeout_seconds`, or a snooze's end when later), or the end of the run's
 * maximum lifetime when that comes first (see autoStop). The work list is a sparse index
 * keyed by that deadline, so the reads grow with the containers that are due, never with the fleet. Each stop is a transition conditioned on the
 * version and `last_used_at` the index showed: an activity report or another sweep that lands
 * first wins, and this one skips the container.
 */
export async function autoStopIdleContainers(
  deps: AutoStopDependencies,
  input: AutoStopInput,
): Promise<AutoStopSummary> {
  const now = deps.clock.now();
  const sweep = {
    list: (query: ScheduleQuery) => deps.repository.listDueForAutoStop(query),
    ...passSettings(deps, input),
  };
  const stops = await sweepDueContainers({
    ...sweep,
    upTo: now.toISOString(),
    work: (container) => stopIdleContainer(deps, container, now),
  });
  const warningMs = deps.settings.idleWarningSeconds * 1000;
  const warnings =
    warningMs > 0 && stops.complete
      ? await sweepDueContainers({
          ...sweep,
          upTo: new Date(now.getTime() + warningMs).toISOString(),
          work: (container) => warnIdleContainer(deps, container, now),
        })
      : { outcomes: [], complete: stops.complete };
  const count = (outcome: string) => stops.outcomes.filter((each) => each === outcome).length;
  return {
    examined: stops.outcomes.length,
    stopped: count('stopped'),
    skipped: count('skipped'),
    failed: count('failed'),
    warned: warnings.outcomes.filter((each) => each === 'warned').length,
    complete: warnings.complete,
  };
}

/**
 * Sends `container.idle-warning` once per deadline, before the stop. The event goes out first and
 * the mark after it, so a failure between the two sends the warning again rather than losing it;
 * its id is made from the container and the deadline, so that is the same event (the outbox
 * writes it once, and subscribers dedupe on `event_id`).
 */
async function warnIdleContainer(
  deps: AutoStopDependencies,
  container: Container,
  now: Date,
): Promise<'warned' | 'skipped'> {
  const due = autoStop(container);
  if (!due || Date.parse(due.at) <= now.getTime() || container.idleWarningFor === due.at) return 'skipped';
  const deadline = due.at;
  await deps.events.publish([
    {
      type: 'container.idle-warning',
      detail: {
        event_id: platformEventId('container.idle-warning', `${container.id}\n${deadline}`),
        container_id: container.id,
        owner_id: container.ownerId,
        project_id: container.projectId,
        auto_stop_at: deadline,
        last_used_at: container.lastUsedAt,
        idle_seconds: Math.floor((now.getTime() - Date.parse(container.lastUsedAt)) / 1000),
        idle_timeout_seconds: container.idleTimeoutSeconds,
        // A stop for the maximum lifetime comes whatever the use: activity will not put it off.
        auto_stop_cause: due.cause,
        max_lifetime_seconds: container.maxLifetimeSeconds,
      },
    },
  ]);
  try {
    await deps.repository.saveWithoutTransition(container, { ...container, idleWarningFor: deadline });
  } catch (error) {
    // Used or changed meanwhile: its deadline moved, and a new warning will follow if it comes due.
    if (!(error instanceof VersionConflictError)) throw error;
  }
  return 'warned';
}

async function stopIdleContainer(
  deps: AutoStopDependencies,
  container: Container,
  now: Date,
): Promise<'stopped' | 'skipped' | 'failed'> {
  const due = autoStop(container);
  // Not due (snoozed meanwhile, or used): the index entry read was already out of date.
  if (!due || Date.parse(due.at) > now.getTime()) return 'skipped';
  const plan = planOperation(container.status, 'stop');
  const idleSeconds = Math.floor((now.getTime() - Date.parse(container.lastUsedAt)) / 1000);
  const at = deps.clock.now().toISOString();
  const why =
    due.cause === 'max lifetime' ? lifetimeReason(container, now) : idleReason(container, idleSeconds);
  const transitionId = deps.ids.transitionId(container.id, container.version + 1);
  const step = transition(container, {
    to: plan.to,
    at,
    recordedAt: at,
    transitionId,
    triggeredBy: 'auto-stop',
    operation: 'stop',
    reason: why.reason,
    metadata: why.metadata,
    pendingOperation: { operation: 'stop', requestedAt: at, transitionId },
  });
  try {
    await deps.repository.saveTransition(step);
  } catch (error) {
    if (error instanceof VersionConflictError) return 'skipped';
    // One container's failure must not hold up the rest of the sweep; the next run tries again.
    return 'failed';
  }
  try {
    await completeOperation(deps, step, plan);
    return 'stopped';
  } catch {
    return 'failed';
  }
}

function idleReason(container: Container, idleSeconds: number) {
  return {
    reason: `idle for ${idleSeconds} s, past its idle timeout of ${container.idleTimeoutSeconds} s`,
    metadata: { idle_seconds: idleSeconds, idle_timeout_seconds: container.idleTimeoutSeconds },
  };
}

/** A run stopped at its maximum lifetime, whatever its use: how long it ran, and since when. */
function lifetimeReason(container: Container, now: Date) {
  const startedAt = container.startedAt ?? container.lastTransitionAt;
  const ranSeconds = Math.floor((now.getTime() - Date.parse(startedAt)) / 1000);
  return {
    reason: `maximum lifetime of ${container.maxLifetimeSeconds} s reached (running for ${ranSeconds} s)`,
    metadata: {
      max_lifetime_seconds: container.maxLifetimeSeconds,
      run_started_at: startedAt,
      run_seconds: ranSeconds,
    },
  };
}
