import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { ifMatchVersion } from '../../lib/http/if-match';
import { updatePolicyBody } from '../../lib/http/schemas/container-bodies';
import { idPath } from '../../lib/http/schemas/paths';
import { containerView } from '../../lib/http/views';
import { updateContainerPolicy } from '../../lib/use-cases/update-container-policy';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getContainer, saveWithoutTransition }),
};

/**
 * PATCH /v1/containers/{id} `{idle_timeout_seconds?, max_lifetime_seconds?}`: the auto-stop
 * policy, in force at once. No Idempotency-Key store: repeating it sets the same values.
 */
export const handler = httpHandler(
  { scope: scopes.write, path: idPath, body: updatePolicyBody },
  async ({ caller, path, body, headers }) => {
    const container = await updateContainerPolicy(deps, {
      actor: caller,
      containerId: path.id,
      idleTimeoutSeconds: body.idle_timeout_seconds,
      maxLifetimeSeconds: body.max_lifetime_seconds,
      expectedVersion: ifMatchVersion(headers),
    });
    return {
      status: 200,
      body: { data: containerView(container, deps.clock.now()) },
      headers: { etag: `"${container.version}"` },
    };
  },
);
