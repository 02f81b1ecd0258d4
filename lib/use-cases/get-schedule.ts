import type { EffectiveSchedule } from '../ports/schedule-repository';
import type { Actor } from './dependencies';
import {
  resolveScheduleTarget,
  type ScheduleDependencies,
  type ScheduleTargetInput,
  scheduleNotFound,
} from './schedule-target';

export interface GetScheduleInput {
  readonly actor: Actor;
  readonly target: ScheduleTargetInput;
}

/**
 * The schedule that applies: a project's own; for a container, its own if it has one, else its
 * project's (a container's schedule wins over its project's).
 * @throws DomainError CONTAINER_NOT_FOUND, SCHEDULE_NOT_FOUND
 */
export async function getSchedule(
  deps: ScheduleDependencies,
  input: GetScheduleInput,
): Promise<EffectiveSchedule> {
  const { target, container } = await resolveScheduleTarget(deps, input.actor, input.target, 'read');
  if (container) {
    const { own, project } = await deps.schedules.getForContainer(container);
    if (own) return { schedule: own, source: 'container' };
    if (project) return { schedule: project, source: 'project' };
    throw scheduleNotFound(input.target);
  }
  const schedule = await deps.schedules.get(target);
  if (!schedule) throw scheduleNotFound(input.target);
  return { schedule, source: 'project' };
}
