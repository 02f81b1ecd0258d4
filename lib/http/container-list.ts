/**
 * The answer of a container list, shared by GET /v1/containers and GET /v1/projects/{project_id}/containers:
 * one use case, one cursor scope (a cursor of either route pages the other), one shape.
 */
import type { ContainerStatus } from '../domain/container-status';
import type { SortOrder } from '../ports/container-repository';
import type { Dependencies } from '../use-cases/dependencies';
import { type ListContainersDependencies, listContainers } from '../use-cases/list-containers';
import type { Caller } from './caller';
import type { CursorCodec } from './cursor';
import type { HttpResponse } from './http-handler';
import { nextCursor, queryScope, readCursor } from './pagination';
import { containerView } from './views';

export interface ContainerListQuery {
  readonly status?: ContainerStatus | undefined;
  readonly per_page?: number | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  readonly page?: number | undefined;
  readonly sort_order: SortOrder;
  /** Admins only: another owner's containers. */
  readonly owner_id?: string | undefined;
}

export async function containerListResponse(
  {
    deps,
    cursors,
  }: {
    readonly deps: ListContainersDependencies & Pick<Dependencies, 'clock'>;
    readonly cursors: CursorCodec;
  },
  caller: Caller,
  query: ContainerListQuery,
  projectId: string | undefined,
): Promise<HttpResponse> {
  const ownerId = caller.isAdmin && query.owner_id ? query.owner_id : caller.id;
  const perPage = query.per_page ?? query.limit ?? 20;
  const scope = queryScope(caller.id, 'containers', {
    ownerId,
    status: query.status,
    project: projectId,
    order: query.sort_order,
  });
  const cursor = readCursor(cursors, query.cursor, scope);
  const page = cursor?.page ?? query.page ?? 1;
  const list = await listContainers(deps, {
    actor: caller,
    ownerId,
    status: query.status,
    projectId,
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
}
