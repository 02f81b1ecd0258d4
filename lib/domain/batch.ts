/**
 * Bulk operations by selector: which containers a selector picks, and what the operations table
 * would make of each. Pure decisions; the use case runs them (lib/use-cases/batch-operate-containers.ts).
 */
import type { Container, ContainerKind } from './container';
import type { ContainerStatus } from './container-status';
import { DomainError, type ErrorCode } from './errors';
import { operations, planOperation, refuseIfExpired } from './operations';

/** The contract's operations, and delete. */
export const batchOperations = [...operations, 'delete'] as const;
export type BatchOperation = (typeof batchOperations)[number];

/** Containers of one owner picked by every criterion given; at least one is required. */
export interface BatchSelector {
  readonly status?: ContainerStatus | undefined;
  readonly projectId?: string | undefined;
  /** Only containers whose last use (`last_used_at`) is more than this many seconds ago. */
  readonly idleSecondsGt?: number | undefined;
}

/** Whether a container is one the selector picks, at `now`. */
export function matchesSelector(container: Container, selector: BatchSelector, now: Date): boolean {
  if (selector.status !== undefined && container.status !== selector.status) return false;
  if (selector.projectId !== undefined && container.projectId !== selector.projectId) return false;
  if (selector.idleSecondsGt !== undefined) {
    const idleMs = now.getTime() - Date.parse(container.lastUsedAt);
    if (!(idleMs > selector.idleSecondsGt * 1000)) return false;
  }
  return true;
}

/** Why an operation does not apply to a container: the state machine's own refusal. */
export interface SkipReason {
  readonly code: ErrorCode;
  readonly message: string;
}

/** What an operation would do to a container in `status`: where it goes, or why it does not apply. */
export type BatchPlan =
  | { readonly applies: true; readonly to: ContainerStatus | null }
  | { readonly applies: false; readonly reason: SkipReason };

/**
 * Decides an operation from a status as a single request would (planOperation; delete refuses
 * only an expired container). `to` is null for delete, which leaves no status behind.
 */
export function planBatchItem(
  status: ContainerStatus,
  operation: BatchOperation,
  kind: ContainerKind = 'service',
): BatchPlan {
  try {
    if (operation === 'delete') {
      refuseIfExpired(status);
      return { applies: true, to: null };
    }
    return { applies: true, to: planOperation(status, operation, kind).to };
  } catch (error) {
    const reason = skipReason(error);
    if (!reason) throw error;
    return { applies: false, reason };
  }
}

/**
 * The refusals that mean "this operation does not apply to this container now": the status does
 * not allow it, or the container has expired. Any other error is a failure, not a skip.
 */
export function skipReason(error: unknown): SkipReason | undefined {
  if (!(error instanceof DomainError)) return undefined;
  if (error.code !== 'OPERATION_STATE_CONFLICT' && error.code !== 'OPERATION_NOT_PERMITTED_ON_EXPIRED') {
    return undefined;
  }
  return { code: error.code, message: error.message };
}
