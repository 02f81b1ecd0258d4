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
  { routeKey: 'POST /v1/containers', functionName: 'create-container', scope: scopes.write },
  { routeKey: 'GET /v1/containers', functionName: 'list-containers', scope: scopes.read },
  { routeKey: 'GET /v1/containers/{id}', functionName: 'get-container', scope: scopes.read },
  { routeKey: 'DELETE /v1/containers/{id}', functionName: 'delete-container', scope: scopes.write },
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
] as const satisfies readonly HttpRoute[];
