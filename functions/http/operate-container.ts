import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import { saveTransition } from '../../lib/adapters/dynamodb/transition-writes';
import { runTask, stopTask } from '../../lib/adapters/ecs/ecs-task-runner';
import { httpApp, idempotentRequestsOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { ifMatchVersion } from '../../lib/http/if-match';
import { operationPath } from '../../lib/http/schemas/paths';
import { operationAcceptedView, operationLocation } from '../../lib/http/views';
import { operateContainer } from '../../lib/use-cases/operate-container';
import { ecsRuntime } from '../../lib/wiring/ecs';
import { tableRepository } from '../../lib/wiring/table';

const { deps: tableDeps } = httpApp();
const idempotency = idempotentRequestsOnce();
const deps = {
  ...tableDeps,
  repository: tableRepository({ getContainer, saveTransition, saveWithoutTransition }),
  runtime: ecsRuntime({ runTask, stopTask }),
};

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
