import { isContainerId } from '../domain/container-id';
import { type Delivery, deliveryIdFor, subscribes, type WebhookEventType } from '../domain/webhook';
import type { EventRecords } from '../ports/event-records';
import { attemptDelivery } from './attempt-delivery';
import { transitionEvents } from './publish-transitions';
import type { WebhookDependencies } from './webhook-dependencies';

export interface WebhookEvent {
  /** Stable across duplicates of the event: the delivery's id is made from it. */
  readonly id: string;
  readonly type: WebhookEventType;
  readonly ownerId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The webhook dependencies, and the table's records to check each event against. */
export interface DeliverWebhookEventDependencies extends WebhookDependencies {
  readonly records: EventRecords;
}

export interface DeliverEventSummary {
  /**
   * The event is not one this service sent lately: no record of the table makes it (a forgery on
   * the bus, or one edited on the way), or its record is older than `maxEventLagMs` (a replay).
   * Nothing is delivered. Checked only when a webhook of the owner subscribes.
   */
  readonly unrecorded: boolean;
  /** Webhooks of the owner subscribed to the event's type, registered by the time of its record. */
  readonly webhooks: number;
  /**
   * Webhooks subscribed to its type but registered after its record: the event happened before
   * them, so they are not sent it (as a replay of an older event would otherwise be).
   */
  readonly registeredAfter: number;
  readonly succeeded: number;
  /** Failed their first attempt: the retry pass tries them again. */
  readonly retrying: number;
  /** Already delivered or being delivered: the event came twice. */
  readonly duplicates: number;
}

/**
 * How long after its record an event of ours may still arrive: the table's stream retries a record
 * for 23 h before it gives up (publish-transitions), and EventBridge an event for 2 h more
 * (infra/service-stack.ts), so a little over both. An older one is a replay.
 */
export const maxEventLagMs = 26 * 3_600_000;

/**
 * Sends one platform event to each of the owner's webhooks that subscribe to its type, once the
 * table shows this service sent it (isRecordedEvent): the bus admits events of our source from
 * any principal of the account allowed to put events on it, and a delivery is signed with the
 * owner's secret. Checked only when a webhook subscribes, so an owner without one costs no read.
 * Each delivery is recorded before it is attempted, on the retry index with a lease: if this
 * function dies mid-way, the retry pass takes the delivery up once the lease has run out.
 */
export async function deliverWebhookEvent(
  deps: DeliverWebhookEventDependencies,
  event: WebhookEvent,
): Promise<DeliverEventSummary> {
  const subscribed = (await deps.webhooks.listWebhooks(event.ownerId)).filter((webhook) =>
    subscribes(webhook, event.type),
  );
  const none = { webhooks: 0, registeredAfter: 0, succeeded: 0, retrying: 0, duplicates: 0 };
  if (subscribed.length === 0) return { unrecorded: false, ...none };
  const now = deps.clock.now();
  const recordedAt = await recordedTime(deps.records, event, now);
  if (recordedAt === undefined) return { unrecorded: true, ...none };
  // A webhook is sent the events that happen once it is there, as Stripe's endpoints are.
  const webhooks = subscribed.filter((webhook) => Date.parse(webhook.createdAt) <= Date.parse(recordedAt));
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
    unrecorded: false,
    webhooks: webhooks.length,
    registeredAfter: subscribed.length - webhooks.length,
    succeeded: count('succeeded'),
    retrying: count('retrying'),
    duplicates: count('duplicate'),
  };
}

/** How long an attempt in progress holds its delivery off the retry pass: the timeout and a margin. */
export function leaseEnd(deps: WebhookDependencies, now: Date): string {
  return new Date(now.getTime() + deps.settings.timeoutMs + 30_000).toISOString();
}

/**
 * Whether the table holds the record `event` is made from, recorded within `maxEventLagMs` of
 * `now`, and the event is exactly what this service makes of it: a transition's events from its
 * log entry (`container_id`, `version`), an outbox event from its item (by its id). Its id and
 * every field of its data must match.
 */
export async function isRecordedEvent(
  records: EventRecords,
  event: WebhookEvent,
  now: Date,
): Promise<boolean> {
  return (await recordedTime(records, event, now)) !== undefined;
}

/** When the record `event` is made from was written, if it is one isRecordedEvent knows. */
async function recordedTime(
  records: EventRecords,
  event: WebhookEvent,
  now: Date,
): Promise<string | undefined> {
  const recorded = await recordedDetail(records, event);
  if (!recorded || !(now.getTime() - Date.parse(recorded.recordedAt) <= maxEventLagMs)) return undefined;
  const { event_id: recordedId, ...recordedData } = recorded.detail;
  const same = recordedId === event.id && canonicalJson(recordedData) === canonicalJson(event.data);
  return same ? recorded.recordedAt : undefined;
}

async function recordedDetail(
  records: EventRecords,
  event: WebhookEvent,
): Promise<{ readonly detail: Readonly<Record<string, unknown>>; readonly recordedAt: string } | undefined> {
  if (event.type === 'container.idle-warning') {
    const recorded = await records.getOutboxEvent(event.id);
    return recorded?.event.type === event.type
      ? { detail: recorded.event.detail, recordedAt: recorded.recordedAt }
      : undefined;
  }
  const { container_id: containerId, version } = event.data;
  if (!isContainerId(containerId) || !Number.isSafeInteger(version) || (version as number) < 1)
    return undefined;
  const log = await records.getStatusLog(containerId, version as number);
  const made = log && transitionEvents(log).find((each) => each.type === event.type);
  return log && made ? { detail: made.detail, recordedAt: log.createdAt } : undefined;
}

/** JSON with every object's keys in order: two values that are equal as JSON give one string. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}
