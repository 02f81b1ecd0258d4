/** Reads of a container's history: a page of it in the order asked, and one transition's record. */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { StatusLog } from '../../domain/container';
import type { Page, StatusLogQuery, TransitionRecord } from '../../ports/container-repository';
import { containerFromItem } from './container-items';
import { unlessUnavailable } from './dynamodb-errors';
import { batchGetItems } from './item-reads';
import { containerKey, logKey, logPartition, logPrefix } from './keys';
import { logFromItem } from './status-log-items';
import type { TableTarget } from './table-calls';
import { queryPage } from './table-pages';

const logIndexes = {
  transition_time: 'gsi1',
  to_status: 'gsi2',
  from_status: 'gsi3',
  created_at: 'gsi4',
} as const;

export function listStatusLogs(table: TableTarget, query: StatusLogQuery): Promise<Page<StatusLog>> {
  const indexName = logIndexes[query.sortBy];
  return queryPage(
    table,
    {
      TableName: table.config.tableName,
      IndexName: indexName,
      KeyConditionExpression: `${indexName}pk = :pk`,
      ExpressionAttributeValues: { ':pk': { S: logPartition(query.containerId) } },
      ScanIndexForward: query.order === 'asc',
    },
    query,
    indexName,
    logFromItem,
  );
}

/**
 * The version of the oldest entry of a container's history still in the table (one Query of one
 * key): entries carry a TTL of their writing plus the log retention, and DynamoDB deletes expired
 * ones. Asked for every container, not only those older than today's retention: the retention may
 * have been shorter when older entries were written. Undefined when none is left.
 */
export async function firstStoredStatusLogVersion(
  table: TableTarget,
  containerId: string,
): Promise<number | undefined> {
  const { Items: items } = await unlessUnavailable(
    table.client.send(
      new QueryCommand({
        TableName: table.config.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :log)',
        ExpressionAttributeValues: { ':pk': { S: containerKey(containerId).pk }, ':log': { S: logPrefix } },
        ProjectionExpression: 'sk',
        ScanIndexForward: true,
        Limit: 1,
      }),
    ),
  );
  const sk = items?.[0]?.sk?.S;
  return sk === undefined ? undefined : Number(sk.slice(logPrefix.length));
}

export async function getTransitionRecord(
  table: TableTarget,
  containerId: string,
  version: number,
): Promise<TransitionRecord> {
  const keys = [containerKey(containerId), logKey(containerId, version), logKey(containerId, version + 1)];
  const found = new Map((await batchGetItems(table, keys)).map((item) => [item.sk?.S ?? '', item]));
  const [container, entry, next] = keys.map((key) => found.get(key.sk));
  return {
    container: container && containerFromItem(container),
    entry: entry && logFromItem(entry),
    next: next && logFromItem(next),
  };
}
