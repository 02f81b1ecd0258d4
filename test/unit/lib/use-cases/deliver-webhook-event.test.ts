import { describe, expect, it, vi } from 'vitest';
import { parsePlatformEvent } from '../../../../lib/adapters/eventbridge/platform-event';
import type { StatusLog } from '../../../../lib/domain/container';
import type { Webhook } from '../../../../lib/domain/webhook';
import type { PlatformEvent } from '../../../../lib/ports/event-publisher';
import type { EventRecords } from '../../../../lib/ports/event-records';
import type { WebhookStore } from '../../../../lib/ports/webhook-store';
import {
  deliverWebhookEvent,
  isRecordedEvent,
  maxEventLagMs,
  type WebhookEvent,
} from '../../../../lib/use-cases/deliver-webhook-event';
import { transitionEvents } from '../../../../lib/use-cases/publish-transitions';
import { aLog } from '../../../support/containers';

/** When the records below were written, and a moment after it. */
const recordedAt = new Date('2026-11-22T10:30:00.000Z');
const now = new Date(recordedAt.getTime() + 60_000);

/** The table's records: the given log entries (by container and version) and outbox events (by id). */
function recordsOf(logs: StatusLog[], outbox: PlatformEvent[] = []) {
  return {
    getStatusLog: vi.fn(async (containerId: string, version: number) =>
      logs.find((log) => log.containerId === containerId && log.version === version),
    ),
    getOutboxEvent: vi.fn(async (eventId: string) => {
      const event = outbox.find((each) => each.detail.event_id === eventId);
      return event && { event, recordedAt: recordedAt.toISOString() };
    }),
  } satisfies EventRecords;
}

/** The event as the delivery function parses it off the bus (platform-event.ts). */
function asReceived(event: PlatformEvent): WebhookEvent {
  const { event_id: id, ...data } = event.detail;
  return {
    id: String(id),
    type: event.type as WebhookEvent['type'],
    ownerId: String(data.owner_id),
    data,
  };
}

const stopped = aLog({
  createdAt: recordedAt.toISOString(),
  version: 7,
  fromStatus: 'stopping',
  toStatus: 'stopped',
  operation: 'stop',
  triggeredBy: 'auto-stop',
  reason: 'idle for 3600 s',
});
const [statusChanged, autoStopped] = transitionEvents(stopped).map(asReceived);
const idleWarning: PlatformEvent = {
  type: 'container.idle-warning',
  detail: {
    event_id: 'evt_0123456789abcdef01234567',
    container_id: stopped.containerId,
    owner_id: 'usr_alice',
    auto_stop_at: '2026-11-22T11:30:00.000Z',
    idle_timeout_seconds: 3600,
    auto_stop_cause: 'idle timeout',
  },
};

describe('isRecordedEvent: only an event this service made from its own records is delivered', () => {
  it('knows the events of a transition by the log entry they were made from, and an outbox event by its item', async () => {
    // Prepare
    const records = recordsOf([stopped], [idleWarning]);

    // Act
    const known = [
      await isRecordedEvent(records, statusChanged as WebhookEvent, now),
      await isRecordedEvent(records, autoStopped as WebhookEvent, now),
      await isRecordedEvent(records, asReceived(idleWarning), now),
    ];

    // Assess
    expect(known).toEqual([true, true, true]);
    expect(records.getStatusLog).toHaveBeenCalledWith(stopped.containerId, 7);
  });

  it.each([
    ['another owner', { owner_id: 'usr_mallory' }],
    ['another status', { to_status: 'running' }],
    ['another reason', { reason: 'forged' }],
    ['a field added', { extra: true }],
    ['a version no entry has', { version: 8 }],
  ])('refuses a transition event with %s', async (_case, change) => {
    // Prepare
    const records = recordsOf([stopped]);
    const edited = { ...(statusChanged as WebhookEvent), data: { ...statusChanged?.data, ...change } };

    // Act
    const known = await isRecordedEvent(records, edited, now);

    // Assess
    expect(known).toBe(false);
  });

  it('refuses an event whose id is not the one made from its record, and one of a type its record does not make', async () => {
    // Prepare: the log entry was not written by the auto-stop sweep, so it makes no container.auto-stopped
    const byUser = { ...stopped, triggeredBy: 'user' as const };
    const records = recordsOf([byUser]);
    const [fromUser] = transitionEvents(byUser).map(asReceived);

    // Act
    const known = [
      await isRecordedEvent(
        records,
        { ...(fromUser as WebhookEvent), id: 'evt_ffffffffffffffffffffffff' },
        now,
      ),
      await isRecordedEvent(records, { ...(fromUser as WebhookEvent), type: 'container.auto-stopped' }, now),
      await isRecordedEvent(records, fromUser as WebhookEvent, now),
    ];

    // Assess
    expect(known).toEqual([false, false, true]);
  });

  it('refuses, without reading, a transition event whose container id or version cannot name an entry', async () => {
    // Prepare
    const records = recordsOf([stopped]);
    const base = statusChanged as WebhookEvent;

    // Act
    const known = [
      await isRecordedEvent(records, { ...base, data: { ...base.data, version: '7' } }, now),
      await isRecordedEvent(records, { ...base, data: { ...base.data, version: 0 } }, now),
      await isRecordedEvent(records, { ...base, data: { ...base.data, container_id: '../x' } }, now),
    ];

    // Assess
    expect(known).toEqual([false, false, false]);
    expect(records.getStatusLog).not.toHaveBeenCalled();
  });

  it('refuses an idle warning no outbox item holds, or one edited on the way', async () => {
    // Prepare
    const records = recordsOf([], [idleWarning]);
    const received = asReceived(idleWarning);

    // Act
    const known = [
      await isRecordedEvent(records, { ...received, id: 'evt_aaaaaaaaaaaaaaaaaaaaaaaa' }, now),
      await isRecordedEvent(
        records,
        {
          ...received,
          data: { ...received.data, auto_stop_at: '2030-01-01T00:00:00.000Z' },
        },
        now,
      ),
    ];

    // Assess
    expect(known).toEqual([false, false]);
  });

  it('refuses a replay: an event whose record is older than any real event can arrive', async () => {
    // Prepare
    const records = recordsOf([stopped], [idleWarning]);
    const late = new Date(recordedAt.getTime() + maxEventLagMs + 1);
    const inTime = new Date(recordedAt.getTime() + maxEventLagMs);

    // Act
    const known = [
      await isRecordedEvent(records, statusChanged as WebhookEvent, late),
      await isRecordedEvent(records, asReceived(idleWarning), late),
      await isRecordedEvent(records, statusChanged as WebhookEvent, inTime),
    ];

    // Assess
    expect(known).toEqual([false, false, true]);
  });

  it('knows an event that went through EventBridge as JSON and was parsed at the boundary, nulls and all', async () => {
    // Prepare: a transition with no operation and no reason, as the bus hands it over
    const bare = { ...stopped, operation: null, reason: null, triggeredBy: 'ecs' as const };
    const [made] = transitionEvents(bare);
    const onTheBus = JSON.parse(
      JSON.stringify({
        id: 'eb-1',
        source: 'container-lifecycle-api',
        'detail-type': made?.type,
        detail: made?.detail,
      }),
    );

    // Act
    const known = await isRecordedEvent(recordsOf([bare]), parsePlatformEvent(onTheBus), now);

    // Assess
    expect(known).toBe(true);
  });
});

describe('deliverWebhookEvent: the check comes before any delivery, and only when a webhook listens', () => {
  const webhook: Webhook = {
    id: 'wh_0123456789abcdef',
    ownerId: 'usr_alice',
    url: 'https://hooks.example.com/in',
    events: [],
    description: null,
    secret: 'whsec_test',
    createdAt: recordedAt.toISOString(),
  };

  function dependencies(webhooks: Webhook[], records: EventRecords) {
    const store = {
      listWebhooks: vi.fn(async () => webhooks),
      createDelivery: vi.fn(async () => true),
    };
    const deps = {
      webhooks: store as unknown as WebhookStore,
      sender: { send: vi.fn() } as never,
      clock: { now: () => now },
      settings: { webhookLimit: 10, retrySchedule: [30], timeoutMs: 5000, allowLoopbackHttp: false },
      records,
    };
    return { deps, store };
  }

  it('records no delivery of an event no record makes, and says so', async () => {
    // Prepare
    const records = recordsOf([]);
    const { deps, store } = dependencies([webhook], records);

    // Act
    const summary = await deliverWebhookEvent(deps, statusChanged as WebhookEvent);

    // Assess
    expect(summary).toEqual({
      unrecorded: true,
      webhooks: 0,
      registeredAfter: 0,
      succeeded: 0,
      retrying: 0,
      duplicates: 0,
    });
    expect(store.createDelivery).not.toHaveBeenCalled();
  });

  it('reads no record for an owner without a webhook that listens', async () => {
    // Prepare
    const records = recordsOf([]);
    const { deps } = dependencies([{ ...webhook, events: ['container.idle-warning'] }], records);

    // Act
    const summary = await deliverWebhookEvent(deps, statusChanged as WebhookEvent);

    // Assess
    expect(summary).toMatchObject({ unrecorded: false, webhooks: 0 });
    expect(records.getStatusLog).not.toHaveBeenCalled();
  });
  it('sends an event only to the webhooks registered by the time of its record, so a replay reaches none registered since', async () => {
    // Prepare: one webhook from before the transition, one registered a moment after it; each
    // delivery is found made already, so that none is attempted here
    const records = recordsOf([stopped]);
    const since = {
      ...webhook,
      id: 'wh_fedcba9876543210',
      createdAt: new Date(recordedAt.getTime() + 1).toISOString(),
    };
    const { deps, store } = dependencies([webhook, since], records);
    store.createDelivery.mockImplementation(async () => false);

    // Act
    const summary = await deliverWebhookEvent(deps, statusChanged as WebhookEvent);

    // Assess
    expect(summary).toMatchObject({ unrecorded: false, webhooks: 1, registeredAfter: 1, duplicates: 1 });
    const delivered = store.createDelivery.mock.calls as unknown as Array<[{ readonly webhookId: string }]>;
    expect(delivered.map(([delivery]) => delivery.webhookId)).toEqual([webhook.id]);
  });
});
