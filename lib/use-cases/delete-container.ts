import type { Container } from '../domain/container';
import { DomainError } from '../domain/errors';
import type { Actor, Dependencies } from './dependencies';
import { loadContainer, retryOnConflict } from './load-container';
import { runtimeFailure } from './runtime-failure';

/**
 * Stops the container's task if one may be running, releases its task definition and deletes
 * it. The ECS calls come first: if one fails, the container is still there to delete again.
 * Its history stays until the log retention TTL removes it.
 */
export async function deleteContainer(
  deps: Dependencies,
  input: { actor: Actor; containerId: string },
): Promise<Container> {
  return retryOnConflict(async () => {
    const container = await loadContainer(deps.repository, input.actor, input.containerId);
    if (container.status === 'expired') {
      throw new DomainError(
        'OPERATION_NOT_PERMITTED_ON_EXPIRED',
        'The container has expired and is read-only',
      );
    }
    try {
      const taskArn = container.task?.arn;
      if (taskArn && container.task?.lastStatus !== 'STOPPED') {
        await deps.runtime.stopTask({ taskArn, reason: 'delete requested through the API' });
      }
      if (container.taskDefinitionArn)
        await deps.runtime.deregisterTaskDefinition(container.taskDefinitionArn);
    } catch (error) {
      throw runtimeFailure(error, container.id);
    }
    await deps.repository.deleteContainer(container);
    return container;
  });
}
