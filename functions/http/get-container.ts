import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { getContainerQuery, maxWaitSeconds, retryAfterWhile } from '../../lib/http/long-poll';
import { idPath } from '../../lib/http/schemas/paths';
import { containerView } from '../../lib/http/views';
import { waitForContainer } from '../../lib/use-cases/wait-for-container';
import { tableRepository } from '../../lib/wiring/table';

const deps = { ...httpApp().deps, repository: tableRepository({ getContainer }) };

/** GET /v1/containers/{id}, or with `?wait_for=<status>&timeout=N` once it is there (N s at most). */
export const handler = httpHandler(
  { scope: scopes.read, path: idPath, query: getContainerQuery },
  async ({ caller, path, query }) => {
    const { container, timedOut } = await waitForContainer(deps, {
      actor: caller,
      containerId: path.id,
      status: query.wait_for,
      waitSeconds: query.timeout ?? maxWaitSeconds,
    });
    return {
      status: 200,
      body: { data: containerView(container, deps.clock.now()) },
      headers: { etag: `"${container.version}"`, ...retryAfterWhile(timedOut) },
    };
  },
);
