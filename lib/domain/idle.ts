import type { Container } from './container';
import type { ContainerStatus } from './container-status';

/** What sets a container's auto-stop deadline. */
export type AutoStopCause = 'idle timeout' | 'snooze' | 'max lifetime';

export interface AutoStop {
  readonly at: string;
  readonly cause: AutoStopCause;
}

/** The statuses of a run under way: its lifetime counts on through them. */
const inRun: readonly ContainerStatus[] = ['starting', 'running', 'restarting', 'resuming'];

/**
 * When the current run reaches its maximum lifetime: its start plus `max_lifetime_seconds`, while
 * a run is under way and a cap is set; never (undefined) otherwise. A container written before run
 * starts were recorded counts from its last transition, the latest its run can have started.
 */
export function lifetimeEnd(container: Container): string | undefined {
  if (container.maxLifetimeSeconds === null || !inRun.includes(container.status)) return undefined;
  const startedMs = Date.parse(container.startedAt ?? container.lastTransitionAt);
  return new Date(startedMs + container.maxLifetimeSeconds * 1000).toISOString();
}

/**
 * When, and why, a running container is stopped: the earlier of its idle deadline
 * (`last_used_at + idle_timeout_seconds`, or its snooze's end when that is later) and the end of
 * its maximum lifetime, which nothing pushes out. Undefined when it is not running or has neither
 * policy. The sparse auto-stop index is keyed by this, so the sweep and the idle warning follow a
 * snooze, a policy change and the lifetime unaided.
 */
export function autoStop(container: Container): AutoStop | undefined {
  if (container.status !== 'running') return undefined;
  const candidates: AutoStop[] = [];
  const idleTimeout = idleTimeoutOf(container);
  if (idleTimeout !== null) {
    const idleMs = Date.parse(container.lastUsedAt) + idleTimeout * 1000;
    const snoozeMs =
      container.snoozedUntil === null ? Number.NEGATIVE_INFINITY : Date.parse(container.snoozedUntil);
    candidates.push(
      snoozeMs > idleMs
        ? { at: new Date(snoozeMs).toISOString(), cause: 'snooze' }
        : { at: new Date(idleMs).toISOString(), cause: 'idle timeout' },
    );
  }
  const end = lifetimeEnd(container);
  // At a tie the lifetime names the cause: no activity or snooze could have moved it.
  if (end !== undefined) candidates.unshift({ at: end, cause: 'max lifetime' });
  return candidates.reduce<AutoStop | undefined>(
    (earliest, each) =>
      earliest === undefined || Date.parse(each.at) < Date.parse(earliest.at) ? each : earliest,
    undefined,
  );
}

/**
 * The idle timeout that applies: a job runs to completion and is never stopped for idleness (its
 * maximum lifetime still caps a run), whatever its stored policy says.
 */
export function idleTimeoutOf(container: Container): number | null {
  return container.kind === 'job' ? null : container.idleTimeoutSeconds;
}

/** The auto-stop deadline alone (see {@link autoStop}). */
export function autoStopDeadline(container: Container): string | undefined {
  return autoStop(container)?.at;
}

/** Why an auto-stop would not happen now, as the idle view lists them; empty when it would. */
export function autoStopBlockers(container: Container): string[] {
  const blockers: string[] = [];
  if (container.status !== 'running') blockers.push('not running');
  if (idleTimeoutOf(container) === null && container.maxLifetimeSeconds === null) {
    blockers.push('no idle timeout');
  }
  return blockers;
}
