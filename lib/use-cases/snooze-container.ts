import type { Container } from '../domain/container';
import { DomainError } from '../domain/errors';
import { lifetimeEnd } from '../domain/idle';
import type { Actor, Dependencies, RepositoryDependencies } from './dependencies';
import { loadChangeableContainer, retryOnConflict } from './load-container';

/** The shortest and longest snooze a caller may ask for, in seconds. */
export const snoozeSecondsRange = { min: 60, max: 86_400 } as const;

export interface SnoozeContainerInput {
  readonly actor: Actor;
  readonly containerId: string;
  /** How long from now the container must not be stopped for idleness. */
  readonly seconds: number;
  /** The version the caller last saw (If-Match); another is PRECONDITION_FAILED. */
  readonly expectedVersion?: number | undefined;
}

/**
 * Holds off the auto-stop: `snoozed_until` becomes now + seconds (but never past the end of the
 * run's maximum lifetime, which nothing pushes out), and the auto-stop deadline
 * becomes the later of that and `last_used_at + idle_timeout_seconds` (see autoStopDeadline), so
 * the sparse index, the sweep and the idle warning follow without knowing about snoozes.
 *
 * Written like an activity report: not a transition (version, `updated_at` and history stay),
 * conditioned on the version and `last_used_at` read, re-read and decided again on a lost race.
 * A shorter snooze than one in force replaces it: the caller says when it may stop from now on.
 *
 * @throws DomainError CONTAINER_NOT_FOUND, PRECONDITION_FAILED, OPERATION_NOT_PERMITTED_ON_EXPIRED,
 * or OPERATION_STATE_CONFLICT when it is not running (or other writers keep winning the race)
 */
export async function snoozeContainer(
  deps: RepositoryDependencies<'getContainer' | 'saveWithoutTransition'> & Pick<Dependencies, 'clock'>,
  input: SnoozeContainerInput,
): Promise<Container> {
  return retryOnConflict(async () => {
    const container = await loadChangeableContainer(
      deps.repository,
      input.actor,
      input.containerId,
      input.expectedVersion,
    );
    if (container.status !== 'running') {
      throw new DomainError(
        'OPERATION_STATE_CONFLICT',
        `Cannot snooze a container that is ${container.status}`,
        { details: { status: container.status, operation: 'snooze', allowed_statuses: ['running'] } },
      );
    }
    const requestedMs = deps.clock.now().getTime() + input.seconds * 1000;
    const end = lifetimeEnd(container);
    const snoozedUntil =
      end !== undefined && Date.parse(end) < requestedMs ? end : new Date(requestedMs).toISOString();
    const after: Container = { ...container, snoozedUntil };
    await deps.repository.saveWithoutTransition(container, after);
    return after;
  });
}
