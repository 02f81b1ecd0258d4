import type { ContainerStatus } from './container-status';
import { DomainError } from './errors';

export const operations = ['start', 'stop', 'force-stop', 'restart', 'pause', 'resume'] as const;
export type Operation = (typeof operations)[number];

/** What the runtime must be asked to do for an accepted operation. */
export type RuntimeCall = 'run-task' | 'stop-task' | 'stop-task-if-any' | 'none';

export interface OperationRule {
  readonly operation: Operation;
  readonly from: readonly ContainerStatus[];
  readonly to: ContainerStatus;
  readonly runtimeCall: RuntimeCall;
}

/**
 * The contract's operations table, row for row. Restart's StopTask is followed by a RunTask
 * when ECS reports the old task stopped; that second step is the task-event handler's.
 */
export const operationRules: readonly OperationRule[] = [
  { operation: 'start', from: ['stopped', 'error'], to: 'starting', runtimeCall: 'run-task' },
  {
    operation: 'stop',
    from: ['starting', 'running', 'restarting', 'resuming'],
    to: 'stopping',
    runtimeCall: 'stop-task',
  },
  { operation: 'stop', from: ['paused'], to: 'stopped', runtimeCall: 'none' },
  {
    operation: 'force-stop',
    from: [
      'creating',
      'starting',
      'running',
      'pausing',
      'paused',
      'resuming',
      'restarting',
      'stopping',
      'error',
    ],
    to: 'stopped',
    runtimeCall: 'stop-task-if-any',
  },
  { operation: 'restart', from: ['running'], to: 'restarting', runtimeCall: 'stop-task' },
  { operation: 'pause', from: ['running'], to: 'pausing', runtimeCall: 'stop-task' },
  { operation: 'resume', from: ['paused'], to: 'resuming', runtimeCall: 'run-task' },
];

export interface PlannedTransition {
  readonly operation: Operation;
  readonly from: ContainerStatus;
  readonly to: ContainerStatus;
  readonly runtimeCall: RuntimeCall;
}

/** An expired container is read-only: every change is refused, whatever it is. */
export function refuseIfExpired(status: ContainerStatus): void {
  if (status === 'expired') {
    throw new DomainError('OPERATION_NOT_PERMITTED_ON_EXPIRED', 'The container has expired and is read-only');
  }
}

/** The operations a container in `status` accepts, in the table's order. */
export function allowedOperations(status: ContainerStatus): Operation[] {
  const allowed = operationRules.filter((rule) => rule.from.includes(status)).map((rule) => rule.operation);
  return [...new Set(allowed)];
}

/**
 * Decides an operation: the status it leads to and the runtime call it needs, or a typed error
 * naming the current status and what it allows.
 */
export function planOperation(status: ContainerStatus, operation: Operation): PlannedTransition {
  refuseIfExpired(status);
  const rule = operationRules.find(
    (candidate) => candidate.operation === operation && candidate.from.includes(status),
  );
  if (!rule) {
    throw new DomainError('OPERATION_STATE_CONFLICT', `Cannot ${operation} a container that is ${status}`, {
      details: { status, operation, allowed_operations: allowedOperations(status) },
    });
  }
  return { operation, from: status, to: rule.to, runtimeCall: rule.runtimeCall };
}
