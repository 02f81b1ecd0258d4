/**
 * Weekly schedules in the shared table, as items of their own kind (never fields of the container
 * item, so a schedule change never contends with a container's transitions). A schedule whose
 * next transition is known carries gsi5 keys under `SCHEDULE#<shard>`, so the sweep reads only
 * the schedules that are due.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DomainError } from '../../domain/errors';
import { scheduleActions, weekdays } from '../../domain/schedule';
import { logger } from '../../logger';
import type { Page, PagePosition, ScheduleQuery } from '../../ports/container-repository';
import {
  type ScheduleRepository,
  type ScheduleRetry,
  type ScheduleTarget,
  type StoredSchedule,
  scheduleIdOf,
} from '../../ports/schedule-repository';
import * as z from '../../schema';
import { marshall, unmarshall } from './attribute-values';
import { cancellationReasons, unlessUnavailable } from './dynamodb-errors';
import { batchGetItems, getItem, type ItemTable } from './item-reads';
import { CorruptItemError, type Item } from './items';
import {
  containerKey,
  containerScheduleKey,
  projectScheduleKey,
  scheduleCountKey,
  scheduleDuePartition,
  scheduleShards,
  shardOf,
} from './keys';

export interface DynamoDbScheduleRepositoryConfig {
  readonly tableName: string;
  /** The most schedules (container and project ones together) an owner may have. */
  readonly scheduleLimit: number;
}

const indexName = 'gsi5';

const scheduleItemSchema = z.object({
  source: z.enum(['container', 'project']),
  owner_id: z.string(),
  project_id: z.string(),
  container_id: z.nullable(z.string()),
  time_zone: z.string(),
  windows: z.array(z.object({ days: z.array(z.enum(weekdays)), start: z.string(), stop: z.string() })),
  next_transition_at: z.nullable(z.string()),
  next_action: z.nullable(z.enum(scheduleActions)),
  revision: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  retry: z.optional(
    z.object({
      at: z.string(),
      attempts: z.number(),
      since: z.string(),
      container_ids: z.array(z.string()),
      unfinished: z.boolean(),
    }),
  ),
});

export function scheduleKeyOf(target: ScheduleTarget) {
  return target.source === 'container'
    ? containerScheduleKey(target.containerId)
    : projectScheduleKey(target.ownerId, target.projectId);
}

export function scheduleItem(schedule: StoredSchedule): Item {
  const { target, next } = schedule;
  return marshall({
    ...scheduleKeyOf(target),
    ...(next
      ? {
          gsi5pk: scheduleDuePartition(shardOf(schedule.id)),
          gsi5sk: `${next.at}#${schedule.id}`,
        }
      : {}),
    kind: 'schedule',
    source: target.source,
    owner_id: target.ownerId,
    project_id: target.projectId,
    container_id: target.source === 'container' ? target.containerId : null,
    time_zone: schedule.timeZone,
    windows: schedule.windows.map((window) => ({
      days: [...window.days],
      start: window.start,
      stop: window.stop,
    })),
    next_transition_at: next?.at ?? null,
    next_action: next?.action ?? null,
    revision: schedule.revision,
    created_at: schedule.createdAt,
    updated_at: schedule.updatedAt,
    retry: schedule.retry
      ? {
          at: schedule.retry.at,
          attempts: schedule.retry.attempts,
          since: schedule.retry.since,
          container_ids: [...schedule.retry.containerIds],
          unfinished: schedule.retry.unfinished,
        }
      : undefined,
  });
}

export function scheduleFromItem(item: Item): StoredSchedule {
  const value = unmarshall(item);
  const result = scheduleItemSchema.safeParse(value);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CorruptItemError(`item ${String(value.pk)} / ${String(value.sk)} is corrupt: ${fields}`);
  }
  const parsed = result.data;
  const target: ScheduleTarget =
    parsed.source === 'container' && parsed.container_id !== null
      ? {
          source: 'container',
          ownerId: parsed.owner_id,
          projectId: parsed.project_id,
          containerId: parsed.container_id,
        }
      : { source: 'project', ownerId: parsed.owner_id, projectId: parsed.project_id };
  return {
    id: scheduleIdOf(target),
    target,
    timeZone: parsed.time_zone,
    windows: parsed.windows,
    next:
      parsed.next_transition_at !== null && parsed.next_action !== null
        ? { at: parsed.next_transition_at, action: parsed.next_action }
        : null,
    revision: parsed.revision,
    createdAt: parsed.created_at,
    updatedAt: parsed.updated_at,
    ...(parsed.retry
      ? {
          retry: {
            at: parsed.retry.at,
            attempts: parsed.retry.attempts,
            since: parsed.retry.since,
            containerIds: parsed.retry.container_ids,
            unfinished: parsed.retry.unfinished,
          },
        }
      : {}),
  };
}

/** A corrupt item is logged and left out, so that it never holds up the schedules behind it. */
function readableSchedules(item: Item): StoredSchedule[] {
  try {
    return [scheduleFromItem(item)];
  } catch (error) {
    if (!(error instanceof CorruptItemError)) throw error;
    logger.error('corrupt schedule item skipped', { error: error.message });
    return [];
  }
}

/** A short, jittered pause before trying again a write another one conflicted with. */
function pauseAfterConflict(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
}

export class DynamoDbScheduleRepository implements ScheduleRepository {
  readonly shards = scheduleShards;

  /** The client and table the shared item reads (item-reads.ts) are made with. */
  private readonly table: ItemTable;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly config: DynamoDbScheduleRepositoryConfig,
  ) {
    this.table = { client, config };
  }

  async get(target: ScheduleTarget): Promise<StoredSchedule | undefined> {
    const item = await getItem(this.table, scheduleKeyOf(target));
    return item ? scheduleFromItem(item) : undefined;
  }

  async getForContainer(container: { id: string; ownerId: string; projectId: string }) {
    const own = containerScheduleKey(container.id);
    const project = projectScheduleKey(container.ownerId, container.projectId);
    const found = await this.batchGet([own, project]);
    const read = (key: { pk: string }) => {
      const item = found.get(key.pk);
      return item ? scheduleFromItem(item) : undefined;
    };
    return { own: read(own), project: read(project) };
  }

  async put(schedule: StoredSchedule, options: { readonly replacing: boolean }) {
    // A replace that finds the schedule deleted, or a create that finds one written meanwhile,
    // is tried the other way; a create that lost a race for the count, again. Only a burst of
    // PUTs and DELETEs of one owner races, so a few attempts do.
    let replacing = options.replacing;
    for (let attempt = 1; ; attempt += 1) {
      const written = replacing ? await this.replace(schedule) : await this.create(schedule);
      if (written === 'written') return replacing ? 'replaced' : 'created';
      if (attempt >= 4) throw new Error(`schedule ${schedule.id} changed under four writes in a row`);
      if (written === 'exists' || written === 'missing') replacing = !replacing;
      else await pauseAfterConflict(attempt);
    }
  }

  private async replace(schedule: StoredSchedule): Promise<'written' | 'missing'> {
    try {
      await this.send(
        this.client.send(
          new PutItemCommand({
            TableName: this.config.tableName,
            Item: scheduleItem(schedule),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'missing';
      throw error;
    }
  }

  /** The schedule and its place under the owner's limit, in one transaction. */
  private async create(schedule: StoredSchedule): Promise<'written' | 'exists' | 'conflict'> {
    const limit = this.config.scheduleLimit;
    const { target } = schedule;
    try {
      await this.send(
        this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.config.tableName,
                  Key: marshall(scheduleCountKey(target.ownerId)),
                  UpdateExpression:
                    'SET schedule_count = if_not_exists(schedule_count, :zero) + :one, kind = :kind',
                  ConditionExpression: 'attribute_not_exists(schedule_count) OR schedule_count < :limit',
                  ExpressionAttributeValues: {
                    ':zero': { N: '0' },
                    ':one': { N: '1' },
                    ':limit': { N: String(limit) },
                    ':kind': { S: 'schedule-count' },
                  },
                },
              },
              {
                Put: {
                  TableName: this.config.tableName,
                  Item: scheduleItem(schedule),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              // A container's schedule only while the container is there: one deleted since it was
              // read has had its schedule released (release-task-definitions), and a schedule made
              // now would hold a place under the limit that nothing frees until its next edge.
              ...(target.source === 'container'
                ? [
                    {
                      ConditionCheck: {
                        TableName: this.config.tableName,
                        Key: marshall(containerKey(target.containerId)),
                        ConditionExpression: 'attribute_exists(pk)',
                      },
                    },
                  ]
                : []),
            ],
          }),
        ),
      );
      return 'written';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[2]?.Code === 'ConditionalCheckFailed') {
        throw new DomainError('CONTAINER_NOT_FOUND', 'Container not found');
      }
      // The schedule exists: a replace, which takes no new place, even at the limit.
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return 'exists';
      if (reasons?.some((reason) => reason.Code === 'TransactionConflict')) return 'conflict';
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new DomainError('QUOTA_EXCEEDED', `Schedule limit of ${limit} reached`, {
          details: { limit, resource: 'schedules' },
        });
      }
      throw error;
    }
  }

  async delete(target: ScheduleTarget): Promise<boolean> {
    // The owner's count item is shared by all the owner's schedules: a release, a sweep or a PUT
    // of another schedule may write it in the same moment. A few attempts get through.
    for (let attempt = 1; ; attempt += 1) {
      const deleted = await this.deleteOnce(target);
      if (deleted !== 'conflict') return deleted;
      if (attempt >= 4) throw new Error(`schedule ${scheduleIdOf(target)} conflicted four times in a row`);
      await pauseAfterConflict(attempt);
    }
  }

  private async deleteOnce(target: ScheduleTarget): Promise<boolean | 'conflict'> {
    try {
      await this.send(
        this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: this.config.tableName,
                  Key: marshall(scheduleKeyOf(target)),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: this.config.tableName,
                  Key: marshall(scheduleCountKey(target.ownerId)),
                  UpdateExpression: 'ADD schedule_count :minusOne',
                  ExpressionAttributeValues: { ':minusOne': { N: '-1' } },
                },
              },
            ],
          }),
        ),
      );
      return true;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      if (reasons?.some((reason) => reason.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
  }

  async deleteContainerSchedule(containerId: string): Promise<boolean> {
    const item = await getItem(this.table, containerScheduleKey(containerId));
    // The item names the owner whose count it frees; a corrupt one, or one that names another
    // target than its key, is logged and left as it is.
    const [schedule] = item ? readableSchedules(item) : [];
    if (!schedule) return false;
    const { target } = schedule;
    if (target.source !== 'container' || target.containerId !== containerId) {
      logger.error('schedule item names another target than its key; not deleted', {
        container_id: containerId,
      });
      return false;
    }
    return this.delete(target);
  }

  async advance(read: StoredSchedule, next: StoredSchedule['next']): Promise<boolean> {
    return this.writeIfAsRead(read, { ...read, next, retry: undefined });
  }

  async retryLater(read: StoredSchedule, retry: ScheduleRetry): Promise<boolean> {
    return this.writeIfAsRead(read, { ...read, retry });
  }

  private async writeIfAsRead(read: StoredSchedule, written: StoredSchedule): Promise<boolean> {
    // Conditioned on the revision, the next transition and the retry read: a PUT since the read
    // replaced the schedule (its own next transition stands), another sweep already moved it on.
    const readNext = read.next
      ? 'next_transition_at = :readNext'
      : '(attribute_not_exists(next_transition_at) OR attribute_type(next_transition_at, :nullType))';
    const readRetry = read.retry ? '#retry.attempts = :attempts' : 'attribute_not_exists(#retry)';
    try {
      await this.send(
        this.client.send(
          new PutItemCommand({
            TableName: this.config.tableName,
            Item: scheduleItem(written),
            ConditionExpression: `revision = :revision AND ${readNext} AND ${readRetry}`,
            ExpressionAttributeNames: { '#retry': 'retry' },
            ExpressionAttributeValues: {
              ':revision': { S: read.revision },
              ...(read.next ? { ':readNext': { S: read.next.at } } : { ':nullType': { S: 'NULL' } }),
              ...(read.retry ? { ':attempts': { N: String(read.retry.attempts) } } : {}),
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async containersWithOwnSchedule(containerIds: readonly string[]): Promise<ReadonlySet<string>> {
    const found = await this.batchGet(containerIds.map(containerScheduleKey));
    const ids = new Set<string>();
    for (const item of found.values()) {
      const containerId = item.container_id?.S;
      if (containerId) ids.add(containerId);
    }
    return ids;
  }

  async listDue(query: ScheduleQuery): Promise<Page<StoredSchedule>> {
    const items: Item[] = [];
    let start = query.start as Item | undefined;
    // One item more than the page, so that `next` is given only when another item follows.
    do {
      const { Items = [], LastEvaluatedKey } = await this.send(
        this.client.send(
          new QueryCommand({
            TableName: this.config.tableName,
            IndexName: indexName,
            KeyConditionExpression: 'gsi5pk = :pk AND gsi5sk <= :upTo',
            // '~' sorts after every character of a schedule id, so an entry due at `upTo` is in.
            ExpressionAttributeValues: {
              ':pk': { S: scheduleDuePartition(query.shard) },
              ':upTo': { S: `${query.upTo}#~` },
            },
            Limit: query.limit + 1 - items.length,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...Items);
      start = LastEvaluatedKey;
    } while (start && items.length <= query.limit);
    const pageItems = items.slice(0, query.limit);
    const last = pageItems[pageItems.length - 1];
    const next: PagePosition | undefined =
      items.length > query.limit && last
        ? { pk: last.pk, sk: last.sk, gsi5pk: last.gsi5pk, gsi5sk: last.gsi5sk }
        : undefined;
    return { items: pageItems.flatMap(readableSchedules), next };
  }

  /** Items by key, by their partition key (each schedule item is alone in its partition). */
  private async batchGet(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<Map<string, Item>> {
    return new Map((await batchGetItems(this.table, keys)).map((item) => [item.pk?.S ?? '', item]));
  }

  /** DynamoDB itself failing (throttled past the SDK's retries, 5xx, timed out): EXTERNAL_SERVICE_ERROR. */
  private send<T>(request: Promise<T>): Promise<T> {
    return unlessUnavailable(request);
  }
}
