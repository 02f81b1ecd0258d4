/** Reads of a container's history: a page of it in the order asked, and one transition's record. */
import { BatchGetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { StatusLog } from '../../domain/container';
import { DomainError } from '../../domain/errors';
import type { Page, StatusLogQuery, TransitionRecord } from '../../ports/container-repository';
import { marshall } from './attribute-values';
import { containerFromItem } from './container-items';
import { unlessUnavailable } from './dynamodb-errors';
import type { Item } from './items';
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
  const { tableName } = table.config;
  const keys = [containerKey(containerId), logKey(containerId, version), logKey(containerId, version + 1)];
  const found = new Map<string, Item>();
  let pending: Item[] = keys.map(marshall);
  // BatchGetItem may leave keys unread under load; it says which, and they are asked for again.
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt >= 5) {
      throw new DomainError('EXTERNAL_SERVICE_ERROR', 'The database is unavailable; nothing was changed');
    }
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    const { Responses, UnprocessedKeys } = await unlessUnavailable(
      table.client.send(
        new BatchGetItemCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      ),
    );
    for (const item of Responses?.[tableName] ?? []) found.set(item.sk?.S ?? '', item);
    pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  const [container, entry, next] = keys.map((key) => found.get(key.sk));
  return {
    container: container && containerFromItem(container),
    entry: entry && logFromItem(entry),
    next: next && logFromItem(next),
  };
}
