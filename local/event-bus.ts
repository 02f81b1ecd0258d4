/**
 * A local stand-in for an EventBridge rule: events whose `source` and `detail-type` match a
 * rule's pattern go to its target at once and side by side, as EventBridge invokes Lambda
 * concurrently, so the races between events for one task happen locally too. A target that throws
 * is retried (EventBridge retries failed invocations) and then logged as dropped, the local
 * analogue of the dead-letter queue.
 */
export interface BusEvent {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: unknown;
}

export interface EventRule<TEvent extends BusEvent = BusEvent> {
  readonly name: string;
  readonly pattern: { readonly source: readonly string[]; readonly detailType: readonly string[] };
  target(event: TEvent): Promise<unknown>;
}

export interface LocalEventBus {
  put(event: BusEvent): void;
  /** Resolves once every event put so far has been delivered or dropped. */
  drain(): Promise<void>;
}

export interface LocalEventBusOptions {
  /** @default 2 */
  readonly retryAttempts?: number;
  readonly log?: (line: string) => void;
}

export function createLocalEventBus(
  rules: readonly EventRule[],
  options: LocalEventBusOptions = {},
): LocalEventBus {
  const retryAttempts = options.retryAttempts ?? 2;
  const log = options.log ?? console.error;
  const inFlight = new Set<Promise<void>>();

  async function deliver(rule: EventRule, event: BusEvent): Promise<void> {
    for (let attempt = 0; attempt <= retryAttempts; attempt += 1) {
      try {
        await rule.target(event);
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt === retryAttempts)
          log(`event dropped by rule ${rule.name} after ${attempt + 1} tries: ${reason}`);
      }
    }
  }

  return {
    put(event) {
      for (const rule of rules) {
        if (!rule.pattern.source.includes(event.source)) continue;
        if (!rule.pattern.detailType.includes(event['detail-type'])) continue;
        const delivery = deliver(rule, event).finally(() => inFlight.delete(delivery));
        inFlight.add(delivery);
      }
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
