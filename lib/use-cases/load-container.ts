import type { Container } from '../domain/container';
import { DomainError } from '../domain/errors';
import { refuseIfExpired } from '../domain/operations';
import type { ContainerRepository } from '../ports/container-repository';
import { VersionConflictError } from '../ports/container-repository';
import type { Actor } from './dependencies';
import { requireVersion } from './precondition';

/**
 * The container, if the actor may see it. Another owner's container is "not found", never
 * "forbidden": its existence is not disclosed.
 */
export async function loadContainer(
  repository: Pick<ContainerRepository, 'getContainer'>,
  actor: Actor,
  id: string,
): Promise<Container> {
  const container = await repository.getContainer(id);
  if (!container || (container.ownerId !== actor.id && !actor.isAdmin)) {
    throw new DomainError('CONTAINER_NOT_FOUND', 'Container not found');
  }
  return container;
}

/**
 * The container, if the actor may change it: visible to the actor, still at the version the
 * caller last saw (If-Match, when given), and not expired.
 */
export async function loadChangeableContainer(
  repository: Pick<ContainerRepository, 'getContainer'>,
  actor: Actor,
  id: string,
  expectedVersion: number | undefined,
): Promise<Container> {
  const container = await loadContainer(repository, actor, id);
  requireVersion(container, expectedVersion);
  refuseIfExpired(container.status);
  return container;
}

/**
 * Runs a read-decide-write step again when another writer got there first, so concurrent
 * requests are serialised by the version condition instead of failing. Each retry re-reads and
 * decides anew: the loser of a race sees the winner's status.
 */
export async function retryOnConflict<T>(step: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      if (attempt >= attempts) {
        throw new DomainError('OPERATION_STATE_CONFLICT', 'The container is changing too fast; try again', {
          cause: error,
        });
      }
      // Jittered backoff spreads a burst of writers so that they do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** Math.min(attempt, 5)));
    }
  }
}
