import { listContainers } from '../../lib/adapters/dynamodb/container-lists';
import { getOwner } from '../../lib/adapters/dynamodb/container-reads';
import { cursorCodecOnce, httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { containerListResponse } from '../../lib/http/container-list';
import { httpHandler } from '../../lib/http/http-handler';
import { listContainersQuery } from '../../lib/http/schemas/list-queries';
import { tableRepository } from '../../lib/wiring/table';

const app = {
  deps: { ...httpApp().deps, repository: tableRepository({ listContainers, getOwner }) },
  cursors: cursorCodecOnce(),
};

/** GET /v1/containers: the caller's containers (admins: `?owner_id=`), filtered and paged. */
export const handler = httpHandler({ scope: scopes.read, query: listContainersQuery }, ({ caller, query }) =>
  containerListResponse(app, caller, query, query.project_id),
);
