/**
 * Where platform events go, for the function that puts them on EventBridge: the transition
 * publisher (the auto-stop sweep writes its idle warnings to the table's outbox, lib/wiring/outbox.ts).
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../adapters/eventbridge/eventbridge-publisher';
import { LogPublisher } from '../adapters/eventbridge/log-publisher';
import { configOnce } from '../config';
import type { EventPublisher } from '../ports/event-publisher';

let events: EventPublisher | undefined;

/** The instance's event publisher, made on first use: EventBridge, or the log when the bus is `log`. */
export function eventPublisherOnce(): EventPublisher {
  if (!events) {
    // The configuration alone, not the table wiring: the transition publisher uses no table.
    const config = configOnce();
    events =
      config.EVENT_BUS_NAME === 'log'
        ? new LogPublisher()
        : new EventBridgePublisher(
            new EventBridgeClient(
              config.EVENTBRIDGE_ENDPOINT ? { endpoint: config.EVENTBRIDGE_ENDPOINT } : {},
            ),
            config.EVENT_BUS_NAME,
          );
  }
  return events;
}
