/** Reads of one item by key: a container, its owner's account. Consistent reads, as every decision is made on them. */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Container } from '../../domain/container';
import type { OwnerAccount } from '../../ports/container-repository';
import { marshall } from './attribute-values';
import { containerFromItem } from './container-items';
import { unlessUnavailable } from './dynamodb-errors';
import { containerKey, ownerKey } from './keys';
import { ownerAccount } from './owner-items';
import type { TableTarget } from './table-calls';

export async function getContainer(table: TableTarget, id: string): Promise<Container | undefined> {
  const { Item: item } = await unlessUnavailable(
    table.client.send(
      new GetItemCommand({
        TableName: table.config.tableName,
        Key: marshall(containerKey(id)),
        ConsistentRead: true,
      }),
    ),
  );
  return item ? containerFromItem(item) : undefined;
}

export async function getOwner(table: TableTarget, ownerId: string): Promise<OwnerAccount> {
  const { Item: item } = await unlessUnavailable(
    table.client.send(
      new GetItemCommand({
        TableName: table.config.tableName,
        Key: marshall(ownerKey(ownerId)),
        ConsistentRead: true,
      }),
    ),
  );
  return ownerAccount(ownerId, item);
}
