import type { Container } from '../domain/container';
import { DomainError } from '../domain/errors';

/**
 * The caller's If-Match: the container must still be at the version it last saw. Checked on the
 * container as read for the write, whose condition is that same version, so nothing can change in
 * between. `undefined` (no If-Match, or `*`) accepts any version.
 *
 * @throws DomainError PRECONDITION_FAILED with `details.current_version`
 */
export function requireVersion(container: Container, expectedVersion: number | undefined): void {
  if (expectedVersion === undefined || container.version === expectedVersion) return;
  throw new DomainError(
    'PRECONDITION_FAILED',
    `The container is at version ${container.version}, not ${expectedVersion}`,
    { details: { current_version: container.version } },
  );
}

/**
 * A bulk operation that selected the container as idle: it must not have been used since. Use is
 * not a transition and leaves the version alone, so the version cannot say it; the write's
 * condition holds `last_used_at` as read, so nothing can change in between here either.
 *
 * @throws DomainError PRECONDITION_FAILED with `details.last_used_at`
 */
export function requireLastUse(container: Container, expectedLastUsedAt: string | undefined): void {
  if (expectedLastUsedAt === undefined || container.lastUsedAt === expectedLastUsedAt) return;
  throw new DomainError(
    'PRECONDITION_FAILED',
    `The container was used at ${container.lastUsedAt}, after it was selected`,
    { details: { last_used_at: container.lastUsedAt } },
  );
}
