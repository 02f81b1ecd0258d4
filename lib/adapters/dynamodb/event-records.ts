/**
 * The records our events are made from, read by key (EventRecords): a log entry, an outbox item.
 * Consistent reads: the event may follow its record by well under a second.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { StatusLog } from '../../domain/container';
import type { RecordedEvent } from '../../ports/event-records';
import { marshall } from './attribute-values';
import { unlessUnavailable } from './dynamodb-errors';
import type { Item } from './items';
import { logKey, outboxEventKey } from './keys';
import { outboxEventFromItem } from './outbox-items';
import { logFromItem } from './status-log-items';
import type { TableTarget } from './table-calls';

async function getItem(table: TableTarget, key: { pk: string; sk: string }): Promise<Item | undefined> {
  const { Item: item } = await unlessUnavailable(
    table.client.send(
      new GetItemCommand({ TableName: table.config.tableName, Key: marshall(key), ConsistentRead: true }),
    ),
  );
  return item;
}

export async function getStatusLog(
  table: TableTarget,
  containerId: string,
  version: number,
): Promise<StatusLog | undefined> {
  const item = await getItem(table, logKey(containerId, version));
  return item ? logFromItem(item) : undefined;
}

export async function getOutboxEvent(
  table: TableTarget,
  eventId: string,
): Promise<RecordedEvent | undefined> {
  const item = await getItem(table, outboxEventKey(eventId));
  if (!item) return undefined;
  // An item without its time counts as recorded long ago: the event is then refused as too old.
  return { event: outboxEventFromItem(item), recordedAt: item.created_at?.S ?? '' };
}
