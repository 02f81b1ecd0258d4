import type { Container } from './container';

/**
 * When a container stops for idleness: `last_used_at + idle_timeout_seconds` while it runs with
 * an idle timeout; never (undefined) otherwise.
 */
export function autoStopDeadline(container: Container): string | undefined {
  if (container.status !== 'running' || container.idleTimeoutSeconds === null) return undefined;
  return new Date(Date.parse(container.lastUsedAt) + container.idleTimeoutSeconds * 1000).toISOString();
}
