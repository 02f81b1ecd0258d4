import { randomUUID } from 'node:crypto';
import { newContainerId } from '../domain/container-id';

export interface IdGenerator {
  containerId(now: Date): string;
  /** Names one transition: the log entry's id and the operation's id. */
  transitionId(): string;
}

export const randomIds: IdGenerator = {
  containerId: (now) => newContainerId(now),
  transitionId: () => randomUUID(),
};
