/**
 * Our own platform events as EventBridge hands them to the webhook delivery function, parsed at
 * the trust boundary. Non-strict: the detail carries more than what is read here, and all of it
 * goes to the webhook as `data`.
 */
import { createHash } from 'node:crypto';
import { webhookEventTypes } from '../../domain/webhook';
import * as z from '../../schema';
import type { WebhookEvent } from '../../use-cases/deliver-webhook-event';
import { eventSource } from './eventbridge-publisher';

const platformEventSchema = z.looseObject({
  id: z.optional(z.string()),
  source: z.literal(eventSource),
  'detail-type': z.enum(webhookEventTypes),
  detail: z.looseObject({
    owner_id: z.string().check(z.minLength(1)),
    event_id: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  }),
});

export class MalformedPlatformEventError extends Error {
  override readonly name = 'MalformedPlatformEventError';
}

/**
 * The event as a webhook sees it. Its id is the detail's `event_id` (the transitions carry one
 * made from the transition, so a duplicate has the same id); otherwise EventBridge's own id.
 */
export function parsePlatformEvent(event: unknown): WebhookEvent {
  const parsed = platformEventSchema.safeParse(event);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.map(String).join('.')).join(', ');
    throw new MalformedPlatformEventError(`not a platform event: ${fields}`);
  }
  const { event_id: eventId, ...data } = parsed.data.detail;
  const type = parsed.data['detail-type'];
  const fallback = parsed.data.id ?? JSON.stringify(parsed.data.detail);
  return {
    id: eventId ?? `evt_${createHash('sha256').update(`${type}\n${fallback}`).digest('hex').slice(0, 24)}`,
    type,
    ownerId: parsed.data.detail.owner_id,
    data,
  };
}
