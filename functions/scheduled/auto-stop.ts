import type { Context } from 'aws-lambda';
import { logger } from '../../lib/logger';
import { autoStopIdleContainers } from '../../lib/use-cases/auto-stop-idle-containers';
import { ecsRuntimeOnce } from '../../lib/wiring/ecs';
import { eventPublisherOnce } from '../../lib/wiring/events';
import { tableWiringOnce } from '../../lib/wiring/table';

const deps = { ...tableWiringOnce().deps, runtime: ecsRuntimeOnce(), events: eventPublisherOnce() };

/** Time kept back from the Lambda timeout so that the stops in flight can finish. */
const marginMs = 10_000;

/** Runs on a schedule: stops idle containers until done or until the time is nearly up. */
export async function handler(_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const stopBy = new Date(Date.now() + context.getRemainingTimeInMillis() - marginMs);
  const summary = await autoStopIdleContainers(deps, { stopBy });
  logger.info('auto-stop sweep', { ...summary });
  return summary;
}
