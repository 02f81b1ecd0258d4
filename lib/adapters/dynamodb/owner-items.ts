/** An owner's item to the account the use cases see: the ban, and the counters kept with every write. */
import type { OwnerAccount } from '../../ports/container-repository';
import type { Item } from './items';
import { counterNames } from './keys';

/** The account of `ownerId` from its item; an owner with no item yet has none of anything. */
export function ownerAccount(ownerId: string, item: Item | undefined): OwnerAccount {
  const count = (name: string) => Number(item?.[name]?.N ?? 0);
  return {
    ownerId,
    banned: item?.banned?.BOOL === true,
    containerCount: count(counterNames.live),
    countOf({ status, projectId }) {
      if (status && projectId) return count(counterNames.projectStatus(projectId, status));
      if (projectId) return count(counterNames.project(projectId));
      if (status) return count(counterNames.status(status));
      return count(counterNames.all);
    },
  };
}
