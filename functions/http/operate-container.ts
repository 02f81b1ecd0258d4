import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { ifMatchVersion } from '../../lib/http/if-match';
import { operationPath } from '../../lib/http/schemas';
import { operationAcceptedView, operationLocation } from '../../lib/http/views';
import { operateContainer } from '../../lib/use-cases/operate-container';
import { ecsRuntimeOnce } from '../../lib/wiring/ecs';

const { deps: tableDeps, idempotency } = httpApp();
const deps = { ...tableDeps, runtime: ecsRuntimeOnce() };

/** POST /v1/containers/{id}/{operation}: start, stop, force-stop, restart, pause, resume. */
export const handler = httpHandler(
  { scope: scopes.write, idempotency, path: operationPath, operation: (path) => path.operation },
  async ({ caller, path, headers }) => {
    const step = await operateContainer(deps, {
      actor: caller,
      containerId: path.id,
      operation: path.operation,
      expectedVersion: ifMatchVersion(headers),
    });
    return {
      status: 202,
      body: operationAcceptedView(step, deps.clock.now()),
      headers: { etag: `"${step.after.version}"`, location: operationLocation(step.log.id) },
    };
  },
);
