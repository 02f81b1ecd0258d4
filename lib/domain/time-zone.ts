/**
 * Wall-clock time in an IANA time zone, with Intl.DateTimeFormat only (no time zone library):
 * the offset of a zone at an instant, the local date and time of an instant, and the instant at
 * which a zone's clock reaches a local date and time, daylight saving changes included.
 */

/** A calendar date: month 1-12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Names that look like IANA zones; Intl alone would also take offsets such as `+01:00`. */
const zoneName = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * The zone's name as the caller gave it, with its case corrected (`utc` is `UTC`), or undefined
 * when it is not an IANA time zone. Links keep their own name: ICU would answer
 * `Asia/Kolkata` with the older `Asia/Calcutta`.
 */
export function canonicalTimeZone(timeZone: string): string | undefined {
  if (timeZone.length > 64 || !zoneName.test(timeZone)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
  } catch {
    return undefined;
  }
}

export function isTimeZone(timeZone: string): boolean {
  return canonicalTimeZone(timeZone) !== undefined;
}

/** The local date and time of an instant in a zone (to the second). */
export function localDateTimeOf(instantMs: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Milliseconds the zone's clock is ahead of UTC at an instant (Berlin in summer: 7,200,000). */
export function offsetMsAt(instantMs: number, timeZone: string): number {
  const local = localDateTimeOf(instantMs, timeZone);
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return wall - Math.floor(instantMs / 1000) * 1000;
}

const hourMs = 3_600_000;

/**
 * The first instant at which the zone's clock reads `minuteOfDay` on `date`, or later. A time the
 * clock passes twice (when it goes back) is its first pass; a time the clock skips (when it jumps
 * forward) is the moment of the jump, when the clock first reads a later time. So the result
 * never decreases as the local time grows, and a weekly schedule's order survives every change.
 *
 * It assumes the offset changes at most once in the 30 hours around the date, as every zone's
 * daylight saving rules do.
 */
export function instantOfLocalTime(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  // Offsets run from -12 h to +14 h: the instant lies within [wall - 14 h, wall + 12 h].
  const earlier = offsetMsAt(wall - 16 * hourMs, timeZone);
  const later = offsetMsAt(wall + 14 * hourMs, timeZone);
  const valid = [wall - earlier, wall - later].filter((instant, index) => {
    const offset = index === 0 ? earlier : later;
    return offsetMsAt(instant, timeZone) === offset;
  });
  if (valid.length > 0) return Math.min(...valid);
  // Skipped: the clock jumped over this time. Find the jump, to the second.
  let low = Math.floor(Math.min(wall - earlier, wall - later) / 1000);
  let high = Math.ceil(Math.max(wall - earlier, wall - later) / 1000);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetMsAt(middle * 1000, timeZone) === later) high = middle;
    else low = middle;
  }
  return high * 1000;
}

/** The date `days` after (or before) `date`. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Day of the week, Monday 0 to Sunday 6. */
export function weekdayOf(date: LocalDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

/** ISO 8601 with the zone's offset at that instant: `2026-03-29T03:00:00+02:00`. */
export function localIsoString(instantMs: number, timeZone: string): string {
  const local = localDateTimeOf(instantMs, timeZone);
  const offsetMinutes = Math.round(offsetMsAt(instantMs, timeZone) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${String(local.year).padStart(4, '0')}-${two(local.month)}-${two(local.day)}` +
    `T${two(local.hour)}:${two(local.minute)}:${two(local.second)}` +
    `${sign}${two(Math.floor(absolute / 60))}:${two(absolute % 60)}`
  );
}
