import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { ifMatchVersion } from '../../lib/http/if-match';
import { snoozeBody } from '../../lib/http/schemas/container-bodies';
import { idPath } from '../../lib/http/schemas/paths';
import { idleView } from '../../lib/http/views';
import { snoozeContainer } from '../../lib/use-cases/snooze-container';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getContainer, saveWithoutTransition }),
};

/**
 * POST /v1/containers/{id}/snooze `{"seconds": N}`: no auto-stop for N s from now. No
 * Idempotency-Key store: a repeated snooze sets the same end, give or take the retry's delay.
 */
export const handler = httpHandler(
  { scope: scopes.write, path: idPath, body: snoozeBody },
  async ({ caller, path, body, headers }) => {
    const container = await snoozeContainer(deps, {
      actor: caller,
      containerId: path.id,
      seconds: body.seconds,
      expectedVersion: ifMatchVersion(headers),
    });
    return {
      status: 200,
      body: { data: idleView(container, deps.clock.now(), deps.settings.idleWarningSeconds) },
      headers: { etag: `"${container.version}"` },
    };
  },
);
