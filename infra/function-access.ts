import type { httpRoutes } from '../lib/http/routes';

/**
 * ECS API calls a function may make (lib/adapters/ecs/ecs-task-runner.ts, ecs-task-definitions.ts);
 * test/performance/bundle-contents.test.ts checks each function bundles exactly these commands.
 */
export type EcsAction =
  | 'RegisterTaskDefinition'
  | 'DeregisterTaskDefinition'
  | 'RunTask'
  | 'StopTask'
  | 'DescribeTasks';

/** What one function may touch: the least each needs, decided here and nowhere else. */
export interface FunctionAccess {
  /** `read`: GetItem, Query, BatchGetItem. `write`: those and the item writes of a transaction. */
  readonly table: 'none' | 'read' | 'write';
  readonly ecs: readonly EcsAction[];
  /** Sends platform events (events:PutEvents on the default bus). @default false */
  readonly publishesEvents?: boolean;
  /** Reads the table's stream, through an event source mapping. @default false */
  readonly readsTableStream?: boolean;
}

export type HttpFunctionName = (typeof httpRoutes)[number]['functionName'];

/**
 * One entry per HTTP function: a route added to lib/http/routes.ts does not typecheck here until
 * someone decides what its function may do.
 */
export const httpFunctionAccess = {
  'get-health': { table: 'none', ecs: [] },
  // Answers the OpenAPI document bundled into it (openapi.json): no table, no ECS.
  'get-openapi': { table: 'none', ecs: [] },
  'list-containers': { table: 'read', ecs: [] },
  'get-container': { table: 'read', ecs: [] },
  'get-container-status': { table: 'read', ecs: [] },
  'list-status-logs': { table: 'read', ecs: [] },
  // Registers the container's task definition and runs it; releases it again when the container
  // cannot be written, and stops the new task when a delete or stop came while RunTask was in flight.
  'create-container': {
    table: 'write',
    ecs: ['RegisterTaskDefinition', 'DeregisterTaskDefinition', 'RunTask', 'StopTask'],
  },
  // The task definition is released by release-task-definitions, from the table's stream.
  'delete-container': { table: 'write', ecs: ['StopTask'] },
  // Writes the auto-stop policy as snooze-container writes snoozed_until: the sweep does the stopping.
  'update-container': { table: 'write', ecs: [] },
  'operate-container': { table: 'write', ecs: ['RunTask', 'StopTask'] },
  // Runs operate-container's and delete-container's use cases on each selected container.
  'batch-operate-containers': { table: 'write', ecs: ['RunTask', 'StopTask'] },
  'record-activity': { table: 'write', ecs: [] },
  'get-container-idle': { table: 'read', ecs: [] },
  // Writes snoozed_until as record-activity writes last_used_at: no transition, no ECS call.
  'snooze-container': { table: 'write', ecs: [] },
  // BatchGetItem of a container and two of its log entries, then GetItem while it waits.
  'get-operation': { table: 'read', ecs: [] },
  // Weekly schedules are items of their own: no transition, no ECS call (the sweep makes those).
  'put-container-schedule': { table: 'write', ecs: [] },
  'get-container-schedule': { table: 'read', ecs: [] },
  'delete-container-schedule': { table: 'write', ecs: [] },
  'preview-container-schedule': { table: 'read', ecs: [] },
  'put-project-schedule': { table: 'write', ecs: [] },
  'get-project-schedule': { table: 'read', ecs: [] },
  'delete-project-schedule': { table: 'write', ecs: [] },
  'preview-project-schedule': { table: 'read', ecs: [] },
  // GET /v1/containers?project_id= under the project's path: the same two reads.
  'list-project-containers': { table: 'read', ecs: [] },
  // GetItem of the job and a Query (or GetItem) of its run records, beside it in its partition.
  'list-job-runs': { table: 'read', ecs: [] },
  // Webhooks and their deliveries are items of the table; a redelivery POSTs to the owner's URL.
  'create-webhook': { table: 'write', ecs: [] },
  'list-webhooks': { table: 'read', ecs: [] },
  'get-webhook': { table: 'read', ecs: [] },
  'delete-webhook': { table: 'write', ecs: [] },
  'list-webhook-deliveries': { table: 'read', ecs: [] },
  'redeliver-webhook-delivery': { table: 'write', ecs: [] },
} as const satisfies Record<HttpFunctionName, FunctionAccess>;

/** The functions that are not behind a route. */
export const backgroundFunctions = {
  // A restart's second half is a RunTask when the old task's STOPPED arrives; an unwanted task is stopped.
  'ecs-task-state-change': {
    entry: 'functions/events/ecs-task-state-change.ts',
    table: 'write',
    ecs: ['RunTask', 'StopTask'],
  },
  // Applies the weekly schedules that are due (RunTask to start, StopTask to stop), then stops idle
  // containers. Its container.idle-warning is an outbox item of the table (PutItem), which
  // publish-transitions sends on: it calls no EventBridge itself.
  'auto-stop': {
    entry: 'functions/scheduled/auto-stop.ts',
    table: 'write',
    ecs: ['RunTask', 'StopTask'],
  },
  // Asks ECS about stale transitions and applies what it finds (as the event function would), then
  // expires stopped containers and releases their task definitions.
  reconcile: {
    entry: 'functions/scheduled/reconcile.ts',
    table: 'write',
    ecs: ['DescribeTasks', 'RunTask', 'StopTask', 'DeregisterTaskDefinition'],
  },
  // The outbox: each new status-log and outbox-event item on the table's stream goes out on EventBridge.
  'publish-transitions': {
    entry: 'functions/streams/publish-transitions.ts',
    table: 'none',
    ecs: [],
    publishesEvents: true,
    readsTableStream: true,
  },
  // Release items on the table's stream (filtered to them), which a delete writes in its
  // transaction: each one's task definition is deregistered here, off the DELETE request's path,
  // and the container's own schedule deleted with its place under the owner's limit.
  'release-task-definitions': {
    entry: 'functions/streams/release-task-definitions.ts',
    table: 'write',
    ecs: ['DeregisterTaskDefinition'],
    readsTableStream: true,
  },
  // Our events (an EventBridge rule) to the owners' webhooks, each checked against the log entry or
  // outbox item it was made from (GetItem); records each delivery.
  'deliver-webhooks': {
    entry: 'functions/events/deliver-webhooks.ts',
    table: 'write',
    ecs: [],
  },
  // The next attempt of failed webhook deliveries, by their backoff.
  'retry-webhook-deliveries': {
    entry: 'functions/scheduled/retry-webhook-deliveries.ts',
    table: 'write',
    ecs: [],
  },
} as const satisfies Record<string, FunctionAccess & { entry: string }>;

export type BackgroundFunctionName = keyof typeof backgroundFunctions;
