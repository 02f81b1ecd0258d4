import type { Container } from '../domain/container';
import type { Actor, RepositoryDependencies } from './dependencies';
import { loadContainer } from './load-container';

/** One container the actor may see. */
export async function getContainer(
  deps: RepositoryDependencies<'getContainer'>,
  input: { actor: Actor; containerId: string },
): Promise<Container> {
  return loadContainer(deps.repository, input.actor, input.containerId);
}
