import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { releasesFromStream } from '../../lib/adapters/dynamodb/stream-records';
import { deregisterTaskDefinition } from '../../lib/adapters/ecs/ecs-task-definitions';
import { configOnce } from '../../lib/config';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { releaseTaskDefinitions } from '../../lib/use-cases/release-task-definitions';
import { ecsRuntime } from '../../lib/wiring/ecs';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';

const deps = {
  runtime: ecsRuntime({ deregisterTaskDefinition }),
  schedules: scheduleRepositoryOnce(),
  familyPrefix: configOnce().TASK_FAMILY_PREFIX,
};

/**
 * The table's stream, filtered to new release items (releaseFilter in stream-records.ts), which a
 * delete writes in its transaction: each one's task definition is deregistered here rather than on
 * the DELETE request's path, and the container's own schedule removed (its place under the owner's
 * limit freed). A failed call reports the record it failed at, and the stream hands the batch on
 * again from there (ReportBatchItemFailures), until ECS and DynamoDB take it.
 */
export const handler = observed(async function handle(
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const { refused, ...result } = await releaseTaskDefinitions(deps, releasesFromStream(event.Records));
  for (const release of refused) {
    logger.error('release refused: the task definition is not of its container family', {
      sequence_number: release.sequenceNumber,
      container_id: release.containerId,
      task_definition_arn: release.taskDefinitionArn,
    });
  }
  if (result.failedFrom === undefined) return { batchItemFailures: [] };
  logger.warn('deleted containers not released, retried from the failed record', { ...result });
  return { batchItemFailures: [{ itemIdentifier: result.failedFrom }] };
});
