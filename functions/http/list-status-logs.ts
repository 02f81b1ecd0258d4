import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import * as statusLogReads from '../../lib/adapters/dynamodb/status-log-reads';
import { cursorCodecOnce, httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { nextCursor, queryScope, readCursor } from '../../lib/http/pagination';
import { listStatusLogsQuery } from '../../lib/http/schemas/list-queries';
import { idPath } from '../../lib/http/schemas/paths';
import { statusLogView } from '../../lib/http/views';
import { listStatusLogs } from '../../lib/use-cases/list-status-logs';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({
    listStatusLogs: statusLogReads.listStatusLogs,
    firstStoredStatusLogVersion: statusLogReads.firstStoredStatusLogVersion,
    getContainer,
  }),
};
const cursors = cursorCodecOnce();

export const handler = httpHandler(
  { scope: scopes.read, path: idPath, query: listStatusLogsQuery },
  async ({ caller, path, query }) => {
    const limit = query.limit ?? query.per_page ?? 10;
    const scope = queryScope(caller.id, `status-logs/${path.id}`, {
      sortBy: query.sort_by,
      order: query.sort_order,
    });
    const cursor = readCursor(cursors, query.cursor, scope);
    const page = cursor?.page ?? query.page ?? 1;
    const list = await listStatusLogs(deps, {
      actor: caller,
      containerId: path.id,
      sortBy: query.sort_by,
      order: query.sort_order,
      limit,
      start: cursor?.key,
      page: cursor ? undefined : page,
    });
    return {
      status: 200,
      body: {
        data: { status_logs: list.items.map(statusLogView) },
        pagination: {
          total: list.total,
          page,
          limit,
          total_pages: Math.ceil(list.total / limit),
          has_next_page: list.next !== undefined,
          cursor: nextCursor(cursors, list.next, page, scope),
        },
      },
    };
  },
);
