import type { ScheduleAction, ScheduleSource, WeeklySchedule } from '../domain/schedule';
import type { Page, ScheduleQuery } from './container-repository';

/** What a schedule is attached to: one container, or every container of an owner's project. */
export type ScheduleTarget =
  | {
      readonly source: 'container';
      readonly ownerId: string;
      readonly projectId: string;
      readonly containerId: string;
    }
  | { readonly source: 'project'; readonly ownerId: string; readonly projectId: string };

/** A stable name for a schedule, for logs; its shard in the due list is derived from it. */
export function scheduleIdOf(target: ScheduleTarget): string {
  return target.source === 'container'
    ? `container:${target.containerId}`
    : `project:${target.ownerId}/${target.projectId}`;
}

export interface StoredSchedule extends WeeklySchedule {
  /** Names the schedule in logs: `container:<id>` or `project:<owner>/<project>`. */
  readonly id: string;
  readonly target: ScheduleTarget;
  /** The next edge to act on; null when the windows cover the whole week. */
  readonly next: { readonly at: string; readonly action: ScheduleAction } | null;
  /** Changes with every PUT, so that the sweep does not advance a schedule replaced meanwhile. */
  readonly revision: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Set while the sweep tries `next` again for some containers; absent otherwise. */
  readonly retry?: ScheduleRetry | undefined;
}

/**
 * An edge the sweep applied but not to every container: the containers to try again at the next
 * run. The schedule stays due meanwhile; it is moved on when none is left, or after a few runs.
 */
export interface ScheduleRetry {
  /** The edge being applied (ISO time). */
  readonly at: string;
  /** Runs that have applied it so far. */
  readonly attempts: number;
  /** When the last run was done: a container operated on after this is left to its user. */
  readonly since: string;
  /** Containers to try again: ECS refused them, or they were mid-transition. */
  readonly containerIds: readonly string[];
  /** The last run did not get through the whole project (time ran out, a read failed). */
  readonly unfinished: boolean;
}

/** The schedule that applies to a container and where it comes from. */
export interface EffectiveSchedule {
  readonly schedule: StoredSchedule;
  readonly source: ScheduleSource;
}

/**
 * Weekly schedules, stored apart from the containers they act on, and the sparse, sharded list of
 * those whose next transition is due.
 */
export interface ScheduleRepository {
  get(target: ScheduleTarget): Promise<StoredSchedule | undefined>;
  /** The container's own schedule and its project's, in one read. */
  getForContainer(container: {
    readonly id: string;
    readonly ownerId: string;
    readonly projectId: string;
  }): Promise<{ readonly own: StoredSchedule | undefined; readonly project: StoredSchedule | undefined }>;
  /**
   * Creates or replaces the schedule of its target. A new one counts against its owner's limit
   * (the count is written in the same transaction); `replacing` says which write to try first.
   * @throws DomainError QUOTA_EXCEEDED when the owner already has as many as the limit
   */
  put(schedule: StoredSchedule, options: { readonly replacing: boolean }): Promise<'created' | 'replaced'>;
  /** Frees its place under the owner's limit. @returns false when there was none */
  delete(target: ScheduleTarget): Promise<boolean>;
  /**
   * Deletes a container's own schedule, found by the container's id alone, and frees its place
   * under its owner's limit. @returns false when it has none (or none that can be read)
   */
  deleteContainerSchedule(containerId: string): Promise<boolean>;
  /**
   * Moves the schedule on to its next transition if it is still as read (same revision, same next
   * transition): a schedule replaced or advanced meanwhile is left alone.
   * @returns false when it was not as read
   */
  advance(read: StoredSchedule, next: StoredSchedule['next']): Promise<boolean>;
  /** Keeps the schedule due, with the containers to try again, if it is still as read. */
  retryLater(read: StoredSchedule, retry: ScheduleRetry): Promise<boolean>;
  /** Of these containers, the ones with a schedule of their own. */
  containersWithOwnSchedule(containerIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** How many shards the due list is split into. */
  readonly shards: number;
  /** Schedules whose next transition is at or before `upTo`; an unreadable item is logged and left out. */
  listDue(query: ScheduleQuery): Promise<Page<StoredSchedule>>;
}
