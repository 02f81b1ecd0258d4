import { logger } from '../../logger';
import type { EventPublisher, PlatformEvent } from '../../ports/event-publisher';

/** Where events go on the local stack: one log line each, for a person watching `npm start`. */
export class LogPublisher implements EventPublisher {
  async publish(events: readonly PlatformEvent[]): Promise<void> {
    for (const event of events) logger.info('event published', { type: event.type, detail: event.detail });
  }
}
