import type { Container } from '../domain/container';
import { DomainError } from '../domain/errors';
import { latestTransitionBetween, nextTransition, type ScheduleAction } from '../domain/schedule';
import type { PagePosition } from '../ports/container-repository';
import type { ScheduleRepository, StoredSchedule } from '../ports/schedule-repository';
import type { RuntimeDependencies } from './dependencies';
import { operateContainer } from './operate-container';
import { passSettings, sweepDueContainers } from './sweep-due-containers';

export type ApplySchedulesDependencies = RuntimeDependencies & { readonly schedules: ScheduleRepository };

export interface ApplySchedulesInput {
  /** Start no new work after this time; the next run carries on where this one stopped. */
  readonly stopBy: Date;
  /** Schedules worked on at once. @default 5 */
  readonly concurrency?: number;
  /** Entries read per query. @default 50 */
  readonly pageSize?: number;
}

export interface ApplySchedulesSummary {
  /** Due schedules read from the index. */
  readonly schedules: number;
  readonly started: number;
  readonly stopped: number;
  /** Containers the transition did not apply to (already stopped, expired, deleted, ...). */
  readonly skipped: number;
  /** ECS refused the start or stop: the schedule is not moved on, so the next run tries again. */
  readonly failed: number;
  /** Schedules of containers that no longer exist or have expired, removed. */
  readonly removed: number;
  /** False when the time ran out before every shard was read. */
  readonly complete: boolean;
}

type ContainerOutcome = 'started' | 'stopped' | 'skipped' | 'failed';

/** The statuses a start or stop of the schedule is refused from are skipped: nothing to do. */
const notApplicable = new Set([
  'OPERATION_STATE_CONFLICT',
  'OPERATION_NOT_PERMITTED_ON_EXPIRED',
  'CONTAINER_NOT_FOUND',
  'ACCOUNT_BANNED',
  'PRECONDITION_FAILED',
]);

/**
 * Acts on every weekly schedule whose next transition is due: starts or stops its container (or
 * every container of its project that has no schedule of its own) through the same transition as
 * a user's operation, logged `triggered_by: schedule`, then moves the schedule on to its next
 * transition. A sweep that comes late does what the latest due transition says, once. The work list
 * is the sparse `SCHEDULE#<shard>` partitions of gsi5, so reads grow with what is due.
 *
 * A schedule is moved on only when every container was handled: when ECS refused one, the next
 * run applies the transition again, and the containers already handled are skipped then.
 */
export async function applySchedules(
  deps: ApplySchedulesDependencies,
  input: ApplySchedulesInput,
): Promise<ApplySchedulesSummary> {
  const now = deps.clock.now();
  const tally: Record<ContainerOutcome | 'removed', number> = {
    started: 0,
    stopped: 0,
    skipped: 0,
    failed: 0,
    removed: 0,
  };
  const settings = passSettings(deps, input);
  const { outcomes, complete } = await sweepDueContainers<void, StoredSchedule>({
    ...settings,
    shards: deps.schedules.shards,
    list: (query) => deps.schedules.listDue(query),
    upTo: now.toISOString(),
    work: async (schedule) => {
      try {
        await applySchedule(deps, schedule, now, input.stopBy, tally);
      } catch {
        // One schedule's failure must not hold up the others; it stays due, and the next run retries.
        tally.failed += 1;
      }
    },
  });
  return { schedules: outcomes.length, ...tally, complete };
}

async function applySchedule(
  deps: ApplySchedulesDependencies,
  schedule: StoredSchedule,
  now: Date,
  stopBy: Date,
  tally: Record<ContainerOutcome | 'removed', number>,
): Promise<void> {
  if (!schedule.next || Date.parse(schedule.next.at) > now.getTime()) return;
  const due = latestTransitionBetween(schedule, Date.parse(schedule.next.at) - 1, now.getTime());
  const action = due?.action ?? schedule.next.action;
  const reason = `${action} at ${new Date(due?.at ?? Date.parse(schedule.next.at)).toISOString()} by the ${schedule.target.source} schedule (${schedule.timeZone})`;
  let handledAll = true;
  if (schedule.target.source === 'container') {
    const container = await deps.repository.getContainer(schedule.target.containerId);
    if (!container || container.status === 'expired') {
      // The container is gone or read-only: its schedule has nothing left to act on.
      await deps.schedules.delete(schedule.target);
      tally.removed += 1;
      return;
    }
    const outcome = await operateForSchedule(deps, container.ownerId, container.id, action, reason);
    tally[outcome] += 1;
    handledAll = outcome !== 'failed';
  } else {
    handledAll = await applyToProject(deps, schedule, action, reason, stopBy, tally);
  }
  if (!handledAll) return;
  const next = nextTransition(schedule, now.getTime());
  await deps.schedules.advance(
    schedule,
    next ? { at: new Date(next.at).toISOString(), action: next.action } : null,
  );
}

/** Every container of the project without a schedule of its own; false if one was not handled. */
async function applyToProject(
  deps: ApplySchedulesDependencies,
  schedule: StoredSchedule,
  action: ScheduleAction,
  reason: string,
  stopBy: Date,
  tally: Record<ContainerOutcome | 'removed', number>,
): Promise<boolean> {
  const { ownerId, projectId } = schedule.target;
  let handledAll = true;
  let start: PagePosition | undefined;
  do {
    // Out of time: the schedule stays due and the next run goes through the project again.
    if (deps.clock.now() >= stopBy) return false;
    const page = await deps.repository.listContainers({ ownerId, projectId, order: 'asc', limit: 50, start });
    const own = await deps.schedules.containersWithOwnSchedule(page.items.map((container) => container.id));
    for (const container of page.items) {
      if (own.has(container.id)) continue;
      const outcome = await operateForSchedule(deps, ownerId, container.id, action, reason);
      tally[outcome] += 1;
      if (outcome === 'failed') handledAll = false;
    }
    start = page.next;
  } while (start);
  return handledAll;
}

/**
 * The user's operation, asked for by the schedule on the owner's behalf. It re-reads the
 * container, so a status seen in an index is never trusted; a status the action does not apply
 * to (a start of a running container) is skipped.
 */
async function operateForSchedule(
  deps: ApplySchedulesDependencies,
  ownerId: string,
  containerId: Container['id'],
  action: ScheduleAction,
  reason: string,
): Promise<ContainerOutcome> {
  try {
    await operateContainer(deps, {
      actor: { id: ownerId, isAdmin: false },
      containerId,
      operation: action,
      trigger: { by: 'schedule', reason, metadata: { schedule_action: action } },
    });
    return action === 'start' ? 'started' : 'stopped';
  } catch (error) {
    if (error instanceof DomainError && notApplicable.has(error.code)) return 'skipped';
    return 'failed';
  }
}
