import type { EventBridgeEvent } from 'aws-lambda';
import {
  MalformedPlatformEventError,
  parsePlatformEvent,
} from '../../lib/adapters/eventbridge/platform-event';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { deliverWebhookEvent, type WebhookEvent } from '../../lib/use-cases/deliver-webhook-event';
import { eventRecordsOnce, webhookDependenciesOnce } from '../../lib/wiring/webhooks';

const deps = { ...webhookDependenciesOnce(), records: eventRecordsOnce() };

/**
 * Our platform events (an EventBridge rule on this service's source) to the owner's webhooks, each
 * checked against the table first: an event no record of ours makes is dropped, never signed. A
 * failed receiver is not a failure here: the delivery is recorded and retried by its backoff. A
 * failure of the table throws, so EventBridge retries the event; deliveries already made are
 * recognised by their id and not sent twice.
 */
export const handler = observed(async function handle(event: EventBridgeEvent<string, unknown>) {
  let webhookEvent: WebhookEvent;
  try {
    webhookEvent = parsePlatformEvent(event);
  } catch (error) {
    if (!(error instanceof MalformedPlatformEventError)) throw error;
    logger.warn('malformed platform event dropped', { reason: error.message });
    return undefined;
  }
  const summary = await deliverWebhookEvent(deps, webhookEvent);
  if (summary.unrecorded) {
    // Not ours: no table record makes it. Its data is not logged (it is whatever was put on the bus).
    logger.warn('platform event dropped: this service did not send it', {
      event_id: webhookEvent.id,
      event_type: webhookEvent.type,
      owner_id: webhookEvent.ownerId,
    });
    return summary;
  }
  logger.info('webhook deliveries', { event_id: webhookEvent.id, event_type: webhookEvent.type, ...summary });
  return summary;
});
