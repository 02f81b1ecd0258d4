import type { ContainerKind } from './container';
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
  /** The kinds of container the row applies to. @default every kind */
  readonly kinds?: readonly ContainerKind[];
}

/** A job runs to completion: it is started and stopped, never paused, resumed or restarted. */
const servicesOnly: readonly ContainerKind[] = ['service'];

/**
 * The contract's operations table, row for row. Restart's StopTask is followed by a RunTask
 * when ECS reports the old task stopped; that second step is the task-event handler's.
 */
export const operationRules: readonly OperationRule[] = [
  // From `succeeded` or `failed` (a job's finished run), a start begins a new run.
  {
    operation: 'start',
    from: ['stopped', 'error', 'succeeded', 'failed'],
    to: 'starting',
    runtimeCall: 'run-task',
  },
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
  {
    operation: 'restart',
    from: ['running'],
    to: 'restarting',
    runtimeCall: 'stop-task',
    kinds: servicesOnly,
  },
  { operation: 'pause', from: ['running'], to: 'pausing', runtimeCall: 'stop-task', kinds: servicesOnly },
  { operation: 'resume', from: ['paused'], to: 'resuming', runtimeCall: 'run-task', kinds: servicesOnly },
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

function ruleApplies(rule: OperationRule, status: ContainerStatus, kind: ContainerKind): boolean {
  return rule.from.includes(status) && (rule.kinds === undefined || rule.kinds.includes(kind));
}

/** The operations a container of `kind` in `status` accepts, in the table's order. */
export function allowedOperations(status: ContainerStatus, kind: ContainerKind = 'service'): Operation[] {
  const allowed = operationRules
    .filter((rule) => ruleApplies(rule, status, kind))
    .map((rule) => rule.operation);
  return [...new Set(allowed)];
}

/**
 * Decides an operation: the status it leads to and the runtime call it needs, or a typed error
 * naming the current status and what it allows.
 */
export function planOperation(
  status: ContainerStatus,
  operation: Operation,
  kind: ContainerKind = 'service',
): PlannedTransition {
  refuseIfExpired(status);
  const rule = operationRules.find(
    (candidate) => candidate.operation === operation && ruleApplies(candidate, status, kind),
  );
  if (!rule) {
    const what = kind === 'job' ? 'job' : 'container';
    throw new DomainError('OPERATION_STATE_CONFLICT', `Cannot ${operation} a ${what} that is ${status}`, {
      details: {
        status,
        operation,
        ...(kind === 'job' ? { kind } : {}),
        allowed_operations: allowedOperations(status, kind),
      },
    });
  }
  return { operation, from: status, to: rule.to, runtimeCall: rule.runtimeCall };
}
