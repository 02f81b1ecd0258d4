import type { StatusLog } from '../domain/container';
import type { LogSortKey, Page, PagePosition, SortOrder } from '../ports/container-repository';
import type { Actor, Dependencies } from './dependencies';
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

/** A page of one container's history, sorted as asked. */
export async function listStatusLogs(
  deps: Pick<Dependencies, 'repository'>,
  input: ListStatusLogsInput,
): Promise<StatusLogList> {
  const container = await loadContainer(deps.repository, input.actor, input.containerId);
  const page = await deps.repository.listStatusLogs({
    containerId: container.id,
    sortBy: input.sortBy,
    order: input.order,
    limit: input.limit,
    start: input.start,
    skip: input.page && input.page > 1 ? (input.page - 1) * input.limit : undefined,
  });
  return { ...page, total: container.version };
}
