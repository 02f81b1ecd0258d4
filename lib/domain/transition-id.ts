import { randomBytes } from 'node:crypto';

/**
 * Transition ids name one step of a container's history; the step a request opens is also its
 * operation id. They are self-locating: `<container id>-<version>-<8 random hex>`, so finding an
 * operation is a key lookup (the container and its log entry at that version), never a scan or an
 * index of its own. The random part tells apart two writers that raced for the same version: only
 * the winner's id is stored, so the loser's id is found nowhere. Clients treat the id as opaque.
 */
export const transitionIdPattern = /^([0-9a-f]{24})-([1-9][0-9]{0,9})-([0-9a-f]{8})$/;

export function newTransitionId(
  containerId: string,
  version: number,
  random: (size: number) => Uint8Array = randomBytes,
): string {
  return `${containerId}-${version}-${Buffer.from(random(4)).toString('hex')}`;
}

/** Where a transition id's entry lives, or undefined when it is not one. */
export function locateTransition(id: string): { containerId: string; version: number } | undefined {
  const match = transitionIdPattern.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  const version = Number(match[2]);
  if (!Number.isSafeInteger(version)) return undefined;
  return { containerId: match[1], version };
}
