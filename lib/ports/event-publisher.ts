/** Events the platform sends out, for users' automation (EventBridge in AWS). */
export const platformEventTypes = [
  'container.idle-warning',
  // Every transition, from the table's stream (functions/streams/publish-transitions.ts).
  'container.status-changed',
  // A transition the auto-stop sweep made, published besides its container.status-changed.
  'container.auto-stopped',
] as const;
export type PlatformEventType = (typeof platformEventTypes)[number];

export interface PlatformEvent {
  readonly type: PlatformEventType;
  /** The event's body: identifiers and times, never secrets. */
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface EventPublisher {
  /** Sends every event or throws: a caller that must not lose one retries on the next run. */
  publish(events: readonly PlatformEvent[]): Promise<void>;
}

export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
}
