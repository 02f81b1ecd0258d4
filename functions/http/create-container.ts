import { getContainer, getOwner } from '../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import * as transitionWrites from '../../lib/adapters/dynamodb/transition-writes';
import {
  deregisterTaskDefinition,
  registerTaskDefinition,
} from '../../lib/adapters/ecs/ecs-task-definitions';
import { runTask, stopTask } from '../../lib/adapters/ecs/ecs-task-runner';
import { httpApp, idempotentRequestsOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { createContainerBody } from '../../lib/http/schemas/container-bodies';
import { createdContainerView } from '../../lib/http/views';
import { createContainer } from '../../lib/use-cases/create-container';
import { ecsRuntime } from '../../lib/wiring/ecs';
import { tableRepository } from '../../lib/wiring/table';

const { deps: tableDeps } = httpApp();
const idempotency = idempotentRequestsOnce();
const deps = {
  ...tableDeps,
  repository: tableRepository({
    getOwner,
    createContainer: transitionWrites.createContainer,
    getContainer,
    saveTransition: transitionWrites.saveTransition,
    saveWithoutTransition,
  }),
  runtime: ecsRuntime({ registerTaskDefinition, deregisterTaskDefinition, runTask, stopTask }),
};

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
