import type { Context } from 'aws-lambda';
import { listContainers } from '../../lib/adapters/dynamodb/container-lists';
import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import { listDueForAutoStop, scheduleShards } from '../../lib/adapters/dynamodb/sweep-indexes';
import { saveTransition } from '../../lib/adapters/dynamodb/transition-writes';
import { runTask, stopTask } from '../../lib/adapters/ecs/ecs-task-runner';
import { logger } from '../../lib/logger';
import { recordAutoStops } from '../../lib/metrics';
import { observed } from '../../lib/observability/observed';
import { runAutoStopPasses } from '../../lib/use-cases/run-auto-stop-passes';
import { ecsRuntime } from '../../lib/wiring/ecs';
import { outboxPublisherOnce } from '../../lib/wiring/outbox';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';
import { tableRepository, tableWiringOnce } from '../../lib/wiring/table';

const deps = {
  ...tableWiringOnce().deps,
  repository: tableRepository({
    scheduleShards,
    listDueForAutoStop,
    listContainers,
    getContainer,
    saveTransition,
    saveWithoutTransition,
  }),
  runtime: ecsRuntime({ runTask, stopTask }),
  // The idle warnings go out through the table's outbox and its stream: no EventBridge client here.
  events: outboxPublisherOnce(),
  schedules: scheduleRepositoryOnce(),
};

/** Time kept back from the Lambda timeout so that the stops in flight can finish. */
const marginMs = 10_000;

/**
 * Runs every minute: applies the weekly schedules that are due (their time is the one users set),
 * then stops idle containers, each pass in its own share of the time (see runAutoStopPasses).
 */
export const handler = observed(async function handle(
  _event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) {
  const stopBy = new Date(Date.now() + context.getRemainingTimeInMillis() - marginMs);
  const { schedules, idle: summary } = await runAutoStopPasses(deps, { stopBy });
  logger.info('schedule sweep', { ...schedules });
  logger.info('auto-stop sweep', { ...summary });
  recordAutoStops(summary.stopped);
  return { ...summary, schedules };
});
