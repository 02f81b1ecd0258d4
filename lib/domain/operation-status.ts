import type { Container, StatusLog } from './container';
import { type ContainerStatus, isTransitional, type TransitionalStatus } from './container-status';
import { operationRules } from './operations';

export const operationStatuses = ['pending', 'succeeded', 'failed'] as const;
export type OperationStatus = (typeof operationStatuses)[number];

/** An accepted operation as a caller waits on it; its id is the transition id it was accepted with. */
export interface OperationState {
  readonly id: string;
  readonly containerId: string;
  readonly ownerId: string;
  /** start, stop, force-stop, restart, pause, resume, or create. */
  readonly operation: string;
  readonly status: OperationStatus;
  /** The step the operation took: from the status it found to the one it put the container in. */
  readonly fromStatus: ContainerStatus | null;
  readonly toStatus: ContainerStatus;
  /** Where the operation ends when it succeeds: `running` for a start, `paused` for a pause. */
  readonly targetStatus: ContainerStatus;
  readonly requestedAt: string;
  /** When the entry that ended it happened; null while pending, or when the container was deleted. */
  readonly completedAt: string | null;
  /** Why it failed; null unless it failed. */
  readonly reason: string | null;
}

/** Where each transitional status ends when its task does what was asked. */
const settlesIn: Record<TransitionalStatus, ContainerStatus> = {
  creating: 'running',
  starting: 'running',
  resuming: 'running',
  restarting: 'running',
  stopping: 'stopped',
  pausing: 'paused',
};

/**
 * Whether a history entry is the step an operation opened (a request, or the auto-stop sweep's
 * stop), rather than what ECS or the reconciler reported, or the undoing of a failed runtime call.
 * An undo carries the operation's name too, but no row of the operations table leads from its
 * from-status to its to-status, and it names the step it undid.
 */
export function isOperationEntry(log: StatusLog): boolean {
  if (log.triggeredBy !== 'user' && log.triggeredBy !== 'auto-stop') return false;
  if (log.metadata.undone_transition_id !== undefined) return false;
  // A create's own step is the second entry, `creating -> starting` (or `-> stopped`).
  if (log.operation === 'create') return log.fromStatus === 'creating';
  const { fromStatus } = log;
  return operationRules.some(
    (rule) =>
      rule.operation === log.operation &&
      fromStatus !== null &&
      rule.from.includes(fromStatus) &&
      rule.to === log.toStatus,
  );
}

/**
 * An operation's status, decided from its entry and the one after it. A transition to a
 * transitional status is `pending` until the next entry ends that status: `succeeded` when it
 * reaches the operation's target (even by a force-stop that overtook a stop), `failed` when it is
 * the undoing of the operation, an error, or another operation that took over before it settled.
 * A transition straight to a resting status (force-stop, stop of a paused container) succeeded at once.
 *
 * `container` is the container as it is now: undefined once deleted.
 */
export function operationState(
  entry: StatusLog,
  next: StatusLog | undefined,
  container: Container | undefined,
): OperationState {
  const targetStatus = isTransitional(entry.toStatus) ? settlesIn[entry.toStatus] : entry.toStatus;
  const base = {
    id: entry.id,
    containerId: entry.containerId,
    ownerId: entry.ownerId,
    operation: entry.operation ?? 'unknown',
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    targetStatus,
    requestedAt: entry.transitionTime,
  };
  const ended = (status: OperationStatus, at: string | null, reason: string | null): OperationState => ({
    ...base,
    status,
    completedAt: at,
    reason,
  });
  // An undo is checked first: a force-stop whose StopTask failed is put back like any operation.
  if (next?.metadata.undone_transition_id === entry.id)
    return ended('failed', next.transitionTime, next.reason);
  if (!isTransitional(entry.toStatus)) return ended('succeeded', entry.transitionTime, null);
  if (next) {
    if (next.toStatus === targetStatus) return ended('succeeded', next.transitionTime, null);
    if (isOperationEntry(next)) {
      return ended(
        'failed',
        next.transitionTime,
        `superseded by ${next.operation} (operation ${next.id}) before it settled`,
      );
    }
    return ended('failed', next.transitionTime, next.reason ?? `the container went to ${next.toStatus}`);
  }
  if (!container) return ended('failed', null, 'the container was deleted before the operation settled');
  // Still at the operation's version: the container waits in the status the operation put it in.
  return ended('pending', null, null);
}
