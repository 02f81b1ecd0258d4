import { DomainError } from '../domain/errors';
import { isOperationEntry, type OperationState, operationState } from '../domain/operation-status';
import { locateTransition } from '../domain/transition-id';
import type { Actor, Dependencies, RepositoryDependencies } from './dependencies';
import { pollUntil } from './poll';

export interface GetOperationInput {
  readonly actor: Actor;
  /** The transition id the operation was accepted with. */
  readonly operationId: string;
  /** Seconds to wait for the operation to end before answering it as it is. @default 0 */
  readonly waitSeconds?: number | undefined;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * One operation and whether it has ended, waiting up to `waitSeconds` for it to. The id locates
 * the operation's log entry ({@link locateTransition}), so the first read is one BatchGetItem of
 * the container, that entry and the next one. While it is pending each poll reads the container
 * alone (one GetItem): only when its version has moved is the record read again to see how.
 *
 * Another owner's operation, an id that names no operation (an ECS-reported step, an undo, a
 * write that lost its race) and one whose history has expired are all OPERATION_NOT_FOUND.
 */
export async function getOperation(
  deps: RepositoryDependencies<'getTransitionRecord' | 'getContainer'> & Pick<Dependencies, 'clock'>,
  input: GetOperationInput,
): Promise<OperationState> {
  const location = locateTransition(input.operationId);
  if (!location) throw operationNotFound();
  const readRecord = async (): Promise<OperationState> => {
    const { entry, next, container } = await deps.repository.getTransitionRecord(
      location.containerId,
      location.version,
    );
    const visible = entry && (entry.ownerId === input.actor.id || input.actor.isAdmin);
    if (!entry || !visible || entry.id !== input.operationId || !isOperationEntry(entry)) {
      throw operationNotFound();
    }
    return operationState(entry, next, container);
  };
  let state: OperationState | undefined;
  return pollUntil({
    read: async () => {
      if (state) {
        const container = await deps.repository.getContainer(location.containerId);
        if (container?.version === location.version) return state;
      }
      state = await readRecord();
      return state;
    },
    done: (current) => current.status !== 'pending',
    waitMs: (input.waitSeconds ?? 0) * 1000,
    clock: deps.clock,
    ...(input.sleep ? { sleep: input.sleep } : {}),
  });
}

function operationNotFound(): DomainError {
  return new DomainError('OPERATION_NOT_FOUND', 'Operation not found');
}
