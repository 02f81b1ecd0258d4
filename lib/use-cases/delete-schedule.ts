import { DomainError } from '../domain/errors';
import type { Actor } from './dependencies';
import {
  resolveScheduleTarget,
  type ScheduleDependencies,
  type ScheduleTargetInput,
} from './schedule-target';

export interface DeleteScheduleInput {
  readonly actor: Actor;
  readonly target: ScheduleTargetInput;
}

/**
 * Removes the target's own schedule; a container then follows its project's schedule, if any,
 * from that schedule's next transition. Nothing is started or stopped now.
 * @throws DomainError CONTAINER_NOT_FOUND, SCHEDULE_NOT_FOUND
 */
export async function deleteSchedule(deps: ScheduleDependencies, input: DeleteScheduleInput): Promise<void> {
  const { target } = await resolveScheduleTarget(deps, input.actor, input.target, 'change');
  if (!(await deps.schedules.delete(target))) {
    const what =
      target.source === 'container'
        ? 'The container has no schedule of its own'
        : 'The project has no schedule';
    throw new DomainError('SCHEDULE_NOT_FOUND', what);
  }
}
