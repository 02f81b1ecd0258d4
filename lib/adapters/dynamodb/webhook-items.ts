/** Webhooks and their deliveries to DynamoDB items and back, parsed with zod on the way in. */

import {
  attemptTriggers,
  type Delivery,
  deliveryOutcomes,
  type Webhook,
  webhookEventTypes,
} from '../../domain/webhook';
import * as z from '../../schema';
import { marshall, unmarshall } from './attribute-values';
import { CorruptItemError, type Item } from './items';
import { deliveriesPartition, deliveryKey, deliveryRetryPartition, shardOf, webhookKey } from './keys';

const webhookItemSchema = z.object({
  id: z.string(),
  owner_id: z.string(),
  url: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  description: z.nullable(z.string()),
  secret: z.string(),
  created_at: z.string(),
});

const deliveryItemSchema = z.object({
  id: z.string(),
  webhook_id: z.string(),
  owner_id: z.string(),
  event_id: z.string(),
  event_type: z.enum(webhookEventTypes),
  payload: z.string(),
  created_at: z.string(),
  outcome: z.enum(deliveryOutcomes),
  attempt_count: z.number().check(z.int()),
  // Absent on deliveries written before redeliveries were counted apart.
  automatic_attempt_count: z.optional(z.number().check(z.int())),
  attempts: z.array(
    z.object({
      at: z.string(),
      trigger: z.enum(attemptTriggers),
      status_code: z.nullable(z.number().check(z.int())),
      error: z.nullable(z.string()),
      duration_ms: z.number(),
    }),
  ),
  next_attempt_at: z.nullable(z.string()),
});

export function webhookItem(webhook: Webhook): Item {
  return marshall({
    ...webhookKey(webhook.ownerId, webhook.id),
    kind: 'webhook',
    id: webhook.id,
    owner_id: webhook.ownerId,
    url: webhook.url,
    events: [...webhook.events],
    description: webhook.description,
    secret: webhook.secret,
    created_at: webhook.createdAt,
  });
}

export function webhookFromItem(item: Item): Webhook {
  const value = unmarshall(item);
  const parsed = orCorrupt(value, webhookItemSchema.safeParse(value));
  return {
    id: parsed.id,
    ownerId: parsed.owner_id,
    url: parsed.url,
    events: parsed.events,
    description: parsed.description,
    secret: parsed.secret,
    createdAt: parsed.created_at,
  };
}

/** A delivery; on the retry index (gsi5) while it waits for another attempt. */
export function deliveryItem(delivery: Delivery, expiresAtEpochSeconds: number): Item {
  return marshall({
    ...deliveryKey(delivery.webhookId, delivery.id),
    kind: 'webhook-delivery',
    gsi1pk: deliveriesPartition(delivery.webhookId),
    gsi1sk: `${delivery.createdAt}#${delivery.id}`,
    ...(delivery.nextAttemptAt
      ? {
          gsi5pk: deliveryRetryPartition(shardOf(delivery.id)),
          gsi5sk: `${delivery.nextAttemptAt}#${delivery.id}`,
        }
      : {}),
    ttl: expiresAtEpochSeconds,
    id: delivery.id,
    webhook_id: delivery.webhookId,
    owner_id: delivery.ownerId,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    payload: delivery.payload,
    created_at: delivery.createdAt,
    outcome: delivery.outcome,
    attempt_count: delivery.attemptCount,
    automatic_attempt_count: delivery.automaticAttemptCount,
    attempts: delivery.attempts.map((attempt) => ({
      at: attempt.at,
      trigger: attempt.trigger,
      status_code: attempt.statusCode,
      error: attempt.error,
      duration_ms: attempt.durationMs,
    })),
    next_attempt_at: delivery.nextAttemptAt,
  });
}

export function deliveryFromItem(item: Item): Delivery {
  const value = unmarshall(item);
  const parsed = orCorrupt(value, deliveryItemSchema.safeParse(value));
  return {
    id: parsed.id,
    webhookId: parsed.webhook_id,
    ownerId: parsed.owner_id,
    eventId: parsed.event_id,
    eventType: parsed.event_type,
    payload: parsed.payload,
    createdAt: parsed.created_at,
    outcome: parsed.outcome,
    attemptCount: parsed.attempt_count,
    automaticAttemptCount:
      parsed.automatic_attempt_count ??
      parsed.attempts.filter((attempt) => attempt.trigger !== 'redeliver').length,
    attempts: parsed.attempts.map((attempt) => ({
      at: attempt.at,
      trigger: attempt.trigger,
      statusCode: attempt.status_code,
      error: attempt.error,
      durationMs: attempt.duration_ms,
    })),
    nextAttemptAt: parsed.next_attempt_at,
  };
}

function orCorrupt<T>(
  value: Record<string, unknown>,
  result:
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: PropertyKey[] }[] } },
): T {
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => issue.path.map(String).join('.')).join(', ');
  throw new CorruptItemError(`item ${String(value.pk)} / ${String(value.sk)} is corrupt: ${fields}`);
}
