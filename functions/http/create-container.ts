import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { createContainerBody } from '../../lib/http/schemas';
import { createdContainerView } from '../../lib/http/views';
import { createContainer } from '../../lib/use-cases/create-container';
import { ecsRuntimeOnce } from '../../lib/wiring/ecs';

const { deps: tableDeps, idempotency } = httpApp();
const deps = { ...tableDeps, runtime: ecsRuntimeOnce() };

export const handler = httpHandler(
  { scope: scopes.write, idempotency, body: createContainerBody, operation: 'create' },
  async ({ caller, body }) => {
    const created = await createContainer(deps, {
      actor: caller,
      name: body.name,
      image: body.image,
      projectId: body.project_id,
      cpuUnits: body.cpu_units,
      memoryMb: body.memory_mb,
      command: body.command,
      environment: body.environment,
      idleTimeoutSeconds: body.idle_timeout_seconds,
      maxLifetimeSeconds: body.max_lifetime_seconds,
      start: body.start,
      kind: body.kind,
    });
    const { container, startFailure } = created;
    // Created even when its task could not start: 201, with the container in `error` and the reason.
    return {
      status: 201,
      body: createdContainerView(created, deps.clock.now()),
      headers: {
        etag: `"${container.version}"`,
        ...(startFailure?.retryAfterSeconds ? { 'retry-after': String(startFailure.retryAfterSeconds) } : {}),
      },
    };
  },
);
