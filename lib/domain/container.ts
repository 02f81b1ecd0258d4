import type { ContainerStatus } from './container-status';
import type { Operation } from './operations';

export const triggers = ['user', 'auto-stop', 'ecs', 'reconciler', 'schedule'] as const;
export type Trigger = (typeof triggers)[number];

/** What ECS last told us about the container's current task. */
export interface TaskSnapshot {
  readonly arn: string | null;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  readonly stopCode: string | null;
  readonly stoppedReason: string | null;
  /** ECS's `detail.version` of the last event applied: older or equal events are stale. */
  readonly eventVersion: number;
}

/** What last moved `last_used_at`: a use report, an operation, or the container's creation. */
export const activitySources = ['activity', 'operation', 'create'] as const;
export type ActivitySource = (typeof activitySources)[number];

export interface PendingOperation {
  readonly operation: Operation | 'create';
  readonly requestedAt: string;
  readonly transitionId: string;
}

/**
 * What a container is for: a `service` runs until it is stopped; a `job` runs to completion and
 * ends `succeeded` or `failed` by its exit code, each start a new run (Northflank's services and jobs).
 */
export const containerKinds = ['service', 'job'] as const;
export type ContainerKind = (typeof containerKinds)[number];

export interface Resources {
  readonly cpuUnits: number;
  readonly memoryMb: number;
}

export interface Container {
  readonly id: string;
  readonly ownerId: string;
  readonly name: string;
  readonly projectId: string;
  readonly image: string;
  readonly command: readonly string[] | null;
  readonly environment: Readonly<Record<string, string>>;
  readonly resources: Resources;
  readonly idleTimeoutSeconds: number | null;
  /** The longest a run may last, whatever its use or snooze (auto-stopped then); null: no cap. */
  readonly maxLifetimeSeconds: number | null;
  readonly status: ContainerStatus;
  readonly statusReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastUsedAt: string;
  readonly lastTransitionAt: string;
  /** Rises by exactly one on every transition; equals the number of status-log entries. */
  readonly version: number;
  readonly taskDefinitionArn: string | null;
  readonly ipAddress: string | null;
  /**
   * The version of the transition that launched the current task: task events whose group names
   * another launch belong to an older task and change nothing.
   */
  readonly launchVersion: number | null;
  readonly task: TaskSnapshot | null;
  readonly pendingOperation: PendingOperation | null;
  readonly expiresAt: string | null;
  /** The auto-stop deadline an idle warning was sent for, so that each deadline warns once. */
  readonly idleWarningFor: string | null;
  /** What last moved `last_used_at`; null on containers written before it was recorded. */
  readonly lastActivitySource: ActivitySource | null;
  /** No auto-stop before this time (POST /v1/containers/{id}/snooze); null when never snoozed. */
  readonly snoozedUntil: string | null;
  /**
   * When the current run was launched: the create, start or resume that asked for its task (a
   * restart continues the run). The maximum lifetime counts from it. Null before the first launch,
   * and on containers written before it was recorded.
   */
  readonly startedAt: string | null;
  /** `service` for containers written before kinds existed. */
  readonly kind: ContainerKind;
  /** A job's current (or last) run, begun by a create or start; null for services and unstarted jobs. */
  readonly runId: string | null;
  /** The exit code of a job's essential container when its last run's task stopped; null otherwise. */
  readonly exitCode: number | null;
}

/** One run of a job: its record is rewritten by every transition of the run, in the same transaction. */
export interface JobRun {
  readonly runId: string;
  readonly containerId: string;
  readonly ownerId: string;
  readonly taskArn: string | null;
  /** The job's status while this is its current run; where it ended once it is over. */
  readonly status: ContainerStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly exitCode: number | null;
  readonly statusReason: string | null;
}

export interface StatusLog {
  readonly id: string;
  readonly containerId: string;
  readonly ownerId: string;
  readonly version: number;
  readonly fromStatus: ContainerStatus | null;
  readonly toStatus: ContainerStatus;
  /** When the change happened; for a change ECS reports, the time ECS gives. */
  readonly transitionTime: string;
  /** When it was recorded. */
  readonly createdAt: string;
  /** Time spent in `fromStatus`. */
  readonly durationMs: number;
  readonly triggeredBy: Trigger;
  readonly operation: string | null;
  readonly reason: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}
