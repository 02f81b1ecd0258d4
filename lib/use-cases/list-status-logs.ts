import type { StatusLog } from '../domain/container';
import type { LogSortKey, Page, PagePosition, SortOrder } from '../ports/container-repository';
import type { Actor, RepositoryDependencies } from './dependencies';
import { loadContainer } from './load-container';

export interface ListStatusLogsInput {
  readonly actor: Actor;
  readonly containerId: string;
  readonly sortBy: LogSortKey;
  readonly order: SortOrder;
  readonly limit: number;
  readonly start?: PagePosition | undefined;
  readonly page?: number | undefined;
}

export interface StatusLogList extends Page<StatusLog> {
  /** Every transition has one entry, so the container's version is the exact total. */
  readonly total: number;
}

/**
 * A page of one container's history, sorted as asked. The container (ownership, total) and the
 * page are read together, one round trip: the page of a container the actor may not see is
 * dropped unread.
 */
export async function listStatusLogs(
  deps: RepositoryDependencies<'listStatusLogs' | 'getContainer'>,
  input: ListStatusLogsInput,
): Promise<StatusLogList> {
  const pageRead = deps.repository.listStatusLogs({
    containerId: input.containerId,
    sortBy: input.sortBy,
    order: input.order,
    limit: input.limit,
    start: input.start,
    skip: input.page && input.page > 1 ? (input.page - 1) * input.limit : undefined,
  });
  // Settled here so that a refused container does not leave the page's failure unhandled.
  const settled = pageRead.then(
    (page) => ({ page }),
    (error: unknown) => ({ error }),
  );
  const container = await loadContainer(deps.repository, input.actor, input.containerId);
  const result = await settled;
  if ('error' in result) throw result.error;
  return { ...result.page, total: container.version };
}
