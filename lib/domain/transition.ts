import type { Container, PendingOperation, StatusLog, Trigger } from './container';
import type { ContainerStatus } from './container-status';

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
      'task' | 'ipAddress' | 'launchVersion' | 'lastUsedAt' | 'lastActivitySource' | 'expiresAt' | 'startedAt'
    >
  >;
}

export interface Transition {
  readonly before: Container;
  readonly after: Container;
  readonly log: StatusLog;
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
    statusReason: request.to === 'error' || request.to === 'stopped' ? request.reason : null,
    version,
    updatedAt: request.recordedAt,
    lastTransitionAt: request.at,
    pendingOperation: request.pendingOperation === undefined ? null : request.pendingOperation,
  };
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
    metadata: request.metadata ?? {},
  };
  return { before, after, log };
}
