import type { Container, JobRun, StatusLog } from '../domain/container';
import type { ContainerStatus } from '../domain/container-status';
import type { Transition } from '../domain/transition';

export type SortOrder = 'asc' | 'desc';
export const logSortKeys = ['transition_time', 'created_at', 'to_status', 'from_status'] as const;
export type LogSortKey = (typeof logSortKeys)[number];

/** Where a page starts: an opaque key the repository gave for the previous page. */
export type PagePosition = Readonly<Record<string, unknown>>;

export interface Page<T> {
  readonly items: readonly T[];
  /** Where the next page starts; undefined on the last page. */
  readonly next: PagePosition | undefined;
}

export interface ContainerListQuery {
  readonly ownerId: string;
  readonly status?: ContainerStatus | undefined;
  readonly projectId?: string | undefined;
  readonly order: SortOrder;
  readonly limit: number;
  readonly start?: PagePosition | undefined;
  /** Items to pass over before the page (the contract's `page`); costs reads. */
  readonly skip?: number | undefined;
}

export interface StatusLogQuery {
  readonly containerId: string;
  readonly sortBy: LogSortKey;
  readonly order: SortOrder;
  readonly limit: number;
  readonly start?: PagePosition | undefined;
  readonly skip?: number | undefined;
}

/** One shard of a scheduled function's work list, up to a time. */
export interface ScheduleQuery {
  readonly shard: number;
  /** ISO time: entries at or before it are due. */
  readonly upTo: string;
  readonly limit: number;
  readonly start?: PagePosition | undefined;
}

export interface OwnerAccount {
  readonly ownerId: string;
  readonly banned: boolean;
  /** Containers that count against the quota: all but the expired ones. */
  readonly containerCount: number;
  countOf(filter: { status?: ContainerStatus | undefined; projectId?: string | undefined }): number;
}

export interface SaveTransitionOptions {
  /**
   * Refuse the write if the owner is banned. Only for steps that start work: stopping, settling
   * and expiring a banned owner's containers must always go through.
   */
  readonly ownerMustBeInGoodStanding?: boolean;
}

export interface NewContainer {
  readonly container: Container;
  /** The first entries of its history, oldest first, ending at the container's version. */
  readonly logs: readonly StatusLog[];
  /** The most containers the owner may have. */
  readonly quota: number;
  /** A job created to start: the record of its first run. */
  readonly run?: JobRun | undefined;
}

export interface JobRunQuery {
  readonly containerId: string;
  readonly limit: number;
  readonly start?: PagePosition | undefined;
}

/**
 * Containers, their histories and their owners' counters. Every write that changes a status
 * writes the container, its log entry and the counters together or not at all.
 */
export interface ContainerRepository {
  getContainer(id: string): Promise<Container | undefined>;
  getOwner(ownerId: string): Promise<OwnerAccount>;
  /** @throws DomainError QUOTA_EXCEEDED or ACCOUNT_BANNED */
  createContainer(input: NewContainer): Promise<void>;
  /**
   * Writes a transition (with the job run record it carries) if the container is still at `before.version`.
   * @throws VersionConflictError when another write got there first
   * @throws DomainError ACCOUNT_BANNED when the options ask for an owner in good standing
   */
  saveTransition(transition: Transition, options?: SaveTransitionOptions): Promise<void>;
  /**
   * Records a change that is not a transition (what ECS reported, use of the container) if the
   * container is still as it was read: same version, same last use, same launch and task as ECS
   * last reported it (so that two such writes from one read cannot both pass).
   * @throws VersionConflictError
   */
  saveWithoutTransition(before: Container, after: Container): Promise<void>;
  /** @throws VersionConflictError */
  deleteContainer(container: Container): Promise<void>;
  listContainers(query: ContainerListQuery): Promise<Page<Container>>;
  listStatusLogs(query: StatusLogQuery): Promise<Page<StatusLog>>;
  /**
   * The version of the oldest entry of the container's history still kept (entries expire after
   * the log retention); undefined when none is left.
   */
  firstStoredStatusLogVersion(containerId: string): Promise<number | undefined>;
  /** A job's runs, newest first: each written with the transitions of its run. */
  listJobRuns(query: JobRunQuery): Promise<Page<JobRun>>;
  /** One run of a job; undefined when the job has no such run. */
  getJobRun(containerId: string, runId: string): Promise<JobRun | undefined>;
  /**
   * A transition's log entry, the entry after it and the container, in one consistent read of
   * three keys: what an operation's status is decided from.
   */
  getTransitionRecord(containerId: string, version: number): Promise<TransitionRecord>;
  /** How many shards the scheduled work lists are split into. */
  readonly scheduleShards: number;
  /** Running containers with an idle timeout whose auto-stop deadline is at or before `upTo`. */
  listDueForAutoStop(query: ScheduleQuery): Promise<Page<Container>>;
  /** Containers in a transitional status whose last transition is at or before `upTo`. */
  listSettling(query: ScheduleQuery): Promise<Page<Container>>;
  /** Stopped containers whose last transition is at or before `upTo`. */
  listResting(query: ScheduleQuery): Promise<Page<Container>>;
}

/** A transition's entry and what followed it; each part is undefined when it is not stored. */
export interface TransitionRecord {
  /** The container as it is now; undefined once it was deleted. */
  readonly container: Container | undefined;
  /** The entry at the version asked for. */
  readonly entry: StatusLog | undefined;
  /** The entry one version later: what ended the transition's status, if anything has yet. */
  readonly next: StatusLog | undefined;
}

/** The container moved on since it was read: re-read and decide again. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(readonly containerId: string) {
    super(`container ${containerId} changed since it was read`);
  }
}
