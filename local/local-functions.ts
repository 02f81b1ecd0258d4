import type { EventRule } from './event-bus';
import type { ScheduledJob } from './scheduler';

/**
 * The non-HTTP functions `npm start` runs: EventBridge rules (ECS task state changes to the event
 * function) and schedules (the auto-stop sweep, the reconciler). Each function joins its list
 * when it is built; until then the bus and the scheduler run with none.
 */
export async function localEventRules(): Promise<EventRule[]> {
  return [];
}

export async function localScheduledJobs(): Promise<ScheduledJob[]> {
  return [];
}
