import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EventPublishError, type EventPublisher, type PlatformEvent } from '../../ports/event-publisher';

/** The `source` of every event this service sends. */
export const eventSource = 'container-lifecycle-api';

/** PutEvents takes at most 10 entries a call. */
const maxEntries = 10;

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(events: readonly PlatformEvent[]): Promise<void> {
    for (let index = 0; index < events.length; index += maxEntries) {
      const batch = events.slice(index, index + maxEntries);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.eventBusName,
            Source: eventSource,
            DetailType: event.type,
            Detail: JSON.stringify(event.detail),
          })),
        }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) {
        const codes = (result.Entries ?? []).map((entry) => entry.ErrorCode).filter(Boolean);
        throw new EventPublishError(
          `EventBridge refused ${result.FailedEntryCount} of ${batch.length} events: ${codes.join(', ')}`,
        );
      }
    }
  }
}
