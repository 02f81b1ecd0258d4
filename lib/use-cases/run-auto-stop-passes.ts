import { logger } from '../logger';
import {
  type ApplySchedulesDependencies,
  type ApplySchedulesSummary,
  applySchedules,
} from './apply-schedules';
import {
  type AutoStopDependencies,
  type AutoStopSummary,
  autoStopIdleContainers,
} from './auto-stop-idle-containers';
import { errorText } from './sweep-due-containers';

export type AutoStopPassesDependencies = AutoStopDependencies & ApplySchedulesDependencies;

export interface AutoStopPassesResult {
  /** Undefined when the schedule pass failed (logged): the idle pass ran all the same. */
  readonly schedules: ApplySchedulesSummary | undefined;
  readonly idle: AutoStopSummary;
}

/**
 * The every-minute run: the weekly schedules that are due (their time is one users chose), then
 * the idle auto-stop. Each pass has its own time: the schedules at most half of it, the idle
 * stops the rest, and a schedule pass that fails is logged, so that no schedule, however many or
 * broken, keeps idle containers from being stopped.
 */
export async function runAutoStopPasses(
  deps: AutoStopPassesDependencies,
  input: { readonly stopBy: Date },
): Promise<AutoStopPassesResult> {
  const now = deps.clock.now().getTime();
  const schedulesStopBy = new Date(now + Math.max(0, input.stopBy.getTime() - now) / 2);
  let schedules: ApplySchedulesSummary | undefined;
  try {
    schedules = await applySchedules(deps, { stopBy: schedulesStopBy });
  } catch (error) {
    logger.error('schedule sweep failed', { error: errorText(error) });
  }
  const idle = await autoStopIdleContainers(deps, { stopBy: input.stopBy });
  return { schedules, idle };
}
