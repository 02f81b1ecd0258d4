import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { nextCursor, queryScope, readCursor } from '../../lib/http/pagination';
import { listContainersQuery } from '../../lib/http/schemas';
import { containerView } from '../../lib/http/views';
import { listContainers } from '../../lib/use-cases/list-containers';

const { deps, cursors } = httpApp();

export const handler = httpHandler(
  { scope: scopes.read, query: listContainersQuery },
  async ({ caller, query }) => {
    const ownerId = caller.isAdmin && query.owner_id ? query.owner_id : caller.id;
    const perPage = query.per_page ?? query.limit ?? 20;
    const scope = queryScope(caller.id, 'containers', {
      ownerId,
      status: query.status,
      project: query.project_id,
      order: query.sort_order,
    });
    const cursor = readCursor(cursors, query.cursor, scope);
    const page = cursor?.page ?? query.page ?? 1;
    const list = await listContainers(deps, {
      actor: caller,
      ownerId,
      status: query.status,
      projectId: query.project_id,
      order: query.sort_order,
      perPage,
      start: cursor?.key,
      page: cursor ? undefined : page,
    });
    const now = deps.clock.now();
    return {
      status: 200,
      body: {
        data: { containers: list.items.map((container) => containerView(container, now)) },
        pagination: {
          has_next_page: list.next !== undefined,
          cursor: nextCursor(cursors, list.next, page, scope),
          count: list.items.length,
          total: list.total,
          page,
          per_page: perPage,
        },
        quota: list.quota,
      },
    };
  },
);
