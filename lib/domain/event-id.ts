import { createHash } from 'node:crypto';

/**
 * A platform event's `event_id`, made from what identifies the event (a transition's id, a
 * container's idle deadline): the same event made twice has the same id, so the outbox writes it
 * once and subscribers dedupe on it.
 */
export function platformEventId(type: string, identity: string): string {
  return `evt_${createHash('sha256').update(`${type}\n${identity}`).digest('hex').slice(0, 24)}`;
}
