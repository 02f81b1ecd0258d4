import type { StatusLog } from '../domain/container';
import { platformEventId } from '../domain/event-id';
import type { EventPublisher, PlatformEvent } from '../ports/event-publisher';

/** A status-log item as the table's stream hands it on, with its place in the stream. */
export interface StreamedTransition {
  readonly sequenceNumber: string;
  readonly log: StatusLog;
}

/** An outbox item (an event a function sent through the table) as the stream hands it on. */
export interface StreamedOutboxEvent {
  readonly sequenceNumber: string;
  readonly event: PlatformEvent;
}

/** What the table's stream carries out: transitions, and the events written to the outbox. */
export type StreamedRecord = StreamedTransition | StreamedOutboxEvent;

export interface PublishTransitionsResult {
  readonly published: number;
  /**
   * The first record that was not published, when one failed: it and every record after it must
   * come again (the stream retries from there), so that no transition is lost or reordered.
   */
  readonly failedFrom: string | undefined;
  /** Why it failed, for the log. */
  readonly error?: string;
}

/** Records per PutEvents: each gives at most two events, and PutEvents takes ten. */
const recordsPerCall = 5;

/**
 * The events of one transition: `container.status-changed` always, and `container.auto-stopped`
 * too when the auto-stop sweep made it, so a subscriber to either hears of it. The event id is
 * made from the transition id: a record the stream hands on twice makes the same events. The
 * webhook delivery remakes them to check an event it is handed (deliver-webhook-event.ts): a
 * change of their fields drops the events still in flight when it is deployed.
 */
export function transitionEvents(log: StatusLog): PlatformEvent[] {
  const detail = (type: string) => ({
    event_id: platformEventId(type, log.id),
    container_id: log.containerId,
    owner_id: log.ownerId,
    transition_id: log.id,
    version: log.version,
    from_status: log.fromStatus,
    to_status: log.toStatus,
    operation: log.operation,
    triggered_by: log.triggeredBy,
    reason: log.reason,
    transition_time: log.transitionTime,
  });
  const events: PlatformEvent[] = [
    { type: 'container.status-changed', detail: detail('container.status-changed') },
  ];
  if (log.triggeredBy === 'auto-stop') {
    events.push({ type: 'container.auto-stopped', detail: detail('container.auto-stopped') });
  }
  return events;
}

/** The events one streamed record stands for: a transition's, or the outbox event itself. */
function eventsOf(record: StreamedRecord): PlatformEvent[] {
  return 'log' in record ? transitionEvents(record.log) : [record.event];
}

/**
 * Publishes the transitions and outbox events of one stream batch, in stream order. It stops at
 * the first call that fails and says from which record the batch must be retried; the records
 * before it are not sent again. Events of the failed call that did go out will go out again:
 * subscribers dedupe by `event_id` (the webhook deliveries do).
 */
export async function publishTransitions(
  deps: { readonly events: EventPublisher },
  records: readonly StreamedRecord[],
): Promise<PublishTransitionsResult> {
  let published = 0;
  for (let index = 0; index < records.length; index += recordsPerCall) {
    const batch = records.slice(index, index + recordsPerCall);
    try {
      await deps.events.publish(batch.flatMap(eventsOf));
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { published, failedFrom: batch[0]?.sequenceNumber, error: reason };
    }
    published += batch.length;
  }
  return { published, failedFrom: undefined };
}
