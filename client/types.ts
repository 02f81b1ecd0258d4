/**
 * The HTTP contract's bodies as a caller sees them (../shared/API.md and the README's extensions).
 * Written out rather than imported from lib/, so the client carries no server code; a type test
 * (test/unit/client/contract-types.test.ts) holds them to lib/http/views.ts.
 */

export const containerStatuses = [
  'creating',
  'starting',
  'running',
  'pausing',
  'paused',
  'resuming',
  'restarting',
  'stopping',
  'stopped',
  'succeeded',
  'failed',
  'error',
  'expired',
] as const;
export type ContainerStatus = (typeof containerStatuses)[number];

/** Statuses a container leaves by itself, when ECS reports its task. */
export const transitionalStatuses = [
  'creating',
  'starting',
  'pausing',
  'resuming',
  'restarting',
  'stopping',
] as const satisfies readonly ContainerStatus[];

/**
 * Whether the container stays in its status until someone acts: not transitional, and not a
 * running job, which goes on to `succeeded` or `failed` by itself. The server's rule too: its
 * long poll (`?wait_for=`) holds a container until it is in the status or at rest.
 */
export function isAtRest(container: Pick<Container, 'kind' | 'status'>): boolean {
  if ((transitionalStatuses as readonly ContainerStatus[]).includes(container.status)) return false;
  return !(container.kind === 'job' && container.status === 'running');
}

export const operations = ['start', 'stop', 'force-stop', 'restart', 'pause', 'resume'] as const;
export type Operation = (typeof operations)[number];

export type Trigger = 'user' | 'auto-stop' | 'ecs' | 'reconciler' | 'schedule';

/** A service runs until stopped; a job runs to completion (`succeeded` or `failed`), each start a run. */
export type ContainerKind = 'service' | 'job';

export interface Container {
  readonly id: string;
  readonly name: string;
  readonly project_id: string;
  readonly owner_id: string;
  readonly image: string;
  readonly status: ContainerStatus;
  readonly status_reason: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly last_used_at: string;
  /** `now - last_used_at` while running, computed when read; 0 otherwise. */
  readonly idle_seconds: number;
  /** null: never stopped for idleness. */
  readonly idle_timeout_seconds: number | null;
  /** The longest a run may last before it is auto-stopped; null: no cap. */
  readonly max_lifetime_seconds: number | null;
  readonly resources: { readonly cpu_units: number; readonly memory_mb: number };
  readonly command: readonly string[] | null;
  /** The names of the environment variables; their values are never returned. */
  readonly environment_names: readonly string[];
  readonly ip_address: string | null;
  readonly task_arn: string | null;
  /** Rises by one on every transition; also the ETag, for If-Match. */
  readonly version: number;
  readonly expires_at: string | null;
  readonly kind: ContainerKind;
  /** A job's current or last run; null for services and jobs never started. */
  readonly run_id: string | null;
  /** A job's essential container's exit code when its last run's task stopped; null otherwise. */
  readonly exit_code: number | null;
}

/** A create's 201: the container, and the id of its start to follow with getOperation(). */
export interface CreatedContainer extends Container {
  readonly operation_id: string;
}

export type CpuUnits = 256 | 512 | 1024 | 2048 | 4096;

export interface CreateContainerRequest {
  /** 1-63 of a-z, 0-9 and -, not at either end. */
  readonly name: string;
  readonly image: string;
  /** @default 'default' */
  readonly project_id?: string;
  /** @default 256 */
  readonly cpu_units?: CpuUnits;
  /** @default the smallest Fargate allows for cpu_units */
  readonly memory_mb?: number;
  readonly command?: readonly string[] | null;
  readonly environment?: Readonly<Record<string, string>>;
  /** 60 to 604800, or null for never. @default 3600 */
  readonly idle_timeout_seconds?: number | null;
  /** 300 to 2592000, or null for no cap. @default null */
  readonly max_lifetime_seconds?: number | null;
  /** @default true */
  readonly start?: boolean;
  /** @default 'service'; a job's idle_timeout_seconds must be null (its default). */
  readonly kind?: ContainerKind;
}

export type SortOrder = 'asc' | 'desc';

export interface ListContainersQuery {
  readonly status?: ContainerStatus;
  readonly project_id?: string;
  /** 1 to 100. @default 20 */
  readonly per_page?: number;
  readonly cursor?: string;
  /** Accepted for compatibility; costs more than cursor. */
  readonly page?: number;
  /** Newest first by default. */
  readonly sort_order?: SortOrder;
  /** Admins only (containers:admin): another owner's containers. */
  readonly owner_id?: string;
}

export interface ContainerPagination {
  readonly has_next_page: boolean;
  readonly cursor: string | null;
  readonly count: number;
  readonly total: number;
  readonly page: number;
  readonly per_page: number;
}

export interface ContainerList {
  readonly containers: readonly Container[];
  readonly pagination: ContainerPagination;
  readonly quota: { readonly limit: number; readonly used: number };
}

export type StatusLogSortKey = 'transition_time' | 'created_at' | 'to_status' | 'from_status';

export interface ListStatusLogsQuery {
  /** 1 to 100. @default 10 */
  readonly limit?: number;
  readonly cursor?: string;
  readonly page?: number;
  /** @default 'transition_time' */
  readonly sort_by?: StatusLogSortKey;
  /** @default 'desc' */
  readonly sort_order?: SortOrder;
}

export interface StatusLog {
  readonly id: string;
  readonly container_id: string;
  readonly version: number;
  readonly from_status: ContainerStatus | null;
  readonly to_status: ContainerStatus;
  /** When the change happened (for ECS-reported changes, the time ECS gives). */
  readonly transition_time: string;
  /** When it was recorded. */
  readonly created_at: string;
  /** Time spent in from_status. */
  readonly duration_ms: number;
  readonly triggered_by: Trigger;
  readonly operation: string | null;
  readonly reason: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface StatusLogPagination {
  readonly total: number;
  readonly page: number;
  readonly limit: number;
  readonly total_pages: number;
  readonly has_next_page: boolean;
  readonly cursor: string | null;
}

export interface StatusLogList {
  readonly status_logs: readonly StatusLog[];
  readonly pagination: StatusLogPagination;
}

export interface StatusSummary {
  readonly id: string;
  readonly status: ContainerStatus;
  readonly status_reason: string | null;
  readonly version: number;
  readonly last_transition_at: string;
  readonly allowed_operations: readonly Operation[];
  readonly pending_operation: {
    readonly operation: Operation | 'create';
    readonly requested_at: string;
  } | null;
  readonly task: {
    readonly arn: string | null;
    readonly last_status: string;
    readonly desired_status: string;
    readonly stop_code: string | null;
    readonly stopped_reason: string | null;
  } | null;
}

/** The 202 of an operation. */
export interface OperationAccepted {
  /** Follow it with getOperation() or waitForOperation(). */
  readonly operation_id: string;
  readonly container: Container;
  readonly transition: {
    readonly id: string;
    readonly from_status: ContainerStatus | null;
    readonly to_status: ContainerStatus;
    readonly operation: string | null;
  };
}

export type OperationStatus = 'pending' | 'succeeded' | 'failed';

/** GET /v1/operations/{id}. */
export interface OperationState {
  readonly id: string;
  readonly container_id: string;
  /** start, stop, force-stop, restart, pause, resume, or create. */
  readonly operation: string;
  readonly status: OperationStatus;
  readonly from_status: ContainerStatus | null;
  readonly to_status: ContainerStatus;
  readonly target_status: ContainerStatus;
  readonly requested_at: string;
  readonly completed_at: string | null;
  readonly reason: string | null;
}

/** GET /v1/containers/{id}/idle and the answer of a snooze. */
export interface IdleView {
  readonly container_id: string;
  readonly status: ContainerStatus;
  readonly idle_timeout_seconds: number | null;
  readonly last_activity_at: string;
  readonly last_activity_source: 'activity' | 'operation' | 'create' | null;
  readonly idle_seconds: number;
  readonly auto_stop_at: string | null;
  readonly warning_at: string | null;
  readonly snoozed_until: string | null;
  /** Why no auto-stop would happen: `not running`, `no idle timeout`. */
  readonly blocked_by: readonly string[];
  /** What sets auto_stop_at: `idle timeout`, `snooze` or `max lifetime`. */
  readonly auto_stop_cause: string | null;
  readonly max_lifetime_seconds: number | null;
  readonly run_started_at: string | null;
  readonly lifetime_ends_at: string | null;
  /** A snooze asked past the lifetime's end was cut to it. */
  readonly snooze_capped: boolean;
}

/** PATCH /v1/containers/{id}: the auto-stop policy, at least one field; null turns it off. */
export interface UpdatePolicyRequest {
  readonly idle_timeout_seconds?: number | null;
  readonly max_lifetime_seconds?: number | null;
}

export type BatchOperation = Operation | 'delete';

/** POST /v1/containers/batch: one operation on each of the caller's containers the selector picks. */
export interface BatchRequest {
  readonly operation: BatchOperation;
  /** At least one criterion. */
  readonly selector: {
    readonly status?: ContainerStatus;
    readonly project_id?: string;
    readonly idle_seconds_gt?: number;
  };
  /** Say what would happen, change nothing. @default false */
  readonly dry_run?: boolean;
  /** 1 to 100. @default 100 */
  readonly limit?: number;
}

export interface BatchResult {
  readonly operation: BatchOperation;
  readonly dry_run: boolean;
  readonly matched: number;
  readonly truncated: boolean;
  readonly results: readonly {
    readonly id: string;
    readonly name: string;
    readonly status_before: ContainerStatus;
    readonly outcome: 'accepted' | 'skipped' | 'failed' | 'would_apply' | 'would_skip';
    readonly operation_id?: string;
    readonly to_status?: ContainerStatus | null;
    readonly reason?: unknown;
    readonly error?: unknown;
  }[];
}

/** GET /v1/projects/{project_id}/containers: the same query as list(), with the project in the path. */
export type ListProjectContainersQuery = Omit<ListContainersQuery, 'project_id'>;

/** The pagination of the cursor-only lists: a job's runs, a webhook's deliveries. */
export interface CursorPagination {
  readonly has_next_page: boolean;
  readonly cursor: string | null;
  readonly count: number;
  readonly limit: number;
}

/** One run of a job: the task of one start, and how it ended. */
export interface JobRun {
  /** `run_` and a whole number. */
  readonly run_id: string;
  readonly container_id: string;
  readonly task_arn: string | null;
  /** The job's status while this is its current run; where it ended once it is over. */
  readonly status: ContainerStatus;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly exit_code: number | null;
  readonly status_reason: string | null;
}

export interface ListJobRunsQuery {
  /** Only this run (`run_2`); 404 RUN_NOT_FOUND when the job never had it. */
  readonly run_id?: string;
  /** 1 to 100. @default 20 */
  readonly limit?: number;
  readonly cursor?: string;
}

/** GET /v1/projects/{project_id}/jobs/{job_id}/containers: the job's runs, newest first. */
export interface JobRunList {
  readonly job_id: string;
  readonly containers: readonly JobRun[];
  readonly pagination: CursorPagination;
}

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** Running from `start` to `stop` (HH:MM, local time) on each of `days`; a stop before the start ends the next day. */
export interface ScheduleWindow {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly stop: string;
}

/** PUT .../schedule: an IANA time zone and 1 to 14 windows. */
export interface ScheduleRequest {
  readonly time_zone: string;
  readonly windows: readonly ScheduleWindow[];
}

export interface ScheduledTransition {
  readonly at: string;
  readonly action: 'start' | 'stop';
  /** `at` in the schedule's time zone, with its offset. */
  readonly local_time: string;
}

/** Whose schedule applies: the container's own, or its project's. */
export type ScheduleSource = 'container' | 'project';

/** A weekly schedule as it applies. */
export interface Schedule {
  readonly source: ScheduleSource;
  /** When asked about a container. */
  readonly container_id?: string;
  readonly owner_id: string;
  readonly project_id: string;
  readonly time_zone: string;
  readonly windows: readonly ScheduleWindow[];
  readonly next_transition: ScheduledTransition | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** PUT .../schedule: the schedule, and whether it is new (201) rather than replaced (200). */
export interface PutSchedule {
  readonly schedule: Schedule;
  readonly created: boolean;
}

/** GET .../schedule/preview: the next transitions and the hours a week it saves. */
export interface SchedulePreview {
  readonly source: ScheduleSource;
  readonly container_id?: string;
  readonly project_id: string;
  readonly time_zone: string;
  readonly transitions: readonly ScheduledTransition[];
  readonly scheduled_hours_per_week: number;
  readonly hours_saved_per_week: number;
}

export const webhookEventTypes = [
  'container.status-changed',
  'container.auto-stopped',
  'container.idle-warning',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** POST /v1/webhooks. */
export interface CreateWebhookRequest {
  /** https, to a public host (the local stack also allows 127.0.0.1). */
  readonly url: string;
  /** @default every event type */
  readonly events?: readonly WebhookEventType[];
  readonly description?: string | null;
}

export interface Webhook {
  readonly id: string;
  readonly url: string;
  /** `['*']` for every event type. */
  readonly events: readonly (WebhookEventType | '*')[];
  readonly description: string | null;
  readonly created_at: string;
}

/** The answer of a create: the only one that shows the signing secret. */
export interface CreatedWebhook extends Webhook {
  /**
   * `whsec_...`: the HMAC key of the `webhook-signature` header. Keep it; it is never shown again.
   * null when the answer replays an earlier one of the same Idempotency-Key, which withholds it.
   */
  readonly secret: string | null;
}

export interface WebhookList {
  readonly webhooks: readonly Webhook[];
  readonly quota: { readonly limit: number; readonly used: number };
}

export interface DeletedWebhook {
  readonly id: string;
  readonly deleted: true;
}

export const deliveryOutcomes = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryOutcome = (typeof deliveryOutcomes)[number];

export interface DeliveryAttempt {
  readonly at: string;
  readonly trigger: 'event' | 'retry' | 'redeliver';
  /** null when the receiver never answered. */
  readonly status_code: number | null;
  readonly error: string | null;
  readonly duration_ms: number;
}

/** One event sent to one webhook: every attempt, and what comes next. */
export interface Delivery {
  readonly id: string;
  readonly webhook_id: string;
  readonly event_id: string;
  readonly event_type: WebhookEventType;
  readonly outcome: DeliveryOutcome;
  readonly attempt_count: number;
  readonly last_status_code: number | null;
  readonly last_error: string | null;
  readonly last_attempt_at: string | null;
  readonly next_attempt_at: string | null;
  readonly created_at: string;
  readonly attempts: readonly DeliveryAttempt[];
  /** The JSON body every attempt sends. */
  readonly payload: unknown;
}

export interface ListDeliveriesQuery {
  /** 1 to 100. @default 20 */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface DeliveryList {
  readonly deliveries: readonly Delivery[];
  readonly pagination: CursorPagination;
}

/** GET /v1/openapi.json: an OpenAPI 3.1 document, typed only as far as a caller needs to find its way. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

export interface DeletedContainer {
  readonly id: string;
  readonly deleted: true;
}

/**
 * The contract's error codes (and its extensions); a gateway's own answers are mapped onto them by
 * status. A newer server may answer a code not listed here, hence ContainerApiError's open `code`.
 */
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'INVALID_ID_FORMAT'
  | 'INVALID_CURSOR'
  | 'MISSING_TOKEN'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'INSUFFICIENT_PERMISSIONS'
  | 'ACCOUNT_BANNED'
  | 'OPERATION_NOT_PERMITTED_ON_EXPIRED'
  | 'QUOTA_EXCEEDED'
  | 'CONTAINER_NOT_FOUND'
  | 'OPERATION_NOT_FOUND'
  | 'SCHEDULE_NOT_FOUND'
  | 'WEBHOOK_NOT_FOUND'
  | 'DELIVERY_NOT_FOUND'
  | 'RUN_NOT_FOUND'
  | 'OPERATION_STATE_CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR'
  | 'EXTERNAL_SERVICE_ERROR'
  | 'CAPACITY_UNAVAILABLE';

/** The client's own codes: no answer at all, or an answer that is not the contract's. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';

/** `{"error": {...}}` of every failed request. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly request_id?: string;
    readonly details?: unknown;
  };
}
