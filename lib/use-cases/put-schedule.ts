import { randomUUID } from 'node:crypto';
import { ValidationError } from '../domain/errors';
import { nextTransition, type ScheduleWindow } from '../domain/schedule';
import { canonicalTimeZone } from '../domain/time-zone';
import { type StoredSchedule, scheduleIdOf } from '../ports/schedule-repository';
import type { Actor } from './dependencies';
import {
  resolveScheduleTarget,
  type ScheduleDependencies,
  type ScheduleTargetInput,
} from './schedule-target';

export interface PutScheduleInput {
  readonly actor: Actor;
  readonly target: ScheduleTargetInput;
  readonly timeZone: string;
  readonly windows: readonly ScheduleWindow[];
}

export interface PutScheduleResult {
  readonly schedule: StoredSchedule;
  /** False when it replaced a schedule the target already had. */
  readonly created: boolean;
}

/**
 * Sets the weekly schedule of a container or of an owner's project, replacing any it had, and
 * computes its next transition: the sweep acts on that one, and nothing happens before it (a
 * container running outside the new windows is stopped at the next window's end, not now).
 * @throws DomainError QUOTA_EXCEEDED when it would be one more than the owner's schedule limit
 */
export async function putSchedule(
  deps: ScheduleDependencies,
  input: PutScheduleInput,
): Promise<PutScheduleResult> {
  const timeZone = canonicalTimeZone(input.timeZone);
  if (!timeZone) {
    throw new ValidationError([{ field: 'body.time_zone', message: 'must be an IANA time zone' }]);
  }
  const { target } = await resolveScheduleTarget(deps, input.actor, input.target, 'change');
  const existing = await deps.schedules.get(target);
  const now = deps.clock.now();
  const next = nextTransition({ timeZone, windows: input.windows }, now.getTime());
  const schedule: StoredSchedule = {
    id: scheduleIdOf(target),
    target,
    timeZone,
    windows: input.windows,
    next: next ? { at: new Date(next.at).toISOString(), action: next.action } : null,
    revision: randomUUID(),
    createdAt: existing?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const written = await deps.schedules.put(schedule, { replacing: existing !== undefined });
  return { schedule, created: written === 'created' };
}
