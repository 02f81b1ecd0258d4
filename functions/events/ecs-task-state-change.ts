import type { EventBridgeEvent } from 'aws-lambda';
import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import { saveTransition } from '../../lib/adapters/dynamodb/transition-writes';
import { runTask, stopTask } from '../../lib/adapters/ecs/ecs-task-runner';
import {
  MalformedTaskEventError,
  parseTaskStateChange,
} from '../../lib/adapters/ecs/task-state-change-event';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { handleTaskStateChange, type TaskStateChange } from '../../lib/use-cases/handle-task-state-change';
import { ecsRuntime } from '../../lib/wiring/ecs';
import { tableRepository, tableWiringOnce } from '../../lib/wiring/table';

const deps = {
  ...tableWiringOnce().deps,
  repository: tableRepository({ getContainer, saveTransition, saveWithoutTransition }),
  runtime: ecsRuntime({ runTask, stopTask }),
};

/**
 * "ECS Task State Change" events for this cluster's tasks. A malformed event is logged and
 * dropped (a retry cannot fix it); any other failure throws, so EventBridge retries it and
 * finally sends it to the dead-letter queue.
 */
export const handler = observed(async function handle(
  event: EventBridgeEvent<'ECS Task State Change', unknown>,
) {
  let change: TaskStateChange;
  try {
    change = parseTaskStateChange(event);
  } catch (error) {
    if (!(error instanceof MalformedTaskEventError)) throw error;
    logger.warn('malformed task event dropped', { reason: error.message });
    return { kind: 'ignored', why: 'malformed event' } as const;
  }
  const outcome = await handleTaskStateChange(deps, change);
  logger.info('task state change', {
    container_id: change.launch?.containerId,
    task_arn: change.taskArn,
    last_status: change.lastStatus,
    version: change.version,
    outcome,
  });
  return outcome;
});
