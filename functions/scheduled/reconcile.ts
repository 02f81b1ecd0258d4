import type { Context } from 'aws-lambda';
import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import { listResting, listSettling, scheduleShards } from '../../lib/adapters/dynamodb/sweep-indexes';
import { saveTransition } from '../../lib/adapters/dynamodb/transition-writes';
import { deregisterTaskDefinition } from '../../lib/adapters/ecs/ecs-task-definitions';
import { describeTask, runTask, stopTask } from '../../lib/adapters/ecs/ecs-task-runner';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { expireContainers } from '../../lib/use-cases/expire-containers';
import { reconcileContainers } from '../../lib/use-cases/reconcile-containers';
import { ecsRuntime } from '../../lib/wiring/ecs';
import { tableRepository, tableWiringOnce } from '../../lib/wiring/table';

const deps = {
  ...tableWiringOnce().deps,
  repository: tableRepository({
    scheduleShards,
    listSettling,
    listResting,
    getContainer,
    saveTransition,
    saveWithoutTransition,
  }),
  runtime: ecsRuntime({ deregisterTaskDefinition, describeTask, runTask, stopTask }),
};

/** Time kept back from the Lambda timeout so that the work in flight can finish. */
const marginMs = 10_000;

/**
 * Runs on a schedule: settles containers whose ECS events never came, then expires containers
 * stopped past the retention, each until done or until the time is nearly up.
 */
export const handler = observed(async function handle(
  _event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) {
  const stopBy = () => new Date(Date.now() + context.getRemainingTimeInMillis() - marginMs);
  const reconciled = await reconcileContainers(deps, { stopBy: stopBy() });
  logger.info('reconcile pass', { ...reconciled });
  const expired = await expireContainers(deps, { stopBy: stopBy() });
  logger.info('expire pass', { ...expired });
  return { reconciled, expired };
});
