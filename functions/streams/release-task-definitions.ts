import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { releasesFromStream } from '../../lib/adapters/dynamodb/stream-records';
import { deregisterTaskDefinition } from '../../lib/adapters/ecs/ecs-task-definitions';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { releaseTaskDefinitions } from '../../lib/use-cases/release-task-definitions';
import { ecsRuntime } from '../../lib/wiring/ecs';

const deps = { runtime: ecsRuntime({ deregisterTaskDefinition }) };

/**
 * The table's stream, filtered to deleted containers (releaseFilter in stream-records.ts): each
 * one's task definition is deregistered here rather than on the DELETE request's path. A failed
 * DeregisterTaskDefinition reports the record it failed at, and the stream hands the batch on
 * again from there (ReportBatchItemFailures), until ECS takes it.
 */
export const handler = observed(async function handle(
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const result = await releaseTaskDefinitions(deps, releasesFromStream(event.Records));
  if (result.failedFrom === undefined) return { batchItemFailures: [] };
  logger.warn('task definitions not released, retried from the failed record', { ...result });
  return { batchItemFailures: [{ itemIdentifier: result.failedFrom }] };
});
