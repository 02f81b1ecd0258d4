import type { Clock } from '../ports/clock';
import type { WebhookSender, WebhookStore } from '../ports/webhook-store';

/** What the webhook use cases are given: the store, the sender, the clock and the rules' settings. */
export interface WebhookDependencies {
  readonly webhooks: WebhookStore;
  readonly sender: WebhookSender;
  readonly clock: Clock;
  readonly settings: {
    /** The most webhooks an owner may register. */
    readonly webhookLimit: number;
    /** Seconds to wait after the 1st, 2nd, ... failed attempt; then the delivery is given up. */
    readonly retrySchedule: readonly number[];
    /** How long a receiver has to answer; a claimed retry is held a while longer than this. */
    readonly timeoutMs: number;
    /** Whether http://127.0.0.1 and http://localhost URLs are allowed (local stack and tests). */
    readonly allowLoopbackHttp: boolean;
  };
}
