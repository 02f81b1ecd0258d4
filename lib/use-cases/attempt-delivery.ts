import {
  type AttemptTrigger,
  attemptsKept,
  type Delivery,
  type DeliveryAttempt,
  isSuccessStatus,
  nextAttemptAfter,
  type Webhook,
} from '../domain/webhook';
import { signatureHeader, signatureHeaderValue } from '../domain/webhook-signature';
import { DeliveryConflictError } from '../ports/webhook-store';
import type { WebhookDependencies } from './webhook-dependencies';

/**
 * POSTs the delivery's payload to the webhook, signed, and records the attempt. After a failed
 * event or retry attempt the next is scheduled by the backoff (which counts those attempts only),
 * or the delivery is given up; a redelivery that fails leaves the outcome and any scheduled retry
 * as they were. A delivery that succeeded once stays `succeeded`.
 */
export async function attemptDelivery(
  deps: WebhookDependencies,
  webhook: Webhook,
  delivery: Delivery,
  trigger: AttemptTrigger,
): Promise<Delivery> {
  const at = deps.clock.now();
  const result = await deps.sender.send(webhook.url, delivery.payload, {
    'content-type': 'application/json',
    'user-agent': 'container-lifecycle-api-webhooks/1',
    'webhook-id': delivery.id,
    'webhook-event': delivery.eventType,
    [signatureHeader]: signatureHeaderValue(
      webhook.secret,
      Math.floor(at.getTime() / 1000),
      delivery.payload,
    ),
  });
  const succeeded = isSuccessStatus(result.statusCode);
  const attempt: DeliveryAttempt = {
    at: at.toISOString(),
    trigger,
    statusCode: result.statusCode,
    error: succeeded ? null : (result.error ?? `the receiver answered ${result.statusCode}`),
    durationMs: result.durationMs,
  };
  return recordAttempt(deps, delivery, attempt, succeeded);
}

/** Gives a delivery up without an attempt (its webhook is gone). */
export function giveUp(deps: WebhookDependencies, delivery: Delivery, reason: string): Promise<Delivery> {
  const attempt: DeliveryAttempt = {
    at: deps.clock.now().toISOString(),
    trigger: 'retry',
    statusCode: null,
    error: reason,
    durationMs: 0,
  };
  return save(deps, delivery, (current) => ({
    ...current,
    outcome: 'failed',
    attempts: [...current.attempts, attempt].slice(-attemptsKept),
    nextAttemptAt: null,
  }));
}

function recordAttempt(
  deps: WebhookDependencies,
  delivery: Delivery,
  attempt: DeliveryAttempt,
  succeeded: boolean,
): Promise<Delivery> {
  return save(deps, delivery, (current) => {
    const automatic = attempt.trigger !== 'redeliver';
    const automaticAttemptCount = current.automaticAttemptCount + (automatic ? 1 : 0);
    const recorded = {
      ...current,
      attemptCount: current.attemptCount + 1,
      automaticAttemptCount,
      attempts: [...current.attempts, attempt].slice(-attemptsKept),
    };
    if (succeeded || current.outcome === 'succeeded') {
      return { ...recorded, outcome: 'succeeded', nextAttemptAt: null };
    }
    // A failed redelivery changes nothing but the record: the schedule goes on as it was.
    if (!automatic) return recorded;
    const next =
      nextAttemptAfter(
        automaticAttemptCount,
        new Date(attempt.at),
        deps.settings.retrySchedule,
      )?.toISOString() ?? null;
    return { ...recorded, outcome: next ? 'pending' : 'failed', nextAttemptAt: next };
  });
}

/**
 * Writes the change over the delivery as read; when a retry pass or a redelivery wrote it
 * meanwhile, the change is made again over what is there now, so no attempt goes unrecorded.
 */
async function save(
  deps: WebhookDependencies,
  delivery: Delivery,
  change: (current: Delivery) => Delivery,
): Promise<Delivery> {
  let current = delivery;
  for (let tries = 0; ; tries += 1) {
    const after = change(current);
    try {
      await deps.webhooks.saveDelivery(current, after);
      return after;
    } catch (error) {
      if (!(error instanceof DeliveryConflictError) || tries >= 4) throw error;
      const reread = await deps.webhooks.getDelivery(delivery.webhookId, delivery.id);
      if (!reread) throw error;
      current = reread;
    }
  }
}
