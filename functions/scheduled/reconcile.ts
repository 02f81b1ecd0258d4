import type { Context } from 'aws-lambda';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { expireContainers } from '../../lib/use-cases/expire-containers';
import { reconcileContainers } from '../../lib/use-cases/reconcile-containers';
import { ecsRuntimeOnce } from '../../lib/wiring/ecs';
import { tableWiringOnce } from '../../lib/wiring/table';

const deps = { ...tableWiringOnce().deps, runtime: ecsRuntimeOnce() };

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
