import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { transitionsFromStream } from '../../lib/adapters/dynamodb/stream-records';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { publishTransitions } from '../../lib/use-cases/publish-transitions';
import { eventPublisherOnce } from '../../lib/wiring/events';

const deps = { events: eventPublisherOnce() };

/**
 * The table's stream: each new status-log item goes out as `container.status-changed` (and
 * `container.auto-stopped`). A failed PutEvents reports the record it failed at, and the stream
 * hands the batch on again from there (ReportBatchItemFailures).
 */
export const handler = observed(async function handle(
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const result = await publishTransitions(deps, transitionsFromStream(event.Records));
  if (result.failedFrom === undefined) return { batchItemFailures: [] };
  logger.warn('transitions not published, retried from the failed record', { ...result });
  return { batchItemFailures: [{ itemIdentifier: result.failedFrom }] };
});
