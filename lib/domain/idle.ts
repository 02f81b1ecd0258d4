import type { Container } from './container';

/**
 * When a container stops for idleness: `last_used_at + idle_timeout_seconds` while it runs with
 * an idle timeout, or its snooze's end when that is later; never (undefined) otherwise. The sparse
 * auto-stop index is keyed by this, so the sweep and the idle warning follow a snooze unaided.
 */
export function autoStopDeadline(container: Container): string | undefined {
  if (container.status !== 'running' || container.idleTimeoutSeconds === null) return undefined;
  const idleMs = Date.parse(container.lastUsedAt) + container.idleTimeoutSeconds * 1000;
  const snoozeMs =
    container.snoozedUntil === null ? Number.NEGATIVE_INFINITY : Date.parse(container.snoozedUntil);
  return new Date(Math.max(idleMs, snoozeMs)).toISOString();
}

/** Why an auto-stop would not happen now, as the idle view lists them; empty when it would. */
export function autoStopBlockers(container: Container): string[] {
  const blockers: string[] = [];
  if (container.status !== 'running') blockers.push('not running');
  if (container.idleTimeoutSeconds === null) blockers.push('no idle timeout');
  return blockers;
}
