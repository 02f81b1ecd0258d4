/** The webhook store and sender, for the webhook routes and the delivery functions; the event records. */
import { DynamoDbWebhookStore } from '../adapters/dynamodb/dynamodb-webhook-store';
import { getOutboxEvent, getStatusLog } from '../adapters/dynamodb/event-records';
import { HttpWebhookSender } from '../adapters/http/http-webhook-sender';
import type { EventRecords } from '../ports/event-records';
import type { WebhookDependencies } from '../use-cases/webhook-dependencies';
import { tableWiringOnce } from './table';

let deps: WebhookDependencies | undefined;

/** The instance's webhook dependencies, made on first use from the configuration the table wiring read. */
export function webhookDependenciesOnce(): WebhookDependencies {
  if (!deps) {
    const { config, dynamoDb, deps: tableDeps } = tableWiringOnce();
    deps = {
      webhooks: new DynamoDbWebhookStore(dynamoDb, { tableName: config.TABLE_NAME }),
      sender: new HttpWebhookSender({
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK_HTTP,
      }),
      clock: tableDeps.clock,
      settings: {
        webhookLimit: config.WEBHOOK_LIMIT,
        retrySchedule: config.WEBHOOK_RETRY_SCHEDULE_SECONDS,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        allowLoopbackHttp: config.WEBHOOK_ALLOW_LOOPBACK_HTTP,
      },
    };
  }
  return deps;
}

/**
 * The table's records each event is checked against, for the webhook delivery function alone (its
 * reads of log entries and outbox items stay out of the other webhook functions' bundles).
 */
export function eventRecordsOnce(): EventRecords {
  const { table } = tableWiringOnce();
  return {
    getStatusLog: (containerId, version) => getStatusLog(table, containerId, version),
    getOutboxEvent: (eventId) => getOutboxEvent(table, eventId),
  };
}
