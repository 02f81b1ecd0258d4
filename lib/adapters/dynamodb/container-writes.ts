/**
 * Writes of a container that are not transitions: what ECS reported or the owner changed
 * (saveWithoutTransition), and the delete. The condition every container write carries is here
 * too (putContainerOver), for the transitions of transition-writes.ts.
 */
import { type AttributeValue, PutItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Container } from '../../domain/container';
import { VersionConflictError } from '../../ports/container-repository';
import { marshall } from './attribute-values';
import { containerItem } from './container-items';
import { addExpression, containerCounters } from './counters';
import { errorName, unlessUnavailable } from './dynamodb-errors';
import type { Item } from './items';
import { containerKey, ownerKey } from './keys';
import { releaseItem } from './release-items';
import type { TableTarget } from './table-calls';
import { transact } from './table-transactions';

export async function saveWithoutTransition(
  table: TableTarget,
  before: Container,
  after: Container,
): Promise<void> {
  try {
    await unlessUnavailable(
      table.client.send(new PutItemCommand(putContainerOver(table, before, after, { sameTask: true }).Put)),
    );
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') throw new VersionConflictError(before.id);
    throw error;
  }
}

export async function deleteContainer(table: TableTarget, container: Container): Promise<void> {
  const counters = addExpression(containerCounters(container, -1));
  const items: TransactWriteItem[] = [
    {
      Delete: {
        TableName: table.config.tableName,
        Key: marshall(containerKey(container.id)),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': { N: String(container.version) } },
      },
    },
  ];
  if (counters) {
    items.push({
      Update: {
        TableName: table.config.tableName,
        Key: marshall(ownerKey(container.ownerId)),
        UpdateExpression: counters.expression,
        ExpressionAttributeNames: counters.names,
        ExpressionAttributeValues: counters.values,
      },
    });
  }
  // The task definition is released from the stream, once this transaction has removed the record.
  const release = releaseItem(container, new Date());
  if (release) items.push({ Put: { TableName: table.config.tableName, Item: release } });
  if (await transact(table, items)) throw new VersionConflictError(container.id);
}

/**
 * Replaces the container if it is still as it was read. The last use is part of the condition
 * because recording use is not a transition: without it, a transition written from an older
 * read would put back an older `last_used_at`, and the auto-stop sweep could stop a container
 * whose use it never saw. The snooze and the auto-stop policy (PATCH) are part of it for the same
 * reason: a stop decided on a read from before a snooze or a policy change must lose, not wipe
 * it out. An item written before these existed lacks the attribute; one never set holds NULL.
 *
 * `sameTask` adds the launch and the task as ECS last reported it, for writes that are not
 * transitions: they keep the version, so two of them decided on the same read would both pass
 * the version alone, and the later would put back what the earlier replaced. A task event read
 * before a restart's relaunch and written after it would restore the earlier launch, and the new
 * task's first event would then be taken for a stray and stopped.
 */
export function putContainerOver(
  table: TableTarget,
  before: Container,
  after: Container,
  options: { readonly sameTask?: boolean } = {},
) {
  const values: Item = {
    ':expected': { N: String(before.version) },
    ':lastUsed': { S: before.lastUsedAt },
  };
  const unchanged = (attribute: string, placeholder: string, value: AttributeValue | null) => {
    if (value !== null) {
      values[placeholder] = value;
      return `${attribute} = ${placeholder}`;
    }
    values[':nullType'] = { S: 'NULL' };
    return `(attribute_not_exists(${attribute}) OR attribute_type(${attribute}, :nullType))`;
  };
  const number = (value: number | null) => (value === null ? null : { N: String(value) });
  const conditions = [
    'version = :expected',
    'last_used_at = :lastUsed',
    unchanged(
      'snoozed_until',
      ':snoozedUntil',
      before.snoozedUntil === null ? null : { S: before.snoozedUntil },
    ),
    unchanged('idle_timeout_seconds', ':idleTimeout', number(before.idleTimeoutSeconds)),
    unchanged('max_lifetime_seconds', ':maxLifetime', number(before.maxLifetimeSeconds)),
  ];
  if (options.sameTask) {
    conditions.push(unchanged('launch_version', ':launchVersion', number(before.launchVersion)));
    if (before.task === null) conditions.push(unchanged('task', ':task', null));
    else {
      // The task's ARN and ECS's version of it name what was last reported.
      conditions.push(
        unchanged('task.arn', ':taskArn', before.task.arn === null ? null : { S: before.task.arn }),
        unchanged('task.event_version', ':taskEventVersion', number(before.task.eventVersion)),
      );
    }
  }
  return {
    Put: {
      TableName: table.config.tableName,
      Item: containerItem(after),
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeValues: values,
    },
  } satisfies TransactWriteItem;
}
