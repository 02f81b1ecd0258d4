import type { Container } from '../domain/container';
import type { Actor, Dependencies, RepositoryDependencies } from './dependencies';
import { loadChangeableContainer, retryOnConflict } from './load-container';

/** The bounds of a maximum lifetime, in seconds: five minutes to thirty days. */
export const maxLifetimeSecondsRange = { min: 300, max: 2_592_000 } as const;

export interface UpdateContainerPolicyInput {
  readonly actor: Actor;
  readonly containerId: string;
  /** The new idle timeout; null turns the idle stop off; undefined leaves it as it is. */
  readonly idleTimeoutSeconds?: number | null | undefined;
  /** The new maximum lifetime; null removes the cap; undefined leaves it as it is. */
  readonly maxLifetimeSeconds?: number | null | undefined;
  /** The version the caller last saw (If-Match); another is PRECONDITION_FAILED. */
  readonly expectedVersion?: number | undefined;
}

/**
 * Changes a container's auto-stop policy, in force at once: the write recomputes the sparse
 * auto-stop index entry from the new policy (see autoStopDeadline), so a running container already
 * past its new deadline is stopped by the next sweep, and one whose policy is turned off leaves
 * the index. A lifetime counts from the start of the current run, not from the change.
 *
 * It is not a transition (no new version, no history entry): it is written like an activity
 * report, conditioned on the version, last use, snooze and policy read, and re-read and applied
 * again on a lost race, so that neither a concurrent use report or operation nor this change is
 * lost. Any status but `expired` accepts it; `updated_at` moves to now.
 *
 * @throws DomainError CONTAINER_NOT_FOUND, PRECONDITION_FAILED, OPERATION_NOT_PERMITTED_ON_EXPIRED,
 * or OPERATION_STATE_CONFLICT when other writers keep winning the race
 */
export async function updateContainerPolicy(
  deps: RepositoryDependencies<'getContainer' | 'saveWithoutTransition'> & Pick<Dependencies, 'clock'>,
  input: UpdateContainerPolicyInput,
): Promise<Container> {
  return retryOnConflict(async () => {
    const container = await loadChangeableContainer(
      deps.repository,
      input.actor,
      input.containerId,
      input.expectedVersion,
    );
    const after: Container = {
      ...container,
      idleTimeoutSeconds:
        input.idleTimeoutSeconds === undefined ? container.idleTimeoutSeconds : input.idleTimeoutSeconds,
      maxLifetimeSeconds:
        input.maxLifetimeSeconds === undefined ? container.maxLifetimeSeconds : input.maxLifetimeSeconds,
      updatedAt: deps.clock.now().toISOString(),
    };
    await deps.repository.saveWithoutTransition(container, after);
    return after;
  });
}
