import { nextTransitions, type ScheduledTransition, weeklyHours } from '../domain/schedule';
import type { EffectiveSchedule } from '../ports/schedule-repository';
import type { Actor } from './dependencies';
import { getSchedule } from './get-schedule';
import type { ScheduleDependencies, ScheduleTargetInput } from './schedule-target';

export interface PreviewScheduleInput {
  readonly actor: Actor;
  readonly target: ScheduleTargetInput;
  /** How many transitions to list. */
  readonly count: number;
}

export interface SchedulePreview extends EffectiveSchedule {
  /** The next transitions from now, in order. */
  readonly transitions: readonly ScheduledTransition[];
  /** Hours the schedule runs the containers in the coming 168 hours, and the hours it saves. */
  readonly scheduledHours: number;
  readonly hoursSaved: number;
}

/**
 * What the schedule that applies will do next, and the compute it saves in the coming week
 * compared with running all week, clock changes included.
 * @throws DomainError CONTAINER_NOT_FOUND, SCHEDULE_NOT_FOUND
 */
export async function previewSchedule(
  deps: ScheduleDependencies,
  input: PreviewScheduleInput,
): Promise<SchedulePreview> {
  const effective = await getSchedule(deps, input);
  const now = deps.clock.now().getTime();
  const hours = weeklyHours(effective.schedule, now);
  return {
    ...effective,
    transitions: nextTransitions(effective.schedule, now, input.count),
    scheduledHours: hours.scheduledHours,
    hoursSaved: hours.hoursSaved,
  };
}
