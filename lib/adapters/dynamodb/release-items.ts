/**
 * A deleted container's task definition, as an item of the table's outbox: the delete writes it in
 * its own transaction, and the table's stream hands its INSERT to the task definition release
 * (functions/streams/release-task-definitions.ts), so the definition is released once the record
 * is gone and never before. The stream's new image carries it: the stream's view stays NEW_IMAGE.
 * It is kept 14 days, as long as the release's dead-letter queue keeps the records it gave up on
 * (the stream drops them at 24 h): the item still names the definition to release by hand.
 */
import type { Container } from '../../domain/container';
import { marshall } from './attribute-values';
import type { Item } from './items';
import { releaseKey } from './keys';

export const releaseKind = 'task-definition-release';

const releaseLifetimeSeconds = 14 * 86_400;

/** The release of `container`'s task definition, or none when it registered none. */
export function releaseItem(container: Container, now: Date): Item | undefined {
  if (!container.taskDefinitionArn) return undefined;
  return marshall({
    ...releaseKey(container.id, container.taskDefinitionArn),
    kind: releaseKind,
    container_id: container.id,
    task_definition_arn: container.taskDefinitionArn,
    created_at: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + releaseLifetimeSeconds,
  });
}
