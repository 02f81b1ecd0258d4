/**
 * Platform events through the table's outbox, for a function that already has the table: it
 * sends them with no EventBridge client of its own (the auto-stop sweep's idle warnings).
 */
import { OutboxEventPublisher } from '../adapters/dynamodb/outbox-event-publisher';
import type { EventPublisher } from '../ports/event-publisher';
import { tableWiringOnce } from './table';

let outbox: EventPublisher | undefined;

/** The instance's outbox publisher, on the table wiring's client, configuration and clock. */
export function outboxPublisherOnce(): EventPublisher {
  if (!outbox) {
    const { config, dynamoDb, deps } = tableWiringOnce();
    outbox = new OutboxEventPublisher(dynamoDb, { tableName: config.TABLE_NAME, clock: deps.clock });
  }
  return outbox;
}
