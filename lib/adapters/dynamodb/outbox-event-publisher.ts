/**
 * Platform events sent through the table: each becomes an outbox item, and the table's stream
 * hands it on to EventBridge (functions/streams/publish-transitions.ts) as it does the status
 * logs. A function that sends events this way needs no EventBridge client (issue 6).
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type Clock, systemClock } from '../../ports/clock';
import type { EventPublisher, PlatformEvent } from '../../ports/event-publisher';
import { outboxEventItem } from './outbox-items';

export interface OutboxEventPublisherConfig {
  readonly tableName: string;
  /**
   * How long an event's item is kept. The stream hands it on within seconds; the item only has to
   * outlive the retries that might write the same event again. @default 172800 (2 days)
   */
  readonly ttlSeconds?: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

export class OutboxEventPublisher implements EventPublisher {
  private readonly ttlSeconds: number;
  private readonly clock: Clock;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly config: OutboxEventPublisherConfig,
  ) {
    this.ttlSeconds = config.ttlSeconds ?? 172_800;
    this.clock = config.clock ?? systemClock;
  }

  async publish(events: readonly PlatformEvent[]): Promise<void> {
    // One at a time, in order: the stream hands them on in the order they were written.
    for (const event of events) {
      const now = this.clock.now();
      const expiresAt = Math.floor(now.getTime() / 1000) + this.ttlSeconds;
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.config.tableName,
            Item: outboxEventItem(event, now, expiresAt),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // The event is there already (a sweep that sent it and then failed, retried): the stream
        // handed it on when it was first written, and a failed put makes no stream record.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
}
