import { listContainers } from '../../lib/adapters/dynamodb/container-lists';
import { getOwner } from '../../lib/adapters/dynamodb/container-reads';
import { cursorCodecOnce, httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { containerListResponse } from '../../lib/http/container-list';
import { httpHandler } from '../../lib/http/http-handler';
import { listProjectContainersQuery } from '../../lib/http/schemas/list-queries';
import { projectPath } from '../../lib/http/schemas/paths';
import { tableRepository } from '../../lib/wiring/table';

const app = {
  deps: { ...httpApp().deps, repository: tableRepository({ listContainers, getOwner }) },
  cursors: cursorCodecOnce(),
};

/** GET /v1/projects/{project_id}/containers: GET /v1/containers?project_id= with the project in the path. */
export const handler = httpHandler(
  { scope: scopes.read, path: projectPath, query: listProjectContainersQuery },
  ({ caller, path, query }) => containerListResponse(app, caller, query, path.project_id),
);
