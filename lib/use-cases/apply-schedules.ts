import type { Container } from '../domain/container';
import { isTransitional } from '../domain/container-status';
import { DomainError } from '../domain/errors';
import { latestTransitionBetween, nextTransition, type ScheduleAction } from '../domain/schedule';
import { logger } from '../logger';
import type { PagePosition } from '../ports/container-repository';
import type { ScheduleRepository, ScheduleRetry, StoredSchedule } from '../ports/schedule-repository';
import type { RepositoryDependencies } from './dependencies';
import { type OperateContainerDependencies, operateContainer } from './operate-container';
import { errorText, passSettings, sweepDueContainers } from './sweep-due-containers';

export type ApplySchedulesDependencies = OperateContainerDependencies &
  RepositoryDependencies<'listContainers' | 'scheduleShards'> & {
    readonly schedules: ScheduleRepository;
  };

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
  /** Containers mid-transition (or changing too fast to act on): tried again at the next run. */
  readonly deferred: number;
  /** ECS refused the start or stop (or a schedule could not be read): tried again at the next run. */
  readonly failed: number;
  /** Schedules of containers that no longer exist or have expired, removed. */
  readonly removed: number;
  /** Schedules kept due, so that the next run tries the containers this one left. */
  readonly retrying: number;
  /** Schedules moved on after their last run with containers still left: those are logged. */
  readonly abandoned: number;
  /** False when the time ran out before every shard was read. */
  readonly complete: boolean;
}

type ContainerOutcome = 'started' | 'stopped' | 'skipped' | 'deferred' | 'failed';
type Tally = Record<ContainerOutcome | 'removed' | 'retrying' | 'abandoned', number>;

/** Runs that apply one edge at most; then the schedule moves on to its next edge. */
export const maxEdgeAttempts = 5;
/** Containers a schedule keeps to try again; more are given up at once (and logged). */
const maxRetriedContainers = 100;

/** Refusals that say the action does not apply to the container: nothing to do, skipped. */
const notApplicable = new Set([
  'OPERATION_NOT_PERMITTED_ON_EXPIRED',
  'CONTAINER_NOT_FOUND',
  'ACCOUNT_BANNED',
  'PRECONDITION_FAILED',
]);

/** One schedule's edge, as this run applies it. */
interface EdgePass {
  readonly deps: ApplySchedulesDependencies;
  readonly at: string;
  readonly action: ScheduleAction;
  readonly reason: string;
  /** What an earlier run of the same edge left, if this is a retry. */
  readonly retry: ScheduleRetry | undefined;
  readonly tally: Tally;
  /** Containers to try again at the next run. */
  readonly left: string[];
}

/**
 * Acts on every weekly schedule whose next transition is due: starts or stops its container (or
 * every container of its project that has no schedule of its own) through the same transition as
 * a user's operation, logged `triggered_by: schedule`, then moves the schedule on to its next
 * transition. A sweep that comes late does what the latest due transition says, once. The work list
 * is the sparse `SCHEDULE#<shard>` partitions of gsi5, so reads grow with what is due.
 *
 * When ECS refuses a container, a container is mid-transition, or the run ends before the whole
 * project was gone through, the schedule stays due with those containers noted: the next run acts
 * on them only (never again on the ones handled, nor on ones their users changed since), for at
 * most {@link maxEdgeAttempts} runs, after which the schedule moves on and what is left is logged.
 */
export async function applySchedules(
  deps: ApplySchedulesDependencies,
  input: ApplySchedulesInput,
): Promise<ApplySchedulesSummary> {
  const now = deps.clock.now();
  const tally: Tally = {
    started: 0,
    stopped: 0,
    skipped: 0,
    deferred: 0,
    failed: 0,
    removed: 0,
    retrying: 0,
    abandoned: 0,
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
      } catch (error) {
        // One schedule's failure must not hold up the others; it stays due, and the next run retries.
        logger.error('schedule not applied', { schedule: schedule.id, error: errorText(error) });
        tally.failed += 1;
      }
    },
  });
  return { schedules: outcomes.length, ...tally, complete };
}

async function applySchedule(
  deps: ApplySchedulesDependencies,
  listed: StoredSchedule,
  now: Date,
  stopBy: Date,
  tally: Tally,
): Promise<void> {
  // The index is eventually consistent: a schedule deleted or replaced a moment ago may still be
  // listed. Only the table's item is acted on, and only while it is the one listed.
  const schedule = await deps.schedules.get(listed.target);
  if (!schedule?.next || schedule.revision !== listed.revision || schedule.next.at !== listed.next?.at)
    return;
  if (Date.parse(schedule.next.at) > now.getTime()) return;
  const due = latestTransitionBetween(schedule, Date.parse(schedule.next.at) - 1, now.getTime());
  const at = new Date(due?.at ?? Date.parse(schedule.next.at)).toISOString();
  const action = due?.action ?? schedule.next.action;
  const pass: EdgePass = {
    deps,
    at,
    action,
    reason: `${action} at ${at} by the ${schedule.target.source} schedule (${schedule.timeZone})`,
    // A retry goes on with what the last run of this edge left; a later edge starts afresh.
    retry: schedule.retry?.at === at ? schedule.retry : undefined,
    tally,
    left: [],
  };
  let finished = true;
  if (schedule.target.source === 'container') {
    const container = await deps.repository.getContainer(schedule.target.containerId);
    if (!container || container.status === 'expired') {
      // The container is gone or read-only: its schedule has nothing left to act on. (A delete's
      // release removes the schedule moments after; this catches one it left, say after its
      // retries ran out.)
      if (await deps.schedules.delete(schedule.target)) tally.removed += 1;
      return;
    }
    await applyToContainer(pass, container);
  } else {
    finished = await applyToProject(pass, schedule, stopBy);
  }
  await settleEdge(pass, schedule, now, finished);
}

/**
 * Moves the schedule on when the edge is done, or after its last run (logging what is left);
 * otherwise keeps it due with the containers to try again.
 */
async function settleEdge(pass: EdgePass, schedule: StoredSchedule, now: Date, finished: boolean) {
  const { deps, left, tally } = pass;
  const attempts = (pass.retry?.attempts ?? 0) + 1;
  const kept = left.slice(0, maxRetriedContainers);
  const givenUp = attempts >= maxEdgeAttempts ? left : left.slice(maxRetriedContainers);
  if (givenUp.length > 0 || (!finished && attempts >= maxEdgeAttempts)) {
    logger.warn('schedule edge given up for some containers', {
      schedule: schedule.id,
      edge: pass.at,
      action: pass.action,
      attempts,
      container_ids: givenUp,
      project_unfinished: !finished,
    });
  }
  if (attempts < maxEdgeAttempts && (kept.length > 0 || !finished)) {
    const retry = {
      at: pass.at,
      attempts,
      since: deps.clock.now().toISOString(),
      containerIds: kept,
      unfinished: !finished,
    };
    if (await deps.schedules.retryLater(schedule, retry)) tally.retrying += 1;
    return;
  }
  if (left.length > 0 || !finished) tally.abandoned += 1;
  const next = nextTransition(schedule, now.getTime());
  await deps.schedules.advance(
    schedule,
    next ? { at: new Date(next.at).toISOString(), action: next.action } : null,
  );
}

/**
 * Every container of the project without a schedule of its own, page by page.
 * @returns false when the run ended before it got through the project
 */
async function applyToProject(pass: EdgePass, schedule: StoredSchedule, stopBy: Date): Promise<boolean> {
  const { deps } = pass;
  const { ownerId, projectId } = schedule.target;
  let start: PagePosition | undefined;
  try {
    do {
      if (deps.clock.now() >= stopBy) return false;
      const page = await deps.repository.listContainers({
        ownerId,
        projectId,
        order: 'asc',
        limit: 50,
        start,
      });
      const own = await deps.schedules.containersWithOwnSchedule(page.items.map((container) => container.id));
      for (const container of page.items) {
        if (!own.has(container.id)) await applyToContainer(pass, container);
      }
      start = page.next;
    } while (start);
  } catch (error) {
    // The next run goes on with the containers this one did not reach.
    logger.error('schedule pass over a project cut short', {
      schedule: schedule.id,
      error: errorText(error),
    });
    return false;
  }
  return true;
}

async function applyToContainer(pass: EdgePass, container: Container): Promise<void> {
  if (!mayAct(container, pass.at, pass.retry)) return;
  const outcome = await operateForSchedule(pass, container);
  pass.tally[outcome] += 1;
  if (outcome === 'deferred' || outcome === 'failed') pass.left.push(container.id);
}

/**
 * Whether this run acts on the container. The first run of an edge acts on every one. A retry
 * acts on those the last run left, unless an operation was accepted on one since (its user's
 * choice stands), and, when the last run did not get through the project, on those it did not
 * reach: a container whose last transition is at or after the edge was handled, or changed by
 * its user, since the edge.
 */
function mayAct(container: Container, edgeAt: string, retry: ScheduleRetry | undefined): boolean {
  if (!retry) return true;
  if (retry.containerIds.includes(container.id)) {
    const operatedSince =
      container.lastActivitySource === 'operation' &&
      Date.parse(container.lastUsedAt) > Date.parse(retry.since);
    return !operatedSince;
  }
  return retry.unfinished && Date.parse(container.lastTransitionAt) < Date.parse(edgeAt);
}

/**
 * The user's operation, asked for by the schedule on the owner's behalf. It re-reads the
 * container, so a status seen in an index is never trusted. A status the action does not apply
 * to (a start of a running container) is skipped; a transitional one (a start of a stopping
 * container), or a race lost to other writers, is deferred to the next run.
 */
async function operateForSchedule(pass: EdgePass, container: Container): Promise<ContainerOutcome> {
  try {
    await operateContainer(pass.deps, {
      actor: { id: container.ownerId, isAdmin: false },
      containerId: container.id,
      operation: pass.action,
      trigger: { by: 'schedule', reason: pass.reason, metadata: { schedule_action: pass.action } },
    });
    return pass.action === 'start' ? 'started' : 'stopped';
  } catch (error) {
    if (!(error instanceof DomainError)) return 'failed';
    if (notApplicable.has(error.code)) return 'skipped';
    if (error.code === 'OPERATION_STATE_CONFLICT') return settledIn(error) ? 'skipped' : 'deferred';
    return 'failed';
  }
}

/**
 * True when a conflict names a status that is not transitional: the action does not apply to it,
 * a running job's included (its start is done; it is not restarted when it ends). Without one,
 * the container changed too fast.
 */
function settledIn(conflict: DomainError): boolean {
  const status = (conflict.details as { status?: Container['status'] } | undefined)?.status;
  return status !== undefined && !isTransitional(status);
}
