import * as containerReads from '../../lib/adapters/dynamodb/container-reads';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { idPath } from '../../lib/http/schemas/paths';
import { statusSummaryView } from '../../lib/http/views';
import { getContainer } from '../../lib/use-cases/get-container';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getContainer: containerReads.getContainer }),
};

export const handler = httpHandler({ scope: scopes.read, path: idPath }, async ({ caller, path }) => {
  const container = await getContainer(deps, { actor: caller, containerId: path.id });
  return {
    status: 200,
    body: { data: statusSummaryView(container) },
    headers: { etag: `"${container.version}"` },
  };
});
