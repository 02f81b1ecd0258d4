import { createHash } from 'node:crypto';
import type { StatusLog } from '../domain/container';
import type { EventPublisher, PlatformEvent } from '../ports/event-publisher';

/** A status-log item as the table's stream hands it on, with its place in the stream. */
export interface StreamedTransition {
  readonly sequenceNumber: string;
  readonly log: StatusLog;
}

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
 * made from the transition id: a record the stream hands on twice makes the same events.
 */
export function transitionEvents(log: StatusLog): PlatformEvent[] {
  const detail = (type: string) => ({
    event_id: `evt_${createHash('sha256').update(`${type}\n${log.id}`).digest('hex').slice(0, 24)}`,
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

/**
 * Publishes the transitions of one stream batch, in stream order. It stops at the first call that
 * fails and says from which record the batch must be retried; the records before it are not sent
 * again. Events of the failed call that did go out will go out again: subscribers dedupe by
 * `event_id` (the webhook deliveries do).
 */
export async function publishTransitions(
  deps: { readonly events: EventPublisher },
  transitions: readonly StreamedTransition[],
): Promise<PublishTransitionsResult> {
  let published = 0;
  for (let index = 0; index < transitions.length; index += recordsPerCall) {
    const batch = transitions.slice(index, index + recordsPerCall);
    try {
      await deps.events.publish(batch.flatMap((each) => transitionEvents(each.log)));
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { published, failedFrom: batch[0]?.sequenceNumber, error: reason };
    }
    published += batch.length;
  }
  return { published, failedFrom: undefined };
}
