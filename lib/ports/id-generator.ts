import { newContainerId } from '../domain/container-id';
import { newTransitionId } from '../domain/transition-id';

export interface IdGenerator {
  containerId(now: Date): string;
  /**
   * Names one transition: the log entry's id and, for the step a request opens, the operation's
   * id. It locates the entry: the container and the version the transition brings it to.
   */
  transitionId(containerId: string, version: number): string;
}

export const randomIds: IdGenerator = {
  containerId: (now) => newContainerId(now),
  transitionId: (containerId, version) => newTransitionId(containerId, version),
};
