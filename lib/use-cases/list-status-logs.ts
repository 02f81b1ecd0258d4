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
  /**
   * How many entries the history holds, from its oldest still kept to its latest: every transition
   * has one (the latest is the container's version), and DynamoDB deletes those past the log
   * retention.
   */
  readonly total: number;
}

/**
 * A page of one container's history, sorted as asked. The container (ownership, total), the page
 * and the oldest entry still kept (total) are read together, one round trip: the page of a
 * container the actor may not see is dropped unread.
 */
export async function listStatusLogs(
  deps: RepositoryDependencies<'listStatusLogs' | 'getContainer' | 'firstStoredStatusLogVersion'>,
  input: ListStatusLogsInput,
): Promise<StatusLogList> {
  // Settled here so that a refused container does not leave their failures unhandled.
  const settled = Promise.all([
    deps.repository.listStatusLogs({
      containerId: input.containerId,
      sortBy: input.sortBy,
      order: input.order,
      limit: input.limit,
      start: input.start,
      skip: input.page && input.page > 1 ? (input.page - 1) * input.limit : undefined,
    }),
    deps.repository.firstStoredStatusLogVersion(input.containerId),
  ]).then(
    ([page, firstStored]) => ({ page, firstStored }),
    (error: unknown) => ({ error }),
  );
  const container = await loadContainer(deps.repository, input.actor, input.containerId);
  const result = await settled;
  if ('error' in result) throw result.error;
  const total =
    result.firstStored === undefined ? 0 : Math.max(0, container.version - result.firstStored + 1);
  return { ...result.page, total };
}
