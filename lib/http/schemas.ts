/** The contract's request shapes, checked at the edge before any I/O. */

import { batchOperations } from '../domain/batch';
import { containerKinds } from '../domain/container';
import { containerIdPattern } from '../domain/container-id';
import { containerStatuses } from '../domain/container-status';
import { runIdPattern } from '../domain/job';
import { operations } from '../domain/operations';
import { maxScheduleWindows, timeOfDayPattern, weekdays } from '../domain/schedule';
import { isTimeZone } from '../domain/time-zone';
import { deliveryIdPattern, webhookEventTypes, webhookIdPattern } from '../domain/webhook';
import { logSortKeys } from '../ports/container-repository';
import * as z from '../schema';

const slug = z
  .string()
  .check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'use 1-63 of a-z, 0-9 and -, not at either end'));

export const idPath = z.object({ id: z.string().check(z.regex(containerIdPattern)) });

/** POST /v1/containers/{id}/snooze: seconds from now before which it is not stopped for idleness. */
export const snoozeBody = z.strictObject({
  seconds: z.number().check(z.int(), z.minimum(60), z.maximum(86_400)),
});

export const operationPath = z.object({
  id: z.string().check(z.regex(containerIdPattern)),
  operation: z.enum(operations),
});

/** Fargate's valid memory sizes (MiB) for each CPU size (units). */
export const fargateMemory: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, index) => from + index * step);
}

const imageReference = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(255),
    z.regex(
      /^[a-z0-9][a-z0-9._\-/:@]*$/i,
      'must be an image reference such as public.ecr.aws/docker/library/python:3.13',
    ),
  );

/** The auto-stop policy's fields, on create and on PATCH: null turns each off. */
const idleTimeoutSeconds = z.nullable(z.number().check(z.int(), z.minimum(60), z.maximum(604_800)));
const maxLifetimeSeconds = z.nullable(z.number().check(z.int(), z.minimum(300), z.maximum(2_592_000)));

/** PATCH /v1/containers/{id}: the auto-stop policy, at least one field of it. */
export const updatePolicyBody = z
  .strictObject({
    idle_timeout_seconds: z.optional(idleTimeoutSeconds),
    max_lifetime_seconds: z.optional(maxLifetimeSeconds),
  })
  .check(
    z.refine(
      (body) => body.idle_timeout_seconds !== undefined || body.max_lifetime_seconds !== undefined,
      'name at least one of idle_timeout_seconds, max_lifetime_seconds',
    ),
  );

export const createContainerBody = z.pipe(
  z.strictObject({
    name: slug,
    image: imageReference,
    project_id: z._default(slug, 'default'),
    cpu_units: z._default(
      z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]),
      256,
    ),
    memory_mb: z.optional(z.number().check(z.int())),
    command: z._default(
      z.nullable(z.array(z.string().check(z.maxLength(4096))).check(z.maxLength(64))),
      null,
    ),
    // A JavaScript object cannot hold `__proto__` as data: the record would drop it without a word.
    environment: z._default(
      z.pipe(
        z.custom<unknown>(
          (value) => !(typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')),
          '__proto__ is a reserved name',
        ),
        z
          .record(
            z
              .string()
              .check(
                z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'environment names are letters, digits and _'),
              ),
            z.string().check(z.maxLength(4096)),
          )
          .check(z.refine((environment) => Object.keys(environment).length <= 100, 'at most 100 variables')),
      ),
      {},
    ),
    // Default 3600 for a service; a job runs to completion, so its only allowed value is null.
    idle_timeout_seconds: z.optional(idleTimeoutSeconds),
    max_lifetime_seconds: z._default(maxLifetimeSeconds, null),
    start: z._default(z.boolean(), true),
    kind: z._default(z.enum(containerKinds), 'service'),
  }),
  z.transform((body, context) => {
    const allowed = fargateMemory[body.cpu_units] ?? [];
    const memory = body.memory_mb ?? allowed[0] ?? 512;
    const isJob = body.kind === 'job';
    const refusals: { path: string; message: string }[] = [];
    if (!allowed.includes(memory)) {
      refusals.push({
        path: 'memory_mb',
        message: `with cpu_units ${body.cpu_units}, memory_mb must be one of ${allowed.join(', ')}`,
      });
    }
    if (isJob && body.idle_timeout_seconds != null) {
      refusals.push({
        path: 'idle_timeout_seconds',
        message: 'a job runs to completion and is never stopped for idleness: leave it out or null',
      });
    }
    if (refusals.length > 0) {
      for (const { path, message } of refusals) {
        context.issues.push({ code: 'custom', path: [path], message, input: body });
      }
      return z.NEVER;
    }
    const defaultIdleTimeout = isJob ? null : 3600;
    return {
      ...body,
      memory_mb: memory,
      idle_timeout_seconds:
        body.idle_timeout_seconds === undefined ? defaultIdleTimeout : body.idle_timeout_seconds,
    };
  }),
);

const pageSize = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100));
const pageNumber = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000));
const sortOrder = z._default(z.enum(['asc', 'desc']), 'desc');
const cursorText = z.string().check(z.minLength(1), z.maxLength(2048));
const cursorOrPage = z.refine<{ cursor?: string | undefined; page?: number | undefined }>(
  (query) => !(query.cursor && query.page),
  { message: 'use cursor or page, not both', path: ['page'] },
);

/** GET /v1/projects/{project_id}/containers: GET /v1/containers?project_id= with the project in the path. */
export const listProjectContainersQuery = z
  .strictObject({
    status: z.optional(z.enum(containerStatuses)),
    per_page: z.optional(pageSize),
    limit: z.optional(pageSize),
    cursor: z.optional(cursorText),
    page: z.optional(pageNumber),
    sort_order: sortOrder,
    owner_id: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  })
  .check(cursorOrPage);

/** GET /v1/projects/{project_id}/jobs/{job_id}/containers: the job's runs, or one of them. */
export const jobRunsPath = z.object({
  project_id: slug,
  job_id: z.string().check(z.regex(containerIdPattern)),
});
export const jobRunsQuery = z.strictObject({
  run_id: z.optional(
    z.string().check(z.regex(runIdPattern, 'must be run_ and a whole number, such as run_2')),
  ),
  limit: z.optional(pageSize),
  cursor: z.optional(cursorText),
});

export const listContainersQuery = z
  .strictObject({
    status: z.optional(z.enum(containerStatuses)),
    project_id: z.optional(slug),
    per_page: z.optional(pageSize),
    limit: z.optional(pageSize),
    cursor: z.optional(cursorText),
    page: z.optional(pageNumber),
    sort_order: sortOrder,
    owner_id: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  })
  .check(cursorOrPage);

export const listStatusLogsQuery = z
  .strictObject({
    page: z.optional(pageNumber),
    limit: z.optional(pageSize),
    per_page: z.optional(pageSize),
    sort_by: z._default(z.enum(logSortKeys), 'transition_time'),
    sort_order: sortOrder,
    cursor: z.optional(cursorText),
  })
  .check(cursorOrPage);

/**
 * POST /v1/containers/batch. The selector must name at least one criterion, so that no request
 * acts on every container by accident.
 */
export const batchBody = z.strictObject({
  operation: z.enum(batchOperations),
  selector: z
    .strictObject({
      status: z.optional(z.enum(containerStatuses)),
      project_id: z.optional(slug),
      idle_seconds_gt: z.optional(z.number().check(z.int(), z.minimum(0))),
    })
    .check(
      z.refine(
        (selector) =>
          selector.status !== undefined ||
          selector.project_id !== undefined ||
          selector.idle_seconds_gt !== undefined,
        'name at least one of status, project_id, idle_seconds_gt',
      ),
    ),
  dry_run: z._default(z.boolean(), false),
  limit: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(100)), 100),
});

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

/** An owner's project: `?owner_id=` lets an admin name another owner's. */
export const projectPath = z.object({ project_id: slug });
export const projectScheduleQuery = z.strictObject({
  owner_id: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
});

const previewCount = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 10);
export const containerSchedulePreviewQuery = z.strictObject({ count: previewCount });
export const projectSchedulePreviewQuery = z.strictObject({
  count: previewCount,
  owner_id: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
});

/** Webhooks: `{id}` is `wh_` and 24 hex characters, `{delivery_id}` `dlv_` and 24. */
export const invalidWebhookIdMessage =
  'Webhook id must be wh_ followed by 24 lowercase hexadecimal characters';
export const webhookPath = z.object({ id: z.string().check(z.regex(webhookIdPattern)) });
export const webhookDeliveryPath = z.object({
  id: z.string().check(z.regex(webhookIdPattern)),
  delivery_id: z.string().check(z.regex(deliveryIdPattern, 'must be dlv_ and 24 lowercase hex characters')),
});

/** POST /v1/webhooks. The URL's scheme and host are checked by the use case (it knows the policy). */
export const createWebhookBody = z.strictObject({
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
  events: z.optional(z.array(z.enum(webhookEventTypes)).check(z.maxLength(webhookEventTypes.length))),
  description: z.nullish(z.string().check(z.maxLength(256))),
});

export const listDeliveriesQuery = z.strictObject({
  limit: z.optional(pageSize),
  cursor: z.optional(cursorText),
});
