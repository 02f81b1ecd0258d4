import type { Container, JobRun, PendingOperation, StatusLog, Trigger } from './container';
import type { ContainerStatus } from './container-status';
import { runTouchedBy } from './job';

export interface TransitionRequest {
  readonly to: ContainerStatus;
  /** When the change happened (for an ECS-reported change, ECS's time). */
  readonly at: string;
  /** When it is recorded. */
  readonly recordedAt: string;
  readonly transitionId: string;
  readonly triggeredBy: Trigger;
  readonly operation: string | null;
  readonly reason: string | null;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly pendingOperation?: PendingOperation | null;
  /** Other fields that change with the status (task, address, launch version). */
  readonly changes?: Partial<
    Pick<
      Container,
      | 'task'
      | 'ipAddress'
      | 'launchVersion'
      | 'lastUsedAt'
      | 'lastActivitySource'
      | 'expiresAt'
      | 'startedAt'
      | 'runId'
      | 'exitCode'
    >
  >;
  /**
   * The job run record the step writes, when it is not the one the container after the step
   * describes (the undoing of a start ends the run it began). @default derived from the container
   */
  readonly run?: JobRun;
}

export interface Transition {
  readonly before: Container;
  readonly after: Container;
  readonly log: StatusLog;
  /** A job's run record, written in the same transaction: the run the step begins, moves or ends. */
  readonly run?: JobRun | undefined;
}

/**
 * One step of a container's history: the container as it becomes, one version higher, and the
 * log entry that records the step. The repository writes both in one transaction or neither.
 */
export function transition(before: Container, request: TransitionRequest): Transition {
  const version = before.version + 1;
  const after: Container = {
    ...before,
    ...request.changes,
    status: request.to,
    statusReason: keepsReason.includes(request.to) ? request.reason : null,
    version,
    updatedAt: request.recordedAt,
    lastTransitionAt: request.at,
    pendingOperation: request.pendingOperation === undefined ? null : request.pendingOperation,
  };
  const run = request.run ?? runTouchedBy(before, after);
  const log: StatusLog = {
    id: request.transitionId,
    containerId: before.id,
    ownerId: before.ownerId,
    version,
    fromStatus: before.status,
    toStatus: request.to,
    transitionTime: request.at,
    createdAt: request.recordedAt,
    durationMs: Math.max(0, Date.parse(request.at) - Date.parse(before.lastTransitionAt)),
    triggeredBy: request.triggeredBy,
    operation: request.operation,
    reason: request.reason,
    // A job's history names the run each of its steps belongs to.
    metadata: run ? { run_id: run.runId, ...request.metadata } : (request.metadata ?? {}),
  };
  return run ? { before, after, log, run } : { before, after, log };
}

/** Statuses that keep the step's reason as the container's `status_reason`. */
const keepsReason: readonly ContainerStatus[] = ['error', 'stopped', 'succeeded', 'failed'];
