/**
 * What the OpenAPI document says of each route beyond its route key: the request schemas its
 * handler parses with (the same objects, imported from lib/http), what each success answers, and
 * the errors particular to it. Keyed by function name and typed against lib/http/routes.ts, so a
 * route added there does not typecheck until it is described here, as in infra/function-access.ts.
 * The errors every route shares (token, scope, validation, throttling) are added by document.ts.
 */
import type { ErrorCode } from '../domain/errors';
import { getContainerQuery, getOperationQuery, maxWaitSeconds, operationIdPath } from '../http/long-poll';
import * as responses from '../http/response-schemas';
import type { httpRoutes } from '../http/routes';
import {
  batchBody,
  containerSchedulePreviewQuery,
  createContainerBody,
  createWebhookBody,
  idPath,
  jobRunsPath,
  jobRunsQuery,
  listContainersQuery,
  listDeliveriesQuery,
  listProjectContainersQuery,
  listStatusLogsQuery,
  operationPath,
  projectPath,
  projectSchedulePreviewQuery,
  projectScheduleQuery,
  scheduleBody,
  snoozeBody,
  updatePolicyBody,
  webhookDeliveryPath,
  webhookPath,
} from '../http/schemas';
import * as z from '../schema';

export type RouteFunctionName = (typeof httpRoutes)[number]['functionName'];

/** Response headers a success may carry, described once in document.ts. */
export type SuccessHeader = 'etag' | 'location' | 'retry-after' | 'idempotent-replayed';

export interface OperationSpec {
  readonly summary: string;
  /** Markdown: what JSON Schema cannot say (a rule across fields, a side effect). */
  readonly description?: string;
  /** Swagger UI groups operations by their tag. */
  readonly tag: 'containers' | 'operations' | 'idle' | 'schedules' | 'webhooks' | 'meta';
  readonly path?: z.AnySchema;
  readonly query?: z.AnySchema;
  readonly body?: z.AnySchema;
  /** Each success status and its body (null: none). */
  readonly responses: Readonly<Record<number, z.AnySchema | null>>;
  readonly headers?: readonly SuccessHeader[];
  /** The route remembers answers by `Idempotency-Key` (422 IDEMPOTENCY_KEY_REUSED). */
  readonly idempotent?: boolean;
  /** The route honours `If-Match: "<version>"` (412 PRECONDITION_FAILED). */
  readonly ifMatch?: boolean;
  /** The errors of this route's use case, beyond those every route shares. */
  readonly errors?: readonly ErrorCode[];
}

/** GET /v1/openapi.json answers this document; its own schema stays loose (it is the schema). */
export const openApiDocumentResponse = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

const changesContainer: readonly ErrorCode[] = [
  'CONTAINER_NOT_FOUND',
  'OPERATION_NOT_PERMITTED_ON_EXPIRED',
  'OPERATION_STATE_CONFLICT',
];
const runtimeFailures: readonly ErrorCode[] = ['EXTERNAL_SERVICE_ERROR', 'CAPACITY_UNAVAILABLE'];
const ownerQuery = 'An admin (`containers:admin`) may name another owner with `owner_id`.';

export const operationSpecs = {
  'get-health': {
    summary: 'Check that the gateway, the authorizer and a function answer',
    description: 'Any valid token, no scope.',
    tag: 'meta',
    responses: { 200: responses.healthResponse },
  },
  'get-openapi': {
    summary: 'This OpenAPI document',
    description:
      'Any valid token, no scope. Generated from the schemas that validate the requests (`npm run openapi`).',
    tag: 'meta',
    responses: { 200: openApiDocumentResponse },
  },
  'create-container': {
    summary: 'Create a container, and start it unless `start` is false',
    description:
      '`memory_mb` must be one that Fargate allows with `cpu_units` (default: the smallest). A create ' +
      'whose task cannot start still answers 201: the container is in `error` with the reason in ' +
      '`status_reason` (and `Retry-After` when ECS had no capacity). Each owner has a container limit.',
    tag: 'containers',
    body: createContainerBody,
    responses: { 201: responses.createdContainerResponse },
    headers: ['etag', 'retry-after', 'idempotent-replayed'],
    idempotent: true,
    errors: ['ACCOUNT_BANNED', 'QUOTA_EXCEEDED', 'EXTERNAL_SERVICE_ERROR'],
  },
  'list-containers': {
    summary: "List the caller's containers, newest first",
    description: `Pages by \`cursor\` (opaque, signed) or \`page\`, not both; \`per_page\` and \`limit\` are the same. ${ownerQuery}`,
    tag: 'containers',
    query: listContainersQuery,
    responses: { 200: responses.containerListResponse },
  },
  'batch-operate-containers': {
    summary: 'Apply one operation to each container a selector picks',
    description:
      "Only the caller's own containers; at least one selector criterion. Each container's outcome is " +
      'its own (`accepted`, `skipped` with `reason`, `failed` with `error`, or in a dry run ' +
      '`would_apply` / `would_skip`). `If-Match` is refused: one version cannot name many containers.',
    tag: 'operations',
    body: batchBody,
    responses: { 200: responses.batchResponse },
    headers: ['idempotent-replayed'],
    idempotent: true,
    errors: ['ACCOUNT_BANNED'],
  },
  'get-container': {
    summary: 'One container, or once it reaches a status',
    description:
      `With \`wait_for=<status>\` the answer comes once the container is in that status, has settled in ` +
      'another (a running job has not: it is waited on until it ends in `succeeded` or `failed`), or ' +
      `after \`timeout\` seconds (0 to ${maxWaitSeconds}, default ${maxWaitSeconds}) with \`Retry-After: 1\`.`,
    tag: 'containers',
    path: idPath,
    query: getContainerQuery,
    responses: { 200: responses.dataOf(responses.containerResponse) },
    headers: ['etag', 'retry-after'],
    errors: ['CONTAINER_NOT_FOUND'],
  },
  'delete-container': {
    summary: 'Stop the container if needed and delete it; its task definition is released after',
    tag: 'containers',
    path: idPath,
    responses: { 202: responses.deletedContainerResponse },
    headers: ['idempotent-replayed'],
    idempotent: true,
    ifMatch: true,
    errors: [...changesContainer, 'EXTERNAL_SERVICE_ERROR'],
  },
  'update-container': {
    summary: "Change the container's auto-stop policy",
    description:
      'At least one of the two fields; `null` turns each off. Not a transition: the version (and ETag) ' +
      'stays, `updated_at` moves.',
    tag: 'idle',
    path: idPath,
    body: updatePolicyBody,
    responses: { 200: responses.dataOf(responses.containerResponse) },
    headers: ['etag'],
    ifMatch: true,
    errors: changesContainer,
  },
  'get-container-status': {
    summary: 'Status summary: allowed operations, the pending one, the task as ECS reported it',
    tag: 'containers',
    path: idPath,
    responses: { 200: responses.dataOf(responses.statusSummaryResponse) },
    headers: ['etag'],
    errors: ['CONTAINER_NOT_FOUND'],
  },
  'list-status-logs': {
    summary: "The container's transition history",
    description: 'Pages by `cursor` or `page`, not both; `limit` and `per_page` are the same (default 10).',
    tag: 'containers',
    path: idPath,
    query: listStatusLogsQuery,
    responses: { 200: responses.statusLogListResponse },
    errors: ['CONTAINER_NOT_FOUND'],
  },
  'record-activity': {
    summary: 'Report use of the container: resets its idle clock',
    tag: 'idle',
    path: idPath,
    responses: { 204: null },
    ifMatch: true,
    errors: changesContainer,
  },
  'get-container-idle': {
    summary: 'When and why the container would be stopped for idleness, or why not',
    tag: 'idle',
    path: idPath,
    responses: { 200: responses.dataOf(responses.idleResponse) },
    headers: ['etag'],
    errors: ['CONTAINER_NOT_FOUND'],
  },
  'snooze-container': {
    summary: 'Hold off the auto-stop for a number of seconds',
    description:
      'Only on a `running` container; a new snooze replaces the last. Cut to the maximum lifetime.',
    tag: 'idle',
    path: idPath,
    body: snoozeBody,
    responses: { 200: responses.dataOf(responses.idleResponse) },
    headers: ['etag'],
    ifMatch: true,
    errors: changesContainer,
  },
  'operate-container': {
    summary: 'Start, stop, force-stop, restart, pause or resume the container',
    description:
      'Accepted operations answer 202 with the transition and its `operation_id`, followed with ' +
      '`GET /v1/operations/{id}` (also in `Location`). An ECS failure undoes the transition; its error ' +
      'carries `details.operation_id`.',
    tag: 'operations',
    path: operationPath,
    responses: { 202: responses.operationAcceptedResponse },
    headers: ['etag', 'location', 'idempotent-replayed'],
    idempotent: true,
    ifMatch: true,
    errors: [...changesContainer, 'ACCOUNT_BANNED', ...runtimeFailures],
  },
  'get-operation': {
    summary: 'An accepted operation, or once it has ended',
    description: `With \`wait=N\` (0 to ${maxWaitSeconds} s) the answer comes once it ends, or after N s with \`status: "pending"\` and \`Retry-After: 1\`.`,
    tag: 'operations',
    path: operationIdPath,
    query: getOperationQuery,
    responses: { 200: responses.dataOf(responses.operationResponse) },
    headers: ['retry-after'],
    errors: ['OPERATION_NOT_FOUND'],
  },
  'put-container-schedule': {
    summary: "Set or replace the container's weekly schedule",
    description:
      '201 when new, 200 when replaced. A `stop` before the `start` ends the next day. A limit per owner ' +
      '(`QUOTA_EXCEEDED` with `details.resource: "schedules"`).',
    tag: 'schedules',
    path: idPath,
    body: scheduleBody,
    responses: {
      200: responses.dataOf(responses.scheduleResponse),
      201: responses.dataOf(responses.scheduleResponse),
    },
    errors: ['CONTAINER_NOT_FOUND', 'OPERATION_NOT_PERMITTED_ON_EXPIRED', 'QUOTA_EXCEEDED'],
  },
  'get-container-schedule': {
    summary: "The weekly schedule that applies to the container (its own, or its project's)",
    tag: 'schedules',
    path: idPath,
    responses: { 200: responses.dataOf(responses.scheduleResponse) },
    errors: ['CONTAINER_NOT_FOUND', 'SCHEDULE_NOT_FOUND'],
  },
  'delete-container-schedule': {
    summary: "Remove the container's own schedule; the project's applies again",
    tag: 'schedules',
    path: idPath,
    responses: { 204: null },
    headers: ['idempotent-replayed'],
    idempotent: true,
    errors: ['CONTAINER_NOT_FOUND', 'SCHEDULE_NOT_FOUND'],
  },
  'preview-container-schedule': {
    summary: 'The next transitions of the schedule that applies, and the hours it saves a week',
    tag: 'schedules',
    path: idPath,
    query: containerSchedulePreviewQuery,
    responses: { 200: responses.dataOf(responses.schedulePreviewResponse) },
    errors: ['CONTAINER_NOT_FOUND', 'SCHEDULE_NOT_FOUND'],
  },
  'put-project-schedule': {
    summary: "Set or replace the weekly schedule of every container of one of the caller's projects",
    description: `201 when new, 200 when replaced; a limit per owner as for a container's. ${ownerQuery}`,
    tag: 'schedules',
    path: projectPath,
    query: projectScheduleQuery,
    body: scheduleBody,
    responses: {
      200: responses.dataOf(responses.scheduleResponse),
      201: responses.dataOf(responses.scheduleResponse),
    },
    errors: ['QUOTA_EXCEEDED'],
  },
  'get-project-schedule': {
    summary: "A project's weekly schedule",
    description: ownerQuery,
    tag: 'schedules',
    path: projectPath,
    query: projectScheduleQuery,
    responses: { 200: responses.dataOf(responses.scheduleResponse) },
    errors: ['SCHEDULE_NOT_FOUND'],
  },
  'delete-project-schedule': {
    summary: "Remove a project's weekly schedule",
    description: ownerQuery,
    tag: 'schedules',
    path: projectPath,
    query: projectScheduleQuery,
    responses: { 204: null },
    headers: ['idempotent-replayed'],
    idempotent: true,
    errors: ['SCHEDULE_NOT_FOUND'],
  },
  'preview-project-schedule': {
    summary: "The next transitions of a project's schedule, and the hours it saves a week",
    description: ownerQuery,
    tag: 'schedules',
    path: projectPath,
    query: projectSchedulePreviewQuery,
    responses: { 200: responses.dataOf(responses.schedulePreviewResponse) },
    errors: ['SCHEDULE_NOT_FOUND'],
  },
  'list-project-containers': {
    summary: "The containers of one of the caller's projects, newest first",
    description: `As \`GET /v1/containers?project_id=\`, with the project in the path. ${ownerQuery}`,
    tag: 'containers',
    path: projectPath,
    query: listProjectContainersQuery,
    responses: { 200: responses.containerListResponse },
  },
  'list-job-runs': {
    summary: "A job's runs, newest first, or the one `run_id` names",
    tag: 'containers',
    path: jobRunsPath,
    query: jobRunsQuery,
    responses: { 200: responses.jobRunListResponse },
    errors: ['INVALID_ID_FORMAT', 'CONTAINER_NOT_FOUND', 'RUN_NOT_FOUND'],
  },
  'create-webhook': {
    summary: 'Register a URL that receives our events, signed',
    description:
      'https to a public host only. The signing `secret` is in this answer only. A limit per owner ' +
      '(`QUOTA_EXCEEDED` with `details.resource: "webhooks"`).',
    tag: 'webhooks',
    body: createWebhookBody,
    responses: { 201: responses.dataOf(responses.webhookResponse) },
    headers: ['idempotent-replayed'],
    idempotent: true,
    errors: ['QUOTA_EXCEEDED'],
  },
  'list-webhooks': {
    summary: "The caller's webhooks",
    tag: 'webhooks',
    responses: { 200: responses.webhookListResponse },
  },
  'get-webhook': {
    summary: 'One webhook, without its secret',
    tag: 'webhooks',
    path: webhookPath,
    responses: { 200: responses.dataOf(responses.webhookResponse) },
    errors: ['WEBHOOK_NOT_FOUND'],
  },
  'delete-webhook': {
    summary: 'Delete a webhook: no more deliveries',
    tag: 'webhooks',
    path: webhookPath,
    responses: { 200: responses.deletedWebhookResponse },
    headers: ['idempotent-replayed'],
    idempotent: true,
    errors: ['WEBHOOK_NOT_FOUND'],
  },
  'list-webhook-deliveries': {
    summary: "A webhook's deliveries, newest first, with every attempt",
    tag: 'webhooks',
    path: webhookPath,
    query: listDeliveriesQuery,
    responses: { 200: responses.deliveryListResponse },
    errors: ['WEBHOOK_NOT_FOUND'],
  },
  'redeliver-webhook-delivery': {
    summary: 'Send a delivery again now, signed afresh',
    tag: 'webhooks',
    path: webhookDeliveryPath,
    responses: { 200: responses.dataOf(responses.deliveryResponse) },
    headers: ['idempotent-replayed'],
    idempotent: true,
    errors: ['WEBHOOK_NOT_FOUND', 'DELIVERY_NOT_FOUND'],
  },
} as const satisfies Record<RouteFunctionName, OperationSpec>;
