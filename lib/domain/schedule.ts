/**
 * A weekly schedule in a time zone: windows during which containers run. The schedule acts on its
 * edges only: at a window's start it starts the containers it covers, at its end it stops them,
 * and between the two it leaves them to their users.
 */
import { addDays, instantOfLocalTime, localDateTimeOf, weekdayOf } from './time-zone';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

export const scheduleActions = ['start', 'stop'] as const;
export type ScheduleAction = (typeof scheduleActions)[number];

/** The most windows one schedule may have. */
export const maxScheduleWindows = 14;

export interface ScheduleWindow {
  /** The days the window starts on. */
  readonly days: readonly Weekday[];
  /** `HH:MM`, local time. */
  readonly start: string;
  /** `HH:MM`, local time; earlier than `start` when the window runs past midnight. */
  readonly stop: string;
}

export interface WeeklySchedule {
  /** An IANA time zone, such as `Europe/Berlin`. */
  readonly timeZone: string;
  readonly windows: readonly ScheduleWindow[];
}

export interface ScheduledTransition {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly action: ScheduleAction;
}

/** What a schedule is attached to: one container, or every container of an owner's project. */
export type ScheduleSource = 'container' | 'project';

export const timeOfDayPattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

const minutesPerDay = 1440;
const minutesPerWeek = 7 * minutesPerDay;
const weekMs = minutesPerWeek * 60_000;

/** `HH:MM` to minutes after midnight. */
export function minuteOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

interface Boundary {
  /** Minutes after Monday 00:00, local time, 0 to 10079. */
  readonly minuteOfWeek: number;
  readonly action: ScheduleAction;
}

/**
 * The week's edges, in local time: the windows merged where they overlap or touch (a window that
 * ends as another starts does not stop and start the container), in the order of the week. Empty
 * when the windows cover the whole week: nothing ever starts or stops.
 */
function weeklyBoundaries(windows: readonly ScheduleWindow[]): Boundary[] {
  const intervals: Array<[number, number]> = [];
  for (const window of windows) {
    const start = minuteOfDay(window.start);
    const length = (minuteOfDay(window.stop) - start + minutesPerDay) % minutesPerDay || minutesPerDay;
    for (const day of new Set(window.days)) {
      const from = weekdays.indexOf(day) * minutesPerDay + start;
      const to = from + length;
      if (to <= minutesPerWeek) intervals.push([from, to]);
      else intervals.push([from, minutesPerWeek], [0, to - minutesPerWeek]);
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of intervals) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  const first = merged[0];
  const last = merged[merged.length - 1];
  if (!first || !last) return [];
  if (first[0] === 0 && last[1] === minutesPerWeek) {
    if (merged.length === 1) return [];
    // A window running through Sunday midnight is one window, not a stop and a start.
    merged.shift();
    last[1] = minutesPerWeek + first[1];
  }
  return merged
    .flatMap(([from, to]): Boundary[] => [
      { minuteOfWeek: from, action: 'start' },
      { minuteOfWeek: to % minutesPerWeek, action: 'stop' },
    ])
    .sort((a, b) => a.minuteOfWeek - b.minuteOfWeek);
}

/** True when the windows cover the whole week, so the containers should always run. */
export function coversWholeWeek(schedule: WeeklySchedule): boolean {
  return weeklyBoundaries(schedule.windows).length === 0;
}

/** How far ahead the transitions are looked for: a schedule has some every week. */
const horizonDays = 3700;

/**
 * The schedule's transitions strictly after `afterMs`, in order, alternating start and stop.
 * Local times map to instants by {@link instantOfLocalTime}; where a clock change makes a start
 * and a stop fall on the same instant (a window inside the hour skipped in spring), neither
 * happens.
 */
export function* transitionsAfter(schedule: WeeklySchedule, afterMs: number): Generator<ScheduledTransition> {
  const boundaries = weeklyBoundaries(schedule.windows);
  if (boundaries.length === 0) return;
  // Two days back: a transition of the day before may fall after `afterMs` in this zone's offset,
  // and a pair that a clock change merges is seen whole.
  let date = addDays(localDateTimeOf(afterMs, schedule.timeZone), -2);
  let pending: ScheduledTransition | undefined;
  for (let day = 0; day < horizonDays; day += 1, date = addDays(date, 1)) {
    const weekday = weekdayOf(date);
    for (const boundary of boundaries) {
      if (Math.floor(boundary.minuteOfWeek / minutesPerDay) !== weekday) continue;
      const at = instantOfLocalTime(date, boundary.minuteOfWeek % minutesPerDay, schedule.timeZone);
      if (pending && pending.at === at) {
        pending = undefined;
        continue;
      }
      if (pending && pending.at > afterMs) yield pending;
      pending = { at, action: boundary.action };
    }
  }
}

/** The next `count` transitions after `afterMs`. */
export function nextTransitions(
  schedule: WeeklySchedule,
  afterMs: number,
  count: number,
): ScheduledTransition[] {
  const found: ScheduledTransition[] = [];
  if (count <= 0) return found;
  for (const transition of transitionsAfter(schedule, afterMs)) {
    found.push(transition);
    if (found.length >= count) break;
  }
  return found;
}

/** The first transition after `afterMs`, or undefined when the schedule never changes anything. */
export function nextTransition(schedule: WeeklySchedule, afterMs: number): ScheduledTransition | undefined {
  return nextTransitions(schedule, afterMs, 1)[0];
}

/** The last transition after `afterMs` and at or before `upToMs`: what a late sweep should do. */
export function latestTransitionBetween(
  schedule: WeeklySchedule,
  afterMs: number,
  upToMs: number,
): ScheduledTransition | undefined {
  let latest: ScheduledTransition | undefined;
  for (const transition of transitionsAfter(schedule, afterMs)) {
    if (transition.at > upToMs) break;
    latest = transition;
  }
  return latest;
}

export interface WeeklyHours {
  /** Hours inside the windows in the week from `fromMs`, as the zone's clocks run that week. */
  readonly scheduledHours: number;
  /** 168 less `scheduledHours`: the compute not used compared with running all week. */
  readonly hoursSaved: number;
}

/**
 * The hours the schedule runs containers in the coming week (168 real hours from `fromMs`), and
 * the hours it saves. A week with a clock change counts the hour the clock skips or repeats as it
 * really passes, so a window over that hour runs one hour less, or more.
 */
export function weeklyHours(schedule: WeeklySchedule, fromMs: number): WeeklyHours {
  const toMs = fromMs + weekMs;
  let runningMs = 0;
  let runningSince: number | undefined;
  let first = true;
  let any = false;
  for (const transition of transitionsAfter(schedule, fromMs)) {
    any = true;
    // Transitions alternate: the first one after `from` says what holds at `from`.
    if (first && transition.action === 'stop') runningSince = fromMs;
    first = false;
    if (transition.at > toMs) break;
    if (transition.action === 'start') runningSince = transition.at;
    else if (runningSince !== undefined) {
      runningMs += transition.at - runningSince;
      runningSince = undefined;
    }
  }
  if (!any) runningMs = weekMs;
  else if (runningSince !== undefined) runningMs += toMs - runningSince;
  const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;
  return { scheduledHours: hours(runningMs), hoursSaved: hours(weekMs - runningMs) };
}
