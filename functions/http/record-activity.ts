import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { ifMatchVersion } from '../../lib/http/if-match';
import { idPath } from '../../lib/http/schemas/paths';
import { recordActivity } from '../../lib/use-cases/record-activity';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getContainer, saveWithoutTransition }),
};

/**
 * POST /v1/containers/{id}/activity: resets the idle clock. No Idempotency-Key store: reporting
 * use twice is the same as once.
 */
export const handler = httpHandler(
  { scope: scopes.write, path: idPath },
  async ({ caller, path, headers }) => {
    await recordActivity(deps, {
      actor: caller,
      containerId: path.id,
      expectedVersion: ifMatchVersion(headers),
    });
    return { status: 204 };
  },
);
