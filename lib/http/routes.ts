import { type Scope, scopes } from './caller';

export interface HttpRoute {
  /** API Gateway's route key: method, space, path with `{parameters}`. */
  readonly routeKey: string;
  /** The handler's file name in functions/http (and the Lambda function's name suffix). */
  readonly functionName: string;
  /** The scope the JWT must grant; the authorizer checks it first, the function again. */
  readonly scope?: Scope;
}

/**
 * Every HTTP route, one function each. The local gateway serves exactly these, and infra/
 * deploys exactly these, so a route cannot exist in one place and not the other.
 */
export const httpRoutes = [
  { routeKey: 'GET /v1/health', functionName: 'get-health' },
  // An addition to the contract: the OpenAPI document, to any valid token (as health: no scope).
  { routeKey: 'GET /v1/openapi.json', functionName: 'get-openapi' },
  { routeKey: 'POST /v1/containers', functionName: 'create-container', scope: scopes.write },
  { routeKey: 'GET /v1/containers', functionName: 'list-containers', scope: scopes.read },
  // An extension of the contract: one operation on every container a selector picks. No POST
  // route has a third segment but this one, and a literal outranks {id} in any case.
  {
    routeKey: 'POST /v1/containers/batch',
    functionName: 'batch-operate-containers',
    scope: scopes.write,
  },
  { routeKey: 'GET /v1/containers/{id}', functionName: 'get-container', scope: scopes.read },
  { routeKey: 'DELETE /v1/containers/{id}', functionName: 'delete-container', scope: scopes.write },
  // An extension of the contract: the auto-stop policy, changed in place.
  { routeKey: 'PATCH /v1/containers/{id}', functionName: 'update-container', scope: scopes.write },
  { routeKey: 'GET /v1/containers/{id}/status', functionName: 'get-container-status', scope: scopes.read },
  { routeKey: 'GET /v1/containers/{id}/status-logs', functionName: 'list-status-logs', scope: scopes.read },
  // A literal segment outranks {operation}, in API Gateway as in the local gateway.
  { routeKey: 'POST /v1/containers/{id}/activity', functionName: 'record-activity', scope: scopes.write },
  // Extensions of the contract: the idle policy as it applies, and a snooze of the auto-stop.
  { routeKey: 'GET /v1/containers/{id}/idle', functionName: 'get-container-idle', scope: scopes.read },
  { routeKey: 'POST /v1/containers/{id}/snooze', functionName: 'snooze-container', scope: scopes.write },
  {
    routeKey: 'POST /v1/containers/{id}/{operation}',
    functionName: 'operate-container',
    scope: scopes.write,
  },
  // An extension of the contract: an accepted operation, followed by its operation_id.
  { routeKey: 'GET /v1/operations/{id}', functionName: 'get-operation', scope: scopes.read },
  // Extensions of the contract: weekly schedules that start and stop a container, or every
  // container of an owner's project (a container's own schedule wins), and what they will do.
  {
    routeKey: 'PUT /v1/containers/{id}/schedule',
    functionName: 'put-container-schedule',
    scope: scopes.write,
  },
  {
    routeKey: 'GET /v1/containers/{id}/schedule',
    functionName: 'get-container-schedule',
    scope: scopes.read,
  },
  {
    routeKey: 'DELETE /v1/containers/{id}/schedule',
    functionName: 'delete-container-schedule',
    scope: scopes.write,
  },
  {
    routeKey: 'GET /v1/containers/{id}/schedule/preview',
    functionName: 'preview-container-schedule',
    scope: scopes.read,
  },
  {
    routeKey: 'PUT /v1/projects/{project_id}/schedule',
    functionName: 'put-project-schedule',
    scope: scopes.write,
  },
  {
    routeKey: 'GET /v1/projects/{project_id}/schedule',
    functionName: 'get-project-schedule',
    scope: scopes.read,
  },
  {
    routeKey: 'DELETE /v1/projects/{project_id}/schedule',
    functionName: 'delete-project-schedule',
    scope: scopes.write,
  },
  {
    routeKey: 'GET /v1/projects/{project_id}/schedule/preview',
    functionName: 'preview-project-schedule',
    scope: scopes.read,
  },
  // Extensions of the contract: a project's containers, and a job's runs (Northflank's projects and jobs).
  {
    routeKey: 'GET /v1/projects/{project_id}/containers',
    functionName: 'list-project-containers',
    scope: scopes.read,
  },
  {
    routeKey: 'GET /v1/projects/{project_id}/jobs/{job_id}/containers',
    functionName: 'list-job-runs',
    scope: scopes.read,
  },
  // Extensions of the contract: webhooks that receive our events, signed, retried, redeliverable.
  { routeKey: 'POST /v1/webhooks', functionName: 'create-webhook', scope: scopes.write },
  { routeKey: 'GET /v1/webhooks', functionName: 'list-webhooks', scope: scopes.read },
  { routeKey: 'GET /v1/webhooks/{id}', functionName: 'get-webhook', scope: scopes.read },
  { routeKey: 'DELETE /v1/webhooks/{id}', functionName: 'delete-webhook', scope: scopes.write },
  {
    routeKey: 'GET /v1/webhooks/{id}/deliveries',
    functionName: 'list-webhook-deliveries',
    scope: scopes.read,
  },
  {
    routeKey: 'POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver',
    functionName: 'redeliver-webhook-delivery',
    scope: scopes.write,
  },
] as const satisfies readonly HttpRoute[];
