import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { idPath } from '../../lib/http/schemas';
import { deleteContainer } from '../../lib/use-cases/delete-container';

const { deps, idempotency } = httpApp();

export const handler = httpHandler(
  { scope: scopes.write, idempotency, path: idPath },
  async ({ caller, path }) => {
    const deleted = await deleteContainer(deps, { actor: caller, containerId: path.id });
    return {
      status: 202,
      body: { data: { id: deleted.id, deleted: true }, message: 'Container delete accepted' },
    };
  },
);
