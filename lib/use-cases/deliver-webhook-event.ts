import { type Delivery, deliveryIdFor, subscribes, type WebhookEventType } from '../domain/webhook';
import { attemptDelivery } from './attempt-delivery';
import type { WebhookDependencies } from './webhook-dependencies';

export interface WebhookEvent {
  /** Stable across duplicates of the event: the delivery's id is made from it. */
  readonly id: string;
  readonly type: WebhookEventType;
  readonly ownerId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface DeliverEventSummary {
  /** Webhooks of the owner subscribed to the event's type. */
  readonly webhooks: number;
  readonly succeeded: number;
  /** Failed their first attempt: the retry pass tries them again. */
  readonly retrying: number;
  /** Already delivered or being delivered: the event came twice. */
  readonly duplicates: number;
}

/**
 * Sends one platform event to each of the owner's webhooks that subscribe to its type. Each
 * delivery is recorded before it is attempted, on the retry index with a lease: if this function
 * dies mid-way, the retry pass takes the delivery up once the lease has run out.
 */
export async function deliverWebhookEvent(
  deps: WebhookDependencies,
  event: WebhookEvent,
): Promise<DeliverEventSummary> {
  const webhooks = (await deps.webhooks.listWebhooks(event.ownerId)).filter((webhook) =>
    subscribes(webhook, event.type),
  );
  const now = deps.clock.now();
  const payload = JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: now.toISOString(),
    data: event.data,
  });
  const outcomes = await Promise.all(
    webhooks.map(async (webhook) => {
      const delivery: Delivery = {
        id: deliveryIdFor(event.id, webhook.id),
        webhookId: webhook.id,
        ownerId: webhook.ownerId,
        eventId: event.id,
        eventType: event.type,
        payload,
        createdAt: now.toISOString(),
        outcome: 'pending',
        attemptCount: 0,
        automaticAttemptCount: 0,
        attempts: [],
        nextAttemptAt: leaseEnd(deps, now),
      };
      if (!(await deps.webhooks.createDelivery(delivery))) return 'duplicate';
      const after = await attemptDelivery(deps, webhook, delivery, 'event');
      return after.outcome === 'succeeded' ? 'succeeded' : 'retrying';
    }),
  );
  const count = (outcome: string) => outcomes.filter((each) => each === outcome).length;
  return {
    webhooks: webhooks.length,
    succeeded: count('succeeded'),
    retrying: count('retrying'),
    duplicates: count('duplicate'),
  };
}

/** How long an attempt in progress holds its delivery off the retry pass: the timeout and a margin. */
export function leaseEnd(deps: WebhookDependencies, now: Date): string {
  return new Date(now.getTime() + deps.settings.timeoutMs + 30_000).toISOString();
}
