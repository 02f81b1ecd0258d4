import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { operationPath } from '../../lib/http/schemas';
import { operationAcceptedView } from '../../lib/http/views';
import { operateContainer } from '../../lib/use-cases/operate-container';

const { deps, idempotency } = httpApp();

/** POST /v1/containers/{id}/{operation}: start, stop, force-stop, restart, pause, resume. */
export const handler = httpHandler(
  { scope: scopes.write, idempotency, path: operationPath },
  async ({ caller, path }) => {
    const step = await operateContainer(deps, {
      actor: caller,
      containerId: path.id,
      operation: path.operation,
    });
    return {
      status: 202,
      body: operationAcceptedView(step, deps.clock.now()),
      headers: { etag: `"${step.after.version}"` },
    };
  },
);
