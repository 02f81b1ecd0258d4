import type { Actor, Dependencies, RepositoryDependencies } from './dependencies';
import { loadChangeableContainer, retryOnConflict } from './load-container';

/** At most one write of `last_used_at` per container in this time, however often use is reported. */
export const activityWriteIntervalSeconds = 60;

export interface RecordActivityInput {
  readonly actor: Actor;
  readonly containerId: string;
  /** The version the caller last saw (If-Match); another is PRECONDITION_FAILED. */
  readonly expectedVersion?: number | undefined;
}

export interface RecordActivityResult {
  /** False when a write within the last interval already covers this report. */
  readonly recorded: boolean;
  /** The container's last use as stored after the call. */
  readonly lastUsedAt: string;
}

/**
 * Notes that the container is in use: `last_used_at` moves to now, which resets the idle clock
 * and with it the auto-stop deadline. It is not a transition: the version, `updated_at` and the
 * history stay as they are.
 *
 * Writes are throttled: a report within {@link activityWriteIntervalSeconds} of the last use
 * changes nothing, so a chatty client costs reads, not write capacity. The write is conditioned
 * on the version and `last_used_at` read; when another writer lands first, the container is
 * re-read and the throttle decides again, so two reports racing write once.
 *
 * Every status but `expired` accepts the report: use is a fact about the caller, and a container
 * that is starting or resuming is being waited on, so its idle clock should not run meanwhile.
 * A stopped container's expiry counts from its last transition, so use does not postpone it.
 *
 * @throws DomainError CONTAINER_NOT_FOUND, PRECONDITION_FAILED, OPERATION_NOT_PERMITTED_ON_EXPIRED, or
 * OPERATION_STATE_CONFLICT when other writers keep winning the race
 */
export async function recordActivity(
  deps: RepositoryDependencies<'getContainer' | 'saveWithoutTransition'> & Pick<Dependencies, 'clock'>,
  input: RecordActivityInput,
): Promise<RecordActivityResult> {
  return retryOnConflict(async () => {
    const container = await loadChangeableContainer(
      deps.repository,
      input.actor,
      input.containerId,
      input.expectedVersion,
    );
    const now = deps.clock.now();
    const sinceLastUseMs = now.getTime() - Date.parse(container.lastUsedAt);
    if (sinceLastUseMs < activityWriteIntervalSeconds * 1000) {
      return { recorded: false, lastUsedAt: container.lastUsedAt };
    }
    const lastUsedAt = now.toISOString();
    await deps.repository.saveWithoutTransition(container, {
      ...container,
      lastUsedAt,
      lastActivitySource: 'activity',
    });
    return { recorded: true, lastUsedAt };
  });
}
