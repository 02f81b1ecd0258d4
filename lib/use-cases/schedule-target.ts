import type { Container } from '../domain/container';
import { DomainError } from '../domain/errors';
import type { ScheduleRepository, ScheduleTarget } from '../ports/schedule-repository';
import type { Actor, TableDependencies } from './dependencies';
import { loadChangeableContainer, loadContainer } from './load-container';

/** What the schedule use cases are given: the schedules, and the containers they apply to. */
export type ScheduleDependencies = TableDependencies<'getContainer'> & {
  readonly schedules: ScheduleRepository;
};

/**
 * A container's schedule, or a project's: the caller's own project, or with `ownerId` (admins
 * only; ignored for others, as list-containers ignores it) another owner's.
 */
export type ScheduleTargetInput =
  | { readonly containerId: string }
  | { readonly projectId: string; readonly ownerId?: string | undefined };

export interface ResolvedTarget {
  readonly target: ScheduleTarget;
  /** The container, for a container's schedule. */
  readonly container?: Container;
}

/**
 * The target of a schedule request. A container must be one the actor may see (else
 * CONTAINER_NOT_FOUND), and, to change its schedule, not expired; a project is the owner's own.
 */
export async function resolveScheduleTarget(
  deps: ScheduleDependencies,
  actor: Actor,
  input: ScheduleTargetInput,
  purpose: 'read' | 'change',
): Promise<ResolvedTarget> {
  if (!('containerId' in input)) {
    const ownerId = actor.isAdmin && input.ownerId ? input.ownerId : actor.id;
    return { target: { source: 'project', ownerId, projectId: input.projectId } };
  }
  const container =
    purpose === 'change'
      ? await loadChangeableContainer(deps.repository, actor, input.containerId, undefined)
      : await loadContainer(deps.repository, actor, input.containerId);
  return {
    container,
    target: {
      source: 'container',
      ownerId: container.ownerId,
      projectId: container.projectId,
      containerId: container.id,
    },
  };
}

export function scheduleNotFound(input: ScheduleTargetInput): DomainError {
  return new DomainError(
    'SCHEDULE_NOT_FOUND',
    'containerId' in input
      ? 'Neither the container nor its project has a schedule'
      : 'The project has no schedule',
  );
}
