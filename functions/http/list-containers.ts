import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { containerListResponse } from '../../lib/http/container-list';
import { httpHandler } from '../../lib/http/http-handler';
import { listContainersQuery } from '../../lib/http/schemas';

const app = httpApp();

/** GET /v1/containers: the caller's containers (admins: `?owner_id=`), filtered and paged. */
export const handler = httpHandler({ scope: scopes.read, query: listContainersQuery }, ({ caller, query }) =>
  containerListResponse(app, caller, query, query.project_id),
);
