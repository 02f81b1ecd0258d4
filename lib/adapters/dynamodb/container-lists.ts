/** An owner's containers, from the index that fits the filters: all, by status, by project, or both. */
import type { Container } from '../../domain/container';
import type { ContainerStatus } from '../../domain/container-status';
import type { ContainerListQuery, Page } from '../../ports/container-repository';
import { containerFromItem } from './container-items';
import {
  ownerPartition,
  ownerProjectPartition,
  ownerProjectStatusPartition,
  ownerStatusPartition,
} from './keys';
import type { TableTarget } from './table-calls';
import { queryPage } from './table-pages';

export function listContainers(table: TableTarget, query: ContainerListQuery): Promise<Page<Container>> {
  const { indexName, partition } = containerIndex(query.ownerId, query.status, query.projectId);
  return queryPage(
    table,
    {
      TableName: table.config.tableName,
      IndexName: indexName,
      KeyConditionExpression: `${indexName}pk = :pk`,
      ExpressionAttributeValues: { ':pk': { S: partition } },
      ScanIndexForward: query.order === 'asc',
    },
    query,
    indexName,
    containerFromItem,
  );
}

function containerIndex(ownerId: string, status?: ContainerStatus, projectId?: string) {
  if (status && projectId)
    return { indexName: 'gsi4', partition: ownerProjectStatusPartition(ownerId, projectId, status) };
  if (projectId) return { indexName: 'gsi3', partition: ownerProjectPartition(ownerId, projectId) };
  if (status) return { indexName: 'gsi2', partition: ownerStatusPartition(ownerId, status) };
  return { indexName: 'gsi1', partition: ownerPartition(ownerId) };
}
