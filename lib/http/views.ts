/** Domain objects as the contract shows them: snake_case, ISO times, computed fields. */
import type { Container, JobRun, StatusLog } from '../domain/container';
import { autoStop, autoStopBlockers, lifetimeEnd } from '../domain/idle';
import type { OperationState } from '../domain/operation-status';
import { allowedOperations } from '../domain/operations';
import { nextTransition, type ScheduledTransition } from '../domain/schedule';
import { localIsoString } from '../domain/time-zone';
import type { Transition } from '../domain/transition';
import type { Delivery, Webhook } from '../domain/webhook';
import type { EffectiveSchedule } from '../ports/schedule-repository';
import type { BatchResult } from '../use-cases/batch-operate-containers';
import type { SchedulePreview } from '../use-cases/preview-schedule';

export function containerView(container: Container, now: Date) {
  const idleMs = now.getTime() - Date.parse(container.lastUsedAt);
  return {
    id: container.id,
    name: container.name,
    project_id: container.projectId,
    owner_id: container.ownerId,
    image: container.image,
    status: container.status,
    status_reason: container.statusReason,
    created_at: container.createdAt,
    updated_at: container.updatedAt,
    last_used_at: container.lastUsedAt,
    idle_seconds: container.status === 'running' ? Math.max(0, Math.floor(idleMs / 1000)) : 0,
    idle_timeout_seconds: container.idleTimeoutSeconds,
    max_lifetime_seconds: container.maxLifetimeSeconds,
    resources: { cpu_units: container.resources.cpuUnits, memory_mb: container.resources.memoryMb },
    command: container.command,
    environment_names: Object.keys(container.environment),
    ip_address: container.ipAddress,
    task_arn: container.task?.arn ?? null,
    version: container.version,
    expires_at: container.expiresAt,
    kind: container.kind,
    run_id: container.runId,
    exit_code: container.exitCode,
  };
}

/** One run of a job: the container's task for that run, and how it ended. */
export function jobRunView(run: JobRun) {
  return {
    run_id: run.runId,
    container_id: run.containerId,
    task_arn: run.taskArn,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    exit_code: run.exitCode,
    status_reason: run.statusReason,
  };
}

export function statusLogView(log: StatusLog) {
  return {
    id: log.id,
    container_id: log.containerId,
    version: log.version,
    from_status: log.fromStatus,
    to_status: log.toStatus,
    transition_time: log.transitionTime,
    created_at: log.createdAt,
    duration_ms: log.durationMs,
    triggered_by: log.triggeredBy,
    operation: log.operation,
    reason: log.reason,
    metadata: log.metadata,
  };
}

export function statusSummaryView(container: Container) {
  return {
    id: container.id,
    status: container.status,
    status_reason: container.statusReason,
    version: container.version,
    last_transition_at: container.lastTransitionAt,
    allowed_operations: allowedOperations(container.status, container.kind),
    pending_operation: container.pendingOperation && {
      operation: container.pendingOperation.operation,
      requested_at: container.pendingOperation.requestedAt,
    },
    task: container.task && {
      arn: container.task.arn,
      last_status: container.task.lastStatus,
      desired_status: container.task.desiredStatus,
      stop_code: container.task.stopCode,
      stopped_reason: container.task.stoppedReason,
    },
  };
}

export function operationAcceptedView(step: Transition, now: Date) {
  return {
    data: {
      // The transition id, by which GET /v1/operations/{id} follows the operation to its end.
      operation_id: step.log.id,
      container: containerView(step.after, now),
      transition: {
        id: step.log.id,
        from_status: step.log.fromStatus,
        to_status: step.log.toStatus,
        operation: step.log.operation,
      },
    },
    message: `Container ${step.log.operation} accepted`,
  };
}

/** A created container, with the id of the create's own step to follow with GET /v1/operations/{id}. */
export function createdContainerView(created: { container: Container; operationId: string }, now: Date) {
  return { data: { ...containerView(created.container, now), operation_id: created.operationId } };
}

export function operationView(operation: OperationState) {
  return {
    id: operation.id,
    container_id: operation.containerId,
    operation: operation.operation,
    status: operation.status,
    from_status: operation.fromStatus,
    to_status: operation.toStatus,
    target_status: operation.targetStatus,
    requested_at: operation.requestedAt,
    completed_at: operation.completedAt,
    reason: operation.reason,
  };
}

/** Where a 202 points: the operation to follow until it ends. */
export function operationLocation(operationId: string): string {
  return `/v1/operations/${operationId}`;
}

/**
 * GET /v1/containers/{id}/idle: the idle policy as it applies now, with its reasons. The warning
 * time is the deadline less the configured warning lead (IDLE_WARNING_SECONDS); none when 0.
 */
export function idleView(container: Container, now: Date, idleWarningSeconds: number) {
  const idleMs = now.getTime() - Date.parse(container.lastUsedAt);
  const stop = autoStop(container);
  const deadline = stop?.at ?? null;
  const end = lifetimeEnd(container) ?? null;
  const warningAt =
    deadline !== null && idleWarningSeconds > 0
      ? new Date(Date.parse(deadline) - idleWarningSeconds * 1000).toISOString()
      : null;
  return {
    container_id: container.id,
    status: container.status,
    idle_timeout_seconds: container.idleTimeoutSeconds,
    last_activity_at: container.lastUsedAt,
    last_activity_source: container.lastActivitySource,
    idle_seconds: container.status === 'running' ? Math.max(0, Math.floor(idleMs / 1000)) : 0,
    auto_stop_at: deadline,
    warning_at: warningAt,
    snoozed_until:
      container.snoozedUntil !== null && Date.parse(container.snoozedUntil) > now.getTime()
        ? container.snoozedUntil
        : null,
    blocked_by: autoStopBlockers(container),
    // What sets auto_stop_at: `idle timeout`, `snooze`, or `max lifetime` (which nothing pushes out).
    auto_stop_cause: stop?.cause ?? null,
    max_lifetime_seconds: container.maxLifetimeSeconds,
    run_started_at: container.startedAt,
    lifetime_ends_at: end,
    // A snooze asked past the lifetime's end is cut to it.
    snooze_capped: end !== null && container.snoozedUntil === end,
  };
}

/** POST /v1/containers/batch: what was done (or would be) to each selected container. */
export function batchView(batch: BatchResult) {
  return {
    data: {
      operation: batch.operation,
      dry_run: batch.dryRun,
      matched: batch.results.length,
      truncated: batch.truncated,
      results: batch.results.map((result) => ({
        id: result.container.id,
        name: result.container.name,
        status_before: result.statusBefore,
        outcome: result.outcome,
        ...(result.operationId === undefined ? {} : { operation_id: result.operationId }),
        ...(result.toStatus === undefined ? {} : { to_status: result.toStatus }),
        ...(result.reason === undefined ? {} : { reason: result.reason }),
        ...(result.error === undefined ? {} : { error: result.error }),
      })),
    },
  };
}

function scheduledTransitionView(transition: ScheduledTransition, timeZone: string) {
  return {
    at: new Date(transition.at).toISOString(),
    action: transition.action,
    local_time: localIsoString(transition.at, timeZone),
  };
}

/** A weekly schedule as it applies; `container_id` when asked about a container. */
export function scheduleView({ schedule, source }: EffectiveSchedule, now: Date, containerId?: string) {
  const next = nextTransition(schedule, now.getTime());
  return {
    source,
    ...(containerId === undefined ? {} : { container_id: containerId }),
    owner_id: schedule.target.ownerId,
    project_id: schedule.target.projectId,
    time_zone: schedule.timeZone,
    windows: schedule.windows.map((window) => ({
      days: window.days,
      start: window.start,
      stop: window.stop,
    })),
    next_transition: next ? scheduledTransitionView(next, schedule.timeZone) : null,
    created_at: schedule.createdAt,
    updated_at: schedule.updatedAt,
  };
}

export function schedulePreviewView(preview: SchedulePreview, containerId?: string) {
  const { schedule, source } = preview;
  return {
    source,
    ...(containerId === undefined ? {} : { container_id: containerId }),
    project_id: schedule.target.projectId,
    time_zone: schedule.timeZone,
    transitions: preview.transitions.map((transition) =>
      scheduledTransitionView(transition, schedule.timeZone),
    ),
    scheduled_hours_per_week: preview.scheduledHours,
    hours_saved_per_week: preview.hoursSaved,
  };
}

/** A webhook; its signing secret only in the answer that created it. */
export function webhookView(webhook: Webhook, options: { readonly withSecret?: boolean } = {}) {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events.length > 0 ? webhook.events : ['*'],
    description: webhook.description,
    created_at: webhook.createdAt,
    ...(options.withSecret ? { secret: webhook.secret } : {}),
  };
}

/** A recorded delivery: what was sent, how each attempt went, and what comes next. */
export function deliveryView(delivery: Delivery) {
  const last = delivery.attempts[delivery.attempts.length - 1];
  return {
    id: delivery.id,
    webhook_id: delivery.webhookId,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    outcome: delivery.outcome,
    attempt_count: delivery.attemptCount,
    last_status_code: last?.statusCode ?? null,
    last_error: last?.error ?? null,
    last_attempt_at: last?.at ?? null,
    next_attempt_at: delivery.nextAttemptAt,
    created_at: delivery.createdAt,
    attempts: delivery.attempts.map((attempt) => ({
      at: attempt.at,
      trigger: attempt.trigger,
      status_code: attempt.statusCode,
      error: attempt.error,
      duration_ms: attempt.durationMs,
    })),
    payload: JSON.parse(delivery.payload) as unknown,
  };
}
