import type { Container } from '../domain/container';
import { type ContainerStatus, isAtRest } from '../domain/container-status';
import type { Actor, Dependencies, RepositoryDependencies } from './dependencies';
import { loadContainer } from './load-container';
import { pollUntil } from './poll';

export interface WaitForContainerInput {
  readonly actor: Actor;
  readonly containerId: string;
  /** The status to wait for; without it the container is read once. */
  readonly status?: ContainerStatus | undefined;
  /** Seconds to wait at most. @default 0 */
  readonly waitSeconds?: number | undefined;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface WaitedContainer {
  readonly container: Container;
  /** True when the time ran out while the container was still on its way somewhere. */
  readonly timedOut: boolean;
}

/**
 * One container, once it is in `status` or at rest in another: a start that ended in `error` will
 * not get there by itself, so waiting longer would only delay the answer. A running job is not at
 * rest: it is waited on until it ends (isAtRest). Each poll is one GetItem.
 */
export async function waitForContainer(
  deps: RepositoryDependencies<'getContainer'> & Pick<Dependencies, 'clock'>,
  input: WaitForContainerInput,
): Promise<WaitedContainer> {
  const { status } = input;
  const arrived = (container: Container) => container.status === status || isAtRest(container);
  const container = await pollUntil({
    read: () => loadContainer(deps.repository, input.actor, input.containerId),
    done: (current) => status === undefined || arrived(current),
    waitMs: status === undefined ? 0 : (input.waitSeconds ?? 0) * 1000,
    clock: deps.clock,
    ...(input.sleep ? { sleep: input.sleep } : {}),
  });
  return { container, timedOut: status !== undefined && !arrived(container) };
}
