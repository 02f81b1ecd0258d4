import { describe, expect, it, vi } from 'vitest';
import type { StatusLog } from '../../../../lib/domain/container';
import type { PlatformEvent } from '../../../../lib/ports/event-publisher';
import type { EventRecords } from '../../../../lib/ports/event-records';
import { isRecordedEvent, type WebhookEvent } from '../../../../lib/use-cases/deliver-webhook-event';
import { transitionEvents } from '../../../../lib/use-cases/publish-transitions';
import { aLog } from '../../../support/containers';

/** The table's records: the given log entries (by container and version) and outbox events (by id). */
function recordsOf(logs: StatusLog[], outbox: PlatformEvent[] = []) {
  return {
    getStatusLog: vi.fn(async (containerId: string, version: number) =>
      logs.find((log) => log.containerId === containerId && log.version === version),
    ),
    getOutboxEvent: vi.fn(async (eventId: string) =>
      outbox.find((event) => event.detail.event_id === eventId),
    ),
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
      await isRecordedEvent(records, statusChanged as WebhookEvent),
      await isRecordedEvent(records, autoStopped as WebhookEvent),
      await isRecordedEvent(records, asReceived(idleWarning)),
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
    const known = await isRecordedEvent(records, edited);

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
      await isRecordedEvent(records, { ...(fromUser as WebhookEvent), id: 'evt_ffffffffffffffffffffffff' }),
      await isRecordedEvent(records, { ...(fromUser as WebhookEvent), type: 'container.auto-stopped' }),
      await isRecordedEvent(records, fromUser as WebhookEvent),
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
      await isRecordedEvent(records, { ...base, data: { ...base.data, version: '7' } }),
      await isRecordedEvent(records, { ...base, data: { ...base.data, version: 0 } }),
      await isRecordedEvent(records, { ...base, data: { ...base.data, container_id: '../x' } }),
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
      await isRecordedEvent(records, { ...received, id: 'evt_aaaaaaaaaaaaaaaaaaaaaaaa' }),
      await isRecordedEvent(records, {
        ...received,
        data: { ...received.data, auto_stop_at: '2030-01-01T00:00:00.000Z' },
      }),
    ];

    // Assess
    expect(known).toEqual([false, false]);
  });
});
