import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coversWholeWeek,
  latestTransitionBetween,
  nextTransitions,
  type ScheduleWindow,
  type WeeklySchedule,
  weekdays,
  weeklyHours,
} from '../../../../lib/domain/schedule';
import {
  canonicalTimeZone,
  instantOfLocalTime,
  localDateTimeOf,
  localIsoString,
  offsetMsAt,
} from '../../../../lib/domain/time-zone';

const berlin = 'Europe/Berlin';
const workdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const officeHours: WeeklySchedule = {
  timeZone: berlin,
  windows: [{ days: workdays, start: '08:00', stop: '19:00' }],
};

/** The transitions as `action local-time`, which reads like the schedule it comes from. */
function described(schedule: WeeklySchedule, from: string, count: number): string[] {
  return nextTransitions(schedule, Date.parse(from), count).map(
    (transition) => `${transition.action} ${localIsoString(transition.at, schedule.timeZone)}`,
  );
}

describe('time zones with Intl only', () => {
  it('accepts IANA names, canonicalised, and refuses offsets and unknown names', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    for (const bad of ['', 'Mars/Olympus_Mons', '+01:00', 'Europe/Berlin ', '../etc', 'x'.repeat(65)]) {
      expect(canonicalTimeZone(bad), bad).toBeUndefined();
    }
  });

  it('maps a local time skipped in spring to the moment of the jump, in Berlin at 03:00 CEST', () => {
    const instant = instantOfLocalTime({ year: 2026, month: 3, day: 29 }, 2 * 60 + 30, berlin);

    expect(new Date(instant).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(localIsoString(instant, berlin)).toBe('2026-03-29T03:00:00+02:00');
  });

  it('maps a local time repeated in autumn to its first pass, still in summer time', () => {
    const instant = instantOfLocalTime({ year: 2026, month: 10, day: 25 }, 2 * 60 + 30, berlin);

    expect(new Date(instant).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(localIsoString(instant, berlin)).toBe('2026-10-25T02:30:00+02:00');
  });

  it('reads the local date and time of an instant', () => {
    expect(localDateTimeOf(Date.parse('2026-12-31T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      year: 2027,
      month: 1,
      day: 1,
      hour: 8,
      minute: 30,
      second: 0,
    });
  });
});

describe('next transitions', () => {
  it('lists office hours in Berlin across the spring change, each at its local time', () => {
    expect(described(officeHours, '2026-03-26T12:00:00Z', 5)).toEqual([
      'stop 2026-03-26T19:00:00+01:00',
      'start 2026-03-27T08:00:00+01:00',
      'stop 2026-03-27T19:00:00+01:00',
      'start 2026-03-30T08:00:00+02:00',
      'stop 2026-03-30T19:00:00+02:00',
    ]);
  });

  it('runs a window over midnight into the next day', () => {
    const schedule: WeeklySchedule = {
      timeZone: 'UTC',
      windows: [{ days: ['fri'], start: '22:00', stop: '02:00' }],
    };

    expect(described(schedule, '2026-06-01T00:00:00Z', 2)).toEqual([
      'start 2026-06-05T22:00:00+00:00',
      'stop 2026-06-06T02:00:00+00:00',
    ]);
  });

  it('joins a Sunday night window with a Monday morning one: no stop and start at the week boundary', () => {
    const schedule: WeeklySchedule = {
      timeZone: 'UTC',
      windows: [
        { days: ['sun'], start: '20:00', stop: '00:00' },
        { days: ['mon'], start: '00:00', stop: '06:00' },
      ],
    };

    expect(described(schedule, '2026-06-01T12:00:00Z', 3)).toEqual([
      'start 2026-06-07T20:00:00+00:00',
      'stop 2026-06-08T06:00:00+00:00',
      'start 2026-06-14T20:00:00+00:00',
    ]);
  });

  it('merges overlapping windows into one', () => {
    const schedule: WeeklySchedule = {
      timeZone: 'UTC',
      windows: [
        { days: ['tue'], start: '09:00', stop: '12:00' },
        { days: ['tue'], start: '11:00', stop: '15:00' },
      ],
    };

    expect(described(schedule, '2026-06-01T00:00:00Z', 2)).toEqual([
      'start 2026-06-02T09:00:00+00:00',
      'stop 2026-06-02T15:00:00+00:00',
    ]);
  });

  it('drops a window that lies inside the hour Berlin skips in spring, and keeps it the week after', () => {
    const schedule: WeeklySchedule = {
      timeZone: berlin,
      windows: [{ days: ['sun'], start: '02:10', stop: '02:40' }],
    };

    expect(described(schedule, '2026-03-28T00:00:00Z', 2)).toEqual([
      'start 2026-04-05T02:10:00+02:00',
      'stop 2026-04-05T02:40:00+02:00',
    ]);
  });

  it('has no transitions when the windows cover the whole week', () => {
    const schedule: WeeklySchedule = {
      timeZone: berlin,
      windows: [
        { days: weekdays, start: '00:00', stop: '23:59' },
        { days: weekdays, start: '23:59', stop: '00:00' },
      ],
    };

    expect(coversWholeWeek(schedule)).toBe(true);
    expect(nextTransitions(schedule, Date.parse('2026-06-01T00:00:00Z'), 3)).toEqual([]);
  });

  it('tells a late sweep the latest due transition, not the first one it missed', () => {
    const from = Date.parse('2026-06-01T06:00:00Z');
    const now = Date.parse('2026-06-02T07:30:00Z'); // Tuesday 09:30 in Berlin

    const latest = latestTransitionBetween(officeHours, from, now);

    expect(latest?.action).toBe('start');
    expect(localIsoString(latest?.at ?? 0, berlin)).toBe('2026-06-02T08:00:00+02:00');
  });
});

describe('hours saved per week', () => {
  it('is 168 less the hours inside the windows: 113 for office hours', () => {
    expect(weeklyHours(officeHours, Date.parse('2026-06-03T10:00:00Z'))).toEqual({
      scheduledHours: 55,
      hoursSaved: 113,
    });
  });

  it('counts a Sunday night window one hour shorter in the spring-forward week in Berlin', () => {
    const schedule: WeeklySchedule = {
      timeZone: berlin,
      windows: [{ days: ['sun'], start: '01:00', stop: '04:00' }],
    };

    expect(weeklyHours(schedule, Date.parse('2026-03-27T00:00:00Z'))).toEqual({
      scheduledHours: 2,
      hoursSaved: 166,
    });
    expect(weeklyHours(schedule, Date.parse('2026-06-05T00:00:00Z')).scheduledHours).toBe(3);
  });

  it('counts it one hour longer in the fall-back week', () => {
    const schedule: WeeklySchedule = {
      timeZone: berlin,
      windows: [{ days: ['sun'], start: '01:00', stop: '04:00' }],
    };

    expect(weeklyHours(schedule, Date.parse('2026-10-23T00:00:00Z'))).toEqual({
      scheduledHours: 4,
      hoursSaved: 164,
    });
  });

  it('counts the week from now when now is inside a window', () => {
    // Wednesday 12:00 in Berlin: the rest of today's window, and today's again a week later.
    expect(weeklyHours(officeHours, Date.parse('2026-06-03T10:00:00Z')).scheduledHours).toBe(55);
  });

  it('saves nothing when the windows cover the whole week', () => {
    const schedule: WeeklySchedule = {
      timeZone: 'UTC',
      windows: [
        { days: weekdays, start: '06:00', stop: '05:59' },
        { days: weekdays, start: '05:59', stop: '06:00' },
      ],
    };

    expect(weeklyHours(schedule, Date.now())).toEqual({ scheduledHours: 168, hoursSaved: 0 });
  });
});

describe('schedule properties (fast-check)', () => {
  const zones = [
    'Europe/Berlin',
    'America/New_York',
    'America/Santiago',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kolkata',
    'UTC',
  ];
  const time = fc
    .record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.constantFrom(0, 1, 15, 30, 45, 59) })
    .map(({ hour, minute }) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
  const window: fc.Arbitrary<ScheduleWindow> = fc
    .record({
      days: fc.uniqueArray(fc.constantFrom(...weekdays), { minLength: 1, maxLength: 7 }),
      start: time,
      stop: time,
    })
    .filter((candidate) => candidate.start !== candidate.stop);
  const schedule: fc.Arbitrary<WeeklySchedule> = fc.record({
    timeZone: fc.constantFrom(...zones),
    windows: fc.array(window, { minLength: 1, maxLength: 4 }),
  });
  // 2020 to 2035: every zone above changes its clocks in some of these years.
  const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });

  it('lists transitions strictly in the future, in order, alternating start and stop', () => {
    fc.assert(
      fc.property(schedule, instant, (candidate, from) => {
        const transitions = nextTransitions(candidate, from, 8);
        if (coversWholeWeek(candidate)) return transitions.length === 0;
        let previous = from;
        transitions.forEach((transition, index) => {
          expect(transition.at).toBeGreaterThan(previous);
          const before = transitions[index - 1];
          if (before) expect(transition.action).not.toBe(before.action);
          previous = transition.at;
        });
        return transitions.length === 8;
      }),
      { numRuns: 300 },
    );
  });

  it('puts every transition at a time of day a window names, or at the moment a clock jumps forward', () => {
    fc.assert(
      fc.property(schedule, instant, (candidate, from) => {
        const times = new Set(candidate.windows.flatMap((each) => [each.start, each.stop]));
        return nextTransitions(candidate, from, 6).every((transition) => {
          const local = localDateTimeOf(transition.at, candidate.timeZone);
          const shown = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
          const jump =
            offsetMsAt(transition.at, candidate.timeZone) >
            offsetMsAt(transition.at - 1000, candidate.timeZone);
          return (times.has(shown) && local.second === 0) || jump;
        });
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the hours of a week between 0 and 168, adding up to 168', () => {
    fc.assert(
      fc.property(schedule, instant, (candidate, from) => {
        const { scheduledHours, hoursSaved } = weeklyHours(candidate, from);
        expect(scheduledHours).toBeGreaterThanOrEqual(0);
        expect(hoursSaved).toBeGreaterThanOrEqual(0);
        expect(scheduledHours + hoursSaved).toBeCloseTo(168, 1);
      }),
      { numRuns: 200 },
    );
  });

  it('tells a sweep at any time the transition that a sweep right after it would have applied', () => {
    fc.assert(
      fc.property(
        schedule,
        instant,
        fc.integer({ min: 1, max: 14 * 86_400_000 }),
        (candidate, from, lateMs) => {
          const [first] = nextTransitions(candidate, from, 1);
          if (!first) return true;
          const latest = latestTransitionBetween(candidate, first.at - 1, first.at + lateMs);
          const passed = nextTransitions(candidate, first.at - 1, 200).filter(
            (each) => each.at <= first.at + lateMs,
          );
          return latest?.at === passed[passed.length - 1]?.at;
        },
      ),
      { numRuns: 100 },
    );
  });
});
