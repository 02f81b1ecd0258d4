import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import * as containerWrites from '../../lib/adapters/dynamodb/container-writes';
import { stopTask } from '../../lib/adapters/ecs/ecs-task-runner';
import { httpApp, idempotentRequestsOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { ifMatchVersion } from '../../lib/http/if-match';
import { idPath } from '../../lib/http/schemas/paths';
import { deleteContainer } from '../../lib/use-cases/delete-container';
import { ecsRuntime } from '../../lib/wiring/ecs';
import { tableRepository } from '../../lib/wiring/table';

const { deps: tableDeps } = httpApp();
const idempotency = idempotentRequestsOnce();
const deps = {
  ...tableDeps,
  repository: tableRepository({ getContainer, deleteContainer: containerWrites.deleteContainer }),
  runtime: ecsRuntime({ stopTask }),
};

export const handler = httpHandler(
  { scope: scopes.write, idempotency, path: idPath, operation: 'delete' },
  async ({ caller, path, headers }) => {
    const deleted = await deleteContainer(deps, {
      actor: caller,
      containerId: path.id,
      expectedVersion: ifMatchVersion(headers),
    });
    return {
      status: 202,
      body: { data: { id: deleted.id, deleted: true }, message: 'Container delete accepted' },
    };
  },
);
