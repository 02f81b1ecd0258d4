/** The schedule routes' body and queries, for a container and for a project. */
import { maxScheduleWindows, timeOfDayPattern, weekdays } from '../../domain/schedule';
import { isTimeZone } from '../../domain/time-zone';
import * as z from '../../schema';
import { ownerId } from './common';

const timeOfDay = z.string().check(z.regex(timeOfDayPattern, 'must be a time of day, HH:MM, 00:00 to 23:59'));

/** PUT /v1/containers/{id}/schedule and /v1/projects/{project_id}/schedule. */
export const scheduleBody = z.strictObject({
  time_zone: z
    .string()
    .check(z.refine(isTimeZone, 'must be an IANA time zone, such as Europe/Berlin or America/New_York')),
  windows: z
    .array(
      z
        .strictObject({
          days: z.array(z.enum(weekdays)).check(z.minLength(1), z.maxLength(7)),
          start: timeOfDay,
          stop: timeOfDay,
        })
        .check(
          z.refine(
            (window: { start: string; stop: string }) => window.start !== window.stop,
            'start and stop must differ; a stop earlier than the start ends the next day',
          ),
        ),
    )
    .check(z.minLength(1), z.maxLength(maxScheduleWindows)),
});

export const projectScheduleQuery = z.strictObject({
  owner_id: z.optional(ownerId),
});

const previewCount = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 10);
export const containerSchedulePreviewQuery = z.strictObject({ count: previewCount });
export const projectSchedulePreviewQuery = z.strictObject({
  count: previewCount,
  owner_id: z.optional(ownerId),
});
