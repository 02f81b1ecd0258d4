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
  /** Creates or replaces the schedule of its target. */
  put(schedule: StoredSchedule): Promise<void>;
  /** @returns false when there was none */
  delete(target: ScheduleTarget): Promise<boolean>;
  /**
   * Moves the schedule on to its next transition if it is still as read (same revision, same next
   * transition): a schedule replaced or advanced meanwhile is left alone.
   * @returns false when it was not as read
   */
  advance(read: StoredSchedule, next: StoredSchedule['next']): Promise<boolean>;
  /** Of these containers, the ones with a schedule of their own. */
  containersWithOwnSchedule(containerIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** How many shards the due list is split into. */
  readonly shards: number;
  /** Schedules whose next transition is at or before `upTo`. */
  listDue(query: ScheduleQuery): Promise<Page<StoredSchedule>>;
}
