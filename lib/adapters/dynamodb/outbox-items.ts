/**
 * Platform events as items of the table's outbox, and back from the stream. An outbox item is the
 * event and nothing else: no index attribute, so no container index ever lists one.
 */
import { platformEventId } from '../../domain/event-id';
import { type PlatformEvent, platformEventTypes } from '../../ports/event-publisher';
import * as z from '../../schema';
import { marshall, unmarshall } from './attribute-values';
import { CorruptItemError, type Item } from './items';
import { outboxEventKey } from './keys';

export const outboxEventKind = 'outbox-event';

const outboxItemSchema = z.object({
  event_id: z.string().check(z.minLength(1), z.maxLength(64)),
  type: z.enum(platformEventTypes),
  detail: z.looseObject({}),
});

/**
 * The event's id: the `event_id` its detail carries (the idle warning's is made from its container
 * and deadline), or else one made from the whole event, so the same event written twice is one.
 */
export function outboxEventId(event: PlatformEvent): string {
  const given = event.detail.event_id;
  if (typeof given === 'string' && given.length > 0) return given;
  return platformEventId(event.type, JSON.stringify(event.detail));
}

export function outboxEventItem(event: PlatformEvent, createdAt: Date, expiresAtEpochSeconds: number): Item {
  const eventId = outboxEventId(event);
  return marshall({
    ...outboxEventKey(eventId),
    kind: outboxEventKind,
    event_id: eventId,
    type: event.type,
    // The id goes out inside the detail, where every event of ours carries it.
    detail: { ...event.detail, event_id: eventId },
    created_at: createdAt.toISOString(),
    ttl: expiresAtEpochSeconds,
  });
}

export function outboxEventFromItem(item: Item): PlatformEvent {
  const value = unmarshall(item);
  const parsed = outboxItemSchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CorruptItemError(`item ${String(value.pk)} / ${String(value.sk)} is corrupt: ${fields}`);
  }
  return { type: parsed.data.type, detail: { ...parsed.data.detail, event_id: parsed.data.event_id } };
}
