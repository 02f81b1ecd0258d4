/**
 * What every answer looks like, as lib/schema schemas: the shapes lib/http/views.ts makes and the
 * error body of lib/http/responses.ts. They exist for the OpenAPI document (lib/openapi/) and its
 * tests only: no handler imports them, so they cost no bundle bytes and no cold load. Strict
 * objects, so an answer with a field the document does not name fails the e2e tests'
 * validation (test/support/openapi-validator.ts); test/unit/lib/http/response-schemas.test.ts
 * holds them to the views' types.
 */
import { batchOperations } from '../domain/batch';
import { activitySources, containerKinds, triggers } from '../domain/container';
import { containerStatuses } from '../domain/container-status';
import { type ErrorCode, errorCodes } from '../domain/errors';
import { operationStatuses } from '../domain/operation-status';
import { operations } from '../domain/operations';
import { scheduleActions, weekdays } from '../domain/schedule';
import { attemptTriggers, deliveryOutcomes, webhookEventTypes } from '../domain/webhook';
import * as z from '../schema';

/** The contract's timestamps: ISO 8601 UTC with milliseconds. */
const timestamp = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/));
/** A schedule's wall-clock time, with the zone's offset at that instant. */
const localTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/));
const wholeNumber = z.number().check(z.int());
const count = z.number().check(z.int(), z.minimum(0));
const status = z.enum(containerStatuses);

const containerShape = {
  id: z.string(),
  name: z.string(),
  project_id: z.string(),
  owner_id: z.string(),
  image: z.string(),
  status,
  status_reason: z.nullable(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
  last_used_at: timestamp,
  idle_seconds: count,
  idle_timeout_seconds: z.nullable(wholeNumber),
  max_lifetime_seconds: z.nullable(wholeNumber),
  resources: z.strictObject({ cpu_units: wholeNumber, memory_mb: wholeNumber }),
  command: z.nullable(z.array(z.string())),
  environment_names: z.array(z.string()),
  ip_address: z.nullable(z.string()),
  task_arn: z.nullable(z.string()),
  version: wholeNumber,
  expires_at: z.nullable(timestamp),
  kind: z.enum(containerKinds),
  run_id: z.nullable(z.string()),
  exit_code: z.nullable(wholeNumber),
};

export const containerResponse = z.strictObject(containerShape);

/** One run of a job. */
export const jobRunResponse = z.strictObject({
  run_id: z.string(),
  container_id: z.string(),
  task_arn: z.nullable(z.string()),
  status,
  started_at: timestamp,
  finished_at: z.nullable(timestamp),
  exit_code: z.nullable(wholeNumber),
  status_reason: z.nullable(z.string()),
});

export const statusLogResponse = z.strictObject({
  id: z.string(),
  container_id: z.string(),
  version: wholeNumber,
  from_status: z.nullable(status),
  to_status: status,
  transition_time: timestamp,
  created_at: timestamp,
  duration_ms: count,
  triggered_by: z.enum(triggers),
  operation: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  metadata: z.record(z.string(), z.unknown()),
});

export const statusSummaryResponse = z.strictObject({
  id: z.string(),
  status,
  status_reason: z.nullable(z.string()),
  version: wholeNumber,
  last_transition_at: timestamp,
  allowed_operations: z.array(z.enum(operations)),
  pending_operation: z.nullable(
    z.strictObject({ operation: z.enum([...operations, 'create']), requested_at: timestamp }),
  ),
  task: z.nullable(
    z.strictObject({
      arn: z.nullable(z.string()),
      last_status: z.string(),
      desired_status: z.string(),
      stop_code: z.nullable(z.string()),
      stopped_reason: z.nullable(z.string()),
    }),
  ),
});

export const operationAcceptedResponse = z.strictObject({
  data: z.strictObject({
    operation_id: z.string(),
    container: containerResponse,
    transition: z.strictObject({
      id: z.string(),
      from_status: z.nullable(status),
      to_status: status,
      operation: z.nullable(z.string()),
    }),
  }),
  message: z.string(),
});

export const createdContainerResponse = z.strictObject({
  data: z.strictObject({ ...containerShape, operation_id: z.string() }),
});

export const operationResponse = z.strictObject({
  id: z.string(),
  container_id: z.string(),
  operation: z.string(),
  status: z.enum(operationStatuses),
  from_status: z.nullable(status),
  to_status: status,
  target_status: status,
  requested_at: timestamp,
  completed_at: z.nullable(timestamp),
  reason: z.nullable(z.string()),
});

export const idleResponse = z.strictObject({
  container_id: z.string(),
  status,
  idle_timeout_seconds: z.nullable(wholeNumber),
  last_activity_at: timestamp,
  last_activity_source: z.nullable(z.enum(activitySources)),
  idle_seconds: count,
  auto_stop_at: z.nullable(timestamp),
  warning_at: z.nullable(timestamp),
  snoozed_until: z.nullable(timestamp),
  blocked_by: z.array(z.enum(['not running', 'no idle timeout'])),
  auto_stop_cause: z.nullable(z.enum(['idle timeout', 'snooze', 'max lifetime'])),
  max_lifetime_seconds: z.nullable(wholeNumber),
  run_started_at: z.nullable(timestamp),
  lifetime_ends_at: z.nullable(timestamp),
  snooze_capped: z.boolean(),
});

const codeAndMessage = z.strictObject({ code: z.enum(errorCodes), message: z.string() });

export const batchResponse = z.strictObject({
  data: z.strictObject({
    operation: z.enum(batchOperations),
    dry_run: z.boolean(),
    matched: count,
    truncated: z.boolean(),
    results: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        status_before: status,
        outcome: z.enum(['accepted', 'skipped', 'failed', 'would_apply', 'would_skip']),
        operation_id: z.optional(z.string()),
        to_status: z.optional(z.nullable(status)),
        reason: z.optional(codeAndMessage),
        error: z.optional(codeAndMessage),
      }),
    ),
  }),
});

const scheduledTransition = z.strictObject({
  at: timestamp,
  action: z.enum(scheduleActions),
  local_time: localTime,
});
const scheduleSource = z.enum(['container', 'project']);

export const scheduleResponse = z.strictObject({
  source: scheduleSource,
  container_id: z.optional(z.string()),
  owner_id: z.string(),
  project_id: z.string(),
  time_zone: z.string(),
  windows: z.array(z.strictObject({ days: z.array(z.enum(weekdays)), start: z.string(), stop: z.string() })),
  next_transition: z.nullable(scheduledTransition),
  created_at: timestamp,
  updated_at: timestamp,
});

export const schedulePreviewResponse = z.strictObject({
  source: scheduleSource,
  container_id: z.optional(z.string()),
  project_id: z.string(),
  time_zone: z.string(),
  transitions: z.array(scheduledTransition),
  scheduled_hours_per_week: z.number(),
  hours_saved_per_week: z.number(),
});

export const webhookResponse = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum([...webhookEventTypes, '*'])),
  description: z.nullable(z.string()),
  created_at: timestamp,
  secret: z.optional(z.string()),
});

export const deliveryResponse = z.strictObject({
  id: z.string(),
  webhook_id: z.string(),
  event_id: z.string(),
  event_type: z.enum(webhookEventTypes),
  outcome: z.enum(deliveryOutcomes),
  attempt_count: count,
  last_status_code: z.nullable(wholeNumber),
  last_error: z.nullable(z.string()),
  last_attempt_at: z.nullable(timestamp),
  next_attempt_at: z.nullable(timestamp),
  created_at: timestamp,
  attempts: z.array(
    z.strictObject({
      at: timestamp,
      trigger: z.enum(attemptTriggers),
      status_code: z.nullable(wholeNumber),
      error: z.nullable(z.string()),
      duration_ms: count,
    }),
  ),
  // The event's body exactly as it was sent.
  payload: z.unknown(),
});

const quota = z.strictObject({ limit: count, used: count });
const cursor = z.nullable(z.string());

export const containerListResponse = z.strictObject({
  data: z.strictObject({ containers: z.array(containerResponse) }),
  pagination: z.strictObject({
    has_next_page: z.boolean(),
    cursor,
    count,
    total: count,
    page: wholeNumber,
    per_page: wholeNumber,
  }),
  quota,
});

export const statusLogListResponse = z.strictObject({
  data: z.strictObject({ status_logs: z.array(statusLogResponse) }),
  pagination: z.strictObject({
    total: count,
    page: wholeNumber,
    limit: wholeNumber,
    total_pages: count,
    has_next_page: z.boolean(),
    cursor,
  }),
});

export const webhookListResponse = z.strictObject({
  data: z.strictObject({ webhooks: z.array(webhookResponse) }),
  quota,
});

export const deliveryListResponse = z.strictObject({
  data: z.strictObject({ deliveries: z.array(deliveryResponse) }),
  pagination: z.strictObject({ has_next_page: z.boolean(), cursor, count, limit: wholeNumber }),
});

export const jobRunListResponse = z.strictObject({
  data: z.strictObject({ job_id: z.string(), containers: z.array(jobRunResponse) }),
  pagination: z.strictObject({ has_next_page: z.boolean(), cursor, count, limit: wholeNumber }),
});

export const deletedContainerResponse = z.strictObject({
  data: z.strictObject({ id: z.string(), deleted: z.literal(true) }),
  message: z.string(),
});

export const deletedWebhookResponse = z.strictObject({
  data: z.strictObject({ id: z.string(), deleted: z.literal(true) }),
});

export const healthResponse = z.strictObject({ data: z.strictObject({ status: z.literal('ok') }) });

/** `{"data": <item>}`, the contract's answer of one thing. */
export function dataOf<S extends z.AnySchema>(item: S) {
  return z.strictObject({ data: item });
}

/** The contract's error body, with the codes a route may answer under one status. */
export function errorResponse(codes: readonly ErrorCode[] = errorCodes) {
  return z.strictObject({
    error: z.strictObject({
      code: z.enum(codes),
      message: z.string(),
      request_id: z.string(),
      details: z.optional(z.unknown()),
    }),
  });
}

/**
 * What API Gateway itself answers, before any function runs: `{"message": "Unauthorized"}`,
 * `"Forbidden"` (a scope the route needs), `"Too Many Requests"`, `"Not Found"`, ...
 */
export const gatewayMessageResponse = z.strictObject({ message: z.string() });
