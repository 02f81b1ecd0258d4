import type { Container } from '../domain/container';
import type { ContainerStatus } from '../domain/container-status';
import type { Page, PagePosition, SortOrder } from '../ports/container-repository';
import type { Actor, Dependencies, RepositoryDependencies } from './dependencies';

export interface ListContainersInput {
  readonly actor: Actor;
  /** Whose containers: the actor's own unless an admin names another owner. */
  readonly ownerId: string;
  readonly status?: ContainerStatus | undefined;
  readonly projectId?: string | undefined;
  readonly order: SortOrder;
  readonly perPage: number;
  readonly start?: PagePosition | undefined;
  readonly page?: number | undefined;
}

export interface ContainerList extends Page<Container> {
  /** Containers matching the filters, from counters kept with every write. */
  readonly total: number;
  readonly quota: { readonly limit: number; readonly used: number };
}

/** The owner's containers and account (the totals), and the quota. */
export type ListContainersDependencies = RepositoryDependencies<'listContainers' | 'getOwner'> &
  Pick<Dependencies, 'settings'>;

/** A page of an owner's containers, newest first unless asked otherwise, with exact totals. */
export async function listContainers(
  deps: ListContainersDependencies,
  input: ListContainersInput,
): Promise<ContainerList> {
  const [page, owner] = await Promise.all([
    deps.repository.listContainers({
      ownerId: input.ownerId,
      status: input.status,
      projectId: input.projectId,
      order: input.order,
      limit: input.perPage,
      start: input.start,
      skip: input.page && input.page > 1 ? (input.page - 1) * input.perPage : undefined,
    }),
    deps.repository.getOwner(input.ownerId),
  ]);
  return {
    ...page,
    total: owner.countOf({ status: input.status, projectId: input.projectId }),
    quota: { limit: deps.settings.containerQuota, used: owner.containerCount },
  };
}
