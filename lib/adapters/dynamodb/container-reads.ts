/** Reads of one item by key: a container, its owner's account. Consistent reads, as every decision is made on them. */
import type { Container } from '../../domain/container';
import type { OwnerAccount } from '../../ports/container-repository';
import { containerFromItem } from './container-items';
import { getItem } from './item-reads';
import { containerKey, ownerKey } from './keys';
import { ownerAccount } from './owner-items';
import type { TableTarget } from './table-calls';

export async function getContainer(table: TableTarget, id: string): Promise<Container | undefined> {
  const item = await getItem(table, containerKey(id));
  return item ? containerFromItem(item) : undefined;
}

export async function getOwner(table: TableTarget, ownerId: string): Promise<OwnerAccount> {
  return ownerAccount(ownerId, await getItem(table, ownerKey(ownerId)));
}
