/**
 * The records our events are made from, read by key (EventRecords): a log entry, an outbox item.
 * Consistent reads (item-reads.ts): the event may follow its record by well under a second.
 */
import type { StatusLog } from '../../domain/container';
import type { RecordedEvent } from '../../ports/event-records';
import { getItem } from './item-reads';
import { logKey, outboxEventKey } from './keys';
import { outboxEventFromItem } from './outbox-items';
import { logFromItem } from './status-log-items';
import type { TableTarget } from './table-calls';

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
