import {
  type BatchOperation,
  type BatchSelector,
  matchesSelector,
  planBatchItem,
  type SkipReason,
  skipReason,
} from '../domain/batch';
import type { Container } from '../domain/container';
import type { ContainerStatus } from '../domain/container-status';
import { DomainError, type ErrorCode } from '../domain/errors';
import { loggedError, logger } from '../logger';
import type { PagePosition } from '../ports/container-repository';
import { type DeleteContainerDependencies, deleteContainer } from './delete-container';
import type { Actor, RepositoryDependencies } from './dependencies';
import { type OperateContainerDependencies, operateContainer } from './operate-container';

export interface BatchInput {
  readonly actor: Actor;
  readonly operation: BatchOperation;
  readonly selector: BatchSelector;
  /** Decide and report only: nothing is written and no runtime call is made. */
  readonly dryRun: boolean;
  /** The most containers worked on; more matches make the result `truncated`. */
  readonly limit: number;
  /** Containers worked on at once. @default 5 */
  readonly concurrency?: number;
  /**
   * No container is started on at or after this time (the function's own time running out); those
   * left are not run and the result is `truncated`. @default no limit
   */
  readonly stopBy?: Date | undefined;
}

export type BatchOutcome = 'accepted' | 'skipped' | 'failed' | 'would_apply' | 'would_skip';

export interface BatchItemResult {
  /** The container as the selection read it. */
  readonly container: Container;
  /** The status the decision was made from: as read for the write, or as selected in a dry run. */
  readonly statusBefore: ContainerStatus;
  readonly outcome: BatchOutcome;
  /** The accepted transition, to follow with GET /v1/operations/{id}; none for delete. */
  readonly operationId?: string;
  /** Where the operation takes (or would take) the container; null for delete. */
  readonly toStatus?: ContainerStatus | null;
  /** Why a skipped container was left alone: the state machine's refusal, or a change since it was selected. */
  readonly reason?: SkipReason;
  /** Why a container failed: the error a single request would have answered. */
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

export interface BatchResult {
  readonly operation: BatchOperation;
  readonly dryRun: boolean;
  /** One per selected container, in the selection's order (newest first). */
  readonly results: readonly BatchItemResult[];
  /** More containers matched than were worked on (`limit`, or time ran out): run the batch again for the rest. */
  readonly truncated: boolean;
}

/** A batch runs operate-container's or delete-container's use case on each container. */
export type BatchOperateDependencies = OperateContainerDependencies &
  DeleteContainerDependencies &
  RepositoryDependencies<'listContainers'>;

/** Containers read per query while selecting. */
const selectionPageSize = 100;

/**
 * Applies one operation to each of the actor's own containers that the selector picks (an admin
 * too acts on its own only), through the same use case as a single request, so transitions,
 * conflicts, runtime failures and their undo are the same. Each container's outcome is its own:
 * one failure never fails the batch. Each write holds the selection: a container that changed
 * after it was read (another transition, or a use when selected as idle) is skipped with
 * PRECONDITION_FAILED. A dry run reports what the operations table would decide from the selected
 * statuses, and writes nothing.
 */
export async function batchOperateContainers(
  deps: BatchOperateDependencies,
  input: BatchInput,
): Promise<BatchResult> {
  const selection = await selectContainers(deps, input);
  const { selected } = selection;
  const work = input.dryRun
    ? async (container: Container) => planOnly(container, input.operation)
    : async (container: Container) => apply(deps, input, container);
  const stopBy = input.dryRun ? undefined : input.stopBy;
  const mayStart = () => stopBy === undefined || deps.clock.now() < stopBy;
  const results = await inOrderPool(selected, input.concurrency ?? 5, work, mayStart);
  const truncated = selection.truncated || results.length < selected.length;
  logger.info('batch operation', {
    owner_id: input.actor.id,
    operation: input.operation,
    dry_run: input.dryRun,
    matched: results.length,
    truncated,
    outcomes: countOutcomes(results),
  });
  return { operation: input.operation, dryRun: input.dryRun, results, truncated };
}

/**
 * The actor's containers the selector picks, up to `limit`, read from the index the status and
 * project name (an owner's, a status's or a project's partition): never a scan. The idle
 * criterion filters what is read, so it may read more of the owner's partition than it keeps.
 */
async function selectContainers(
  deps: BatchOperateDependencies,
  input: BatchInput,
): Promise<{ selected: Container[]; truncated: boolean }> {
  const now = deps.clock.now();
  const matches: Container[] = [];
  let start: PagePosition | undefined;
  do {
    const page = await deps.repository.listContainers({
      ownerId: input.actor.id,
      status: input.selector.status,
      projectId: input.selector.projectId,
      order: 'desc',
      limit: selectionPageSize,
      start,
    });
    matches.push(...page.items.filter((container) => matchesSelector(container, input.selector, now)));
    start = page.next;
  } while (start && matches.length <= input.limit);
  return { selected: matches.slice(0, input.limit), truncated: matches.length > input.limit };
}

function planOnly(container: Container, operation: BatchOperation): BatchItemResult {
  const plan = planBatchItem(container.status, operation, container.kind);
  return plan.applies
    ? { container, statusBefore: container.status, outcome: 'would_apply', toStatus: plan.to }
    : { container, statusBefore: container.status, outcome: 'would_skip', reason: plan.reason };
}

async function apply(
  deps: BatchOperateDependencies,
  input: BatchInput,
  container: Container,
): Promise<BatchItemResult> {
  // The container as selected: a change since (status, or use when selected by idleness) is a skip.
  const asSelected = {
    actor: input.actor,
    containerId: container.id,
    expectedVersion: container.version,
    expectedLastUsedAt: input.selector.idleSecondsGt === undefined ? undefined : container.lastUsedAt,
  };
  try {
    if (input.operation === 'delete') {
      const deleted = await deleteContainer(deps, asSelected);
      return { container, statusBefore: deleted.status, outcome: 'accepted', toStatus: null };
    }
    const step = await operateContainer(deps, { ...asSelected, operation: input.operation });
    return {
      container,
      statusBefore: step.before.status,
      outcome: 'accepted',
      operationId: step.log.id,
      toStatus: step.after.status,
    };
  } catch (error) {
    return failedOrSkipped(container, error);
  }
}

/**
 * A refusal of the state machine, or a change since the selection, is a skip; anything else
 * failed, as a single request would have.
 */
function failedOrSkipped(container: Container, error: unknown): BatchItemResult {
  if (error instanceof DomainError && error.code === 'PRECONDITION_FAILED') {
    const message = `${error.message}: it changed after it was selected, so it was left alone`;
    return {
      container,
      statusBefore: container.status,
      outcome: 'skipped',
      reason: { code: error.code, message },
    };
  }
  const reason = skipReason(error);
  if (reason) {
    // The use case read the container again: its refusal names the status it found.
    const details = (error as DomainError).details as { status?: ContainerStatus } | undefined;
    return { container, statusBefore: details?.status ?? container.status, outcome: 'skipped', reason };
  }
  if (error instanceof DomainError) {
    return {
      container,
      statusBefore: container.status,
      outcome: 'failed',
      error: { code: error.code, message: error.message },
    };
  }
  // A bug or an unexpected AWS failure: logged, never echoed, as the HTTP error mapper does.
  logger.error('batch item failed', {
    container_id: container.id,
    error: loggedError(error),
  });
  return {
    container,
    statusBefore: container.status,
    outcome: 'failed',
    error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' },
  };
}

/**
 * Runs `work` over the items with at most `size` in flight, starting each only while `mayStart`
 * holds; the results keep the items' order and end at the first item not started.
 */
async function inOrderPool<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
  mayStart: () => boolean,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && mayStart()) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  // Items are taken in order, so those started are the first `next` of them.
  return results.slice(0, next);
}

function countOutcomes(results: readonly BatchItemResult[]): Partial<Record<BatchOutcome, number>> {
  const counts: Partial<Record<BatchOutcome, number>> = {};
  for (const { outcome } of results) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}
