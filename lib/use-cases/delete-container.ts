import type { Container } from '../domain/container';
import type { Actor, RuntimeDependencies } from './dependencies';
import { loadChangeableContainer, retryOnConflict } from './load-container';
import { requireLastUse } from './precondition';
import { runtimeFailure } from './runtime-failure';

/** StopTask of a task that may be running; the task definition is released off the request path. */
export type DeleteContainerDependencies = RuntimeDependencies<'stopTask', 'getContainer' | 'deleteContainer'>;

/**
 * Stops the container's task if one may be running, then deletes the container. If StopTask
 * fails, nothing is deleted and the call can be repeated. Its task definition is released once
 * the delete reaches the table's stream (functions/streams/release-task-definitions.ts), which
 * retries until ECS takes it, so it is never pulled from under a container that still exists.
 * Its history stays until the log retention TTL removes it.
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
    return container;
  });
}
