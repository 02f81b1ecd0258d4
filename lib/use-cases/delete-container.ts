import type { Container } from '../domain/container';
import { logger } from '../logger';
import type { Actor, RuntimeDependencies } from './dependencies';
import { loadChangeableContainer, retryOnConflict } from './load-container';
import { requireLastUse } from './precondition';
import { runtimeFailure } from './runtime-failure';

/** StopTask of a task that may be running, then DeregisterTaskDefinition. */
export type DeleteContainerDependencies = RuntimeDependencies<
  'stopTask' | 'deregisterTaskDefinition',
  'getContainer' | 'deleteContainer'
>;

/**
 * Stops the container's task if one may be running, deletes the container, then releases its
 * task definition. If StopTask fails, nothing is deleted and the call can be repeated. Its
 * history stays until the log retention TTL removes it.
 */
export async function deleteContainer(
  deps: DeleteContainerDependencies,
  input: {
    actor: Actor;
    containerId: string;
    expectedVersion?: number | undefined;
    expectedLastUsedAt?: string | undefined;
  },
): Promise<Container> {
  return retryOnConflict(async () => {
    const container = await loadChangeableContainer(
      deps.repository,
      input.actor,
      input.containerId,
      input.expectedVersion,
    );
    requireLastUse(container, input.expectedLastUsedAt);
    const taskArn = container.task?.arn;
    if (taskArn && container.task?.lastStatus !== 'STOPPED') {
      await deps.runtime
        .stopTask({ taskArn, reason: 'delete requested through the API' })
        .catch((error: unknown) => {
          throw runtimeFailure(error, container.id);
        });
    }
    await deps.repository.deleteContainer(container);
    // Released after the record is gone: a failure here leaves a harmless inactive-to-be task
    // definition behind, never a container whose task definition was pulled from under it.
    if (container.taskDefinitionArn) {
      await deps.runtime.deregisterTaskDefinition(container.taskDefinitionArn).catch((error: unknown) => {
        logger.warn('task definition not released', {
          container_id: container.id,
          error: error instanceof Error ? error.name : String(error),
        });
      });
    }
    return container;
  });
}
