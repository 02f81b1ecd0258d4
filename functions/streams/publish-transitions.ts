import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxFromStream } from '../../lib/adapters/dynamodb/stream-records';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { publishTransitions } from '../../lib/use-cases/publish-transitions';
import { eventPublisherOnce } from '../../lib/wiring/events';

const deps = { events: eventPublisherOnce() };

/**
 * The table's stream: each new status-log item goes out as `container.status-changed` (and
 * `container.auto-stopped`), each new outbox item as the event it carries (the auto-stop sweep's
 * `container.idle-warning`), in stream order. A failed PutEvents reports the record it failed at,
 * and the stream hands the batch on again from there (ReportBatchItemFailures).
 */
export const handler = observed(async function handle(
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const result = await publishTransitions(deps, outboxFromStream(event.Records));
  if (result.failedFrom === undefined) return { batchItemFailures: [] };
  logger.warn('transitions not published, retried from the failed record', { ...result });
  return { batchItemFailures: [{ itemIdentifier: result.failedFrom }] };
});
