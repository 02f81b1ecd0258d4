import type { Context } from 'aws-lambda';
import { logger } from '../../lib/logger';
import { applySchedules } from '../../lib/use-cases/apply-schedules';
import { autoStopIdleContainers } from '../../lib/use-cases/auto-stop-idle-containers';
import { ecsRuntimeOnce } from '../../lib/wiring/ecs';
import { eventPublisherOnce } from '../../lib/wiring/events';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';
import { tableWiringOnce } from '../../lib/wiring/table';

const deps = {
  ...tableWiringOnce().deps,
  runtime: ecsRuntimeOnce(),
  events: eventPublisherOnce(),
  schedules: scheduleRepositoryOnce(),
};

/** Time kept back from the Lambda timeout so that the stops in flight can finish. */
const marginMs = 10_000;

/**
 * Runs every minute: applies the weekly schedules that are due (their time is the one users set),
 * then stops idle containers, until done or until the time is nearly up.
 */
export async function handler(_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const stopBy = new Date(Date.now() + context.getRemainingTimeInMillis() - marginMs);
  const schedules = await applySchedules(deps, { stopBy });
  logger.info('schedule sweep', { ...schedules });
  const summary = await autoStopIdleContainers(deps, { stopBy });
  logger.info('auto-stop sweep', { ...summary });
  return { ...summary, schedules };
}
