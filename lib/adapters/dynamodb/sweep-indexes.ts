/**
 * The work lists of the scheduled sweeps: sparse indexes, sharded, of the containers due for an
 * auto-stop, settling, or resting. The reads grow with what is due, not with the table.
 */
import type { Container } from '../../domain/container';
import type { Page, ScheduleQuery } from '../../ports/container-repository';
import { containerFromItem } from './container-items';
import { autoStopPartition, restingPartition, settlingPartition } from './keys';
import type { TableTarget } from './table-calls';
import { queryPage } from './table-pages';

export { scheduleShards } from './keys';

export function listDueForAutoStop(table: TableTarget, query: ScheduleQuery): Promise<Page<Container>> {
  return scheduleList(table, 'gsi5', autoStopPartition(query.shard), query);
}

export function listSettling(table: TableTarget, query: ScheduleQuery): Promise<Page<Container>> {
  return scheduleList(table, 'gsi6', settlingPartition(query.shard), query);
}

export function listResting(table: TableTarget, query: ScheduleQuery): Promise<Page<Container>> {
  return scheduleList(table, 'gsi6', restingPartition(query.shard), query);
}

/** Entries of a sparse index up to a time. */
function scheduleList(
  table: TableTarget,
  indexName: string,
  partition: string,
  query: ScheduleQuery,
): Promise<Page<Container>> {
  return queryPage(
    table,
    {
      TableName: table.config.tableName,
      IndexName: indexName,
      KeyConditionExpression: `${indexName}pk = :pk AND ${indexName}sk <= :upTo`,
      // '~' sorts after every id character, so an entry due exactly at `upTo` is included.
      ExpressionAttributeValues: { ':pk': { S: partition }, ':upTo': { S: `${query.upTo}#~` } },
      ScanIndexForward: true,
    },
    query,
    indexName,
    containerFromItem,
  );
}
