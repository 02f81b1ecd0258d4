import type { StatusLog } from '../domain/container';
import type { PlatformEvent } from './event-publisher';

/** An event sent through the outbox, and when its item was written. */
export interface RecordedEvent {
  readonly event: PlatformEvent;
  readonly recordedAt: string;
}

/**
 * The table's records our platform events are made from. The webhook delivery checks each event
 * it is handed against them, so that only an event this service sent is signed and delivered.
 */
export interface EventRecords {
  /** A container's log entry of `version`, while it is kept. */
  getStatusLog(containerId: string, version: number): Promise<StatusLog | undefined>;
  /** An event sent through the table's outbox, while its item is kept (2 days). */
  getOutboxEvent(eventId: string): Promise<RecordedEvent | undefined>;
}
