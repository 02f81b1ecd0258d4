import { scopes } from '../lib/http/caller';
import { type HttpRoute, httpRoutes } from '../lib/http/routes';
import type { GatewayRoute, HttpHandler } from './gateway';

/**
 * The gateway's routes, from the same route table infra/ deploys: each route's handler is the
 * `handler` export of functions/http/<functionName>.ts, loaded as its Lambda would load it.
 */
export async function loadHttpRoutes(routes: readonly HttpRoute[] = httpRoutes): Promise<GatewayRoute[]> {
  return Promise.all(
    routes.map(async (route) => {
      const module = (await import(`../functions/http/${route.functionName}.ts`)) as { handler: HttpHandler };
      return {
        routeKey: route.routeKey,
        functionName: route.functionName,
        handler: module.handler,
        // As infra/ sets them: the route's scope, or admin, which holds every scope.
        ...(route.scope ? { authorizationScopes: [route.scope, scopes.admin] } : {}),
      };
    }),
  );
}
