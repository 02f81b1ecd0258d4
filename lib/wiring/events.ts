/** Where platform events go, for the one function that sends them (auto-stop's idle warning). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../adapters/eventbridge/eventbridge-publisher';
import { LogPublisher } from '../adapters/eventbridge/log-publisher';
import type { EventPublisher } from '../ports/event-publisher';
import { tableWiringOnce } from './table';

let events: EventPublisher | undefined;

/** The instance's event publisher, made on first use: EventBridge, or the log when the bus is `log`. */
export function eventPublisherOnce(): EventPublisher {
  if (!events) {
    const { config } = tableWiringOnce();
    events =
      config.EVENT_BUS_NAME === 'log'
        ? new LogPublisher()
        : new EventBridgePublisher(new EventBridgeClient({}), config.EVENT_BUS_NAME);
  }
  return events;
}
