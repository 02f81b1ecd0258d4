import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { ifMatchVersion } from '../../lib/http/if-match';
import { idPath } from '../../lib/http/schemas';
import { deleteContainer } from '../../lib/use-cases/delete-container';
import { ecsRuntimeOnce } from '../../lib/wiring/ecs';

const { deps: tableDeps, idempotency } = httpApp();
const deps = { ...tableDeps, runtime: ecsRuntimeOnce() };

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
