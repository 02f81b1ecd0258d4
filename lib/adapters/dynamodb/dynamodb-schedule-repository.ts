/**
 * Weekly schedules in the shared table, as items of their own kind (never fields of the container
 * item, so a schedule change never contends with a container's transitions). A schedule whose
 * next transition is known carries gsi5 keys under `SCHEDULE#<shard>`, so the sweep reads only
 * the schedules that are due.
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { scheduleActions, weekdays } from '../../domain/schedule';
import type { Page, PagePosition, ScheduleQuery } from '../../ports/container-repository';
import {
  type ScheduleRepository,
  type ScheduleTarget,
  type StoredSchedule,
  scheduleIdOf,
} from '../../ports/schedule-repository';
import * as z from '../../schema';
import { CorruptItemError, type Item } from './items';
import {
  containerScheduleKey,
  projectScheduleKey,
  scheduleDuePartition,
  scheduleShards,
  shardOf,
} from './keys';

export interface DynamoDbScheduleRepositoryConfig {
  readonly tableName: string;
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
});

export function scheduleKeyOf(target: ScheduleTarget) {
  return target.source === 'container'
    ? containerScheduleKey(target.containerId)
    : projectScheduleKey(target.ownerId, target.projectId);
}

export function scheduleItem(schedule: StoredSchedule): Item {
  const { target, next } = schedule;
  return marshall(
    {
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
    },
    { removeUndefinedValues: true },
  );
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
  };
}

export class DynamoDbScheduleRepository implements ScheduleRepository {
  readonly shards = scheduleShards;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly config: DynamoDbScheduleRepositoryConfig,
  ) {}

  async get(target: ScheduleTarget): Promise<StoredSchedule | undefined> {
    const { Item: item } = await this.client.send(
      new GetItemCommand({
        TableName: this.config.tableName,
        Key: marshall(scheduleKeyOf(target)),
        ConsistentRead: true,
      }),
    );
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

  async put(schedule: StoredSchedule): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.config.tableName, Item: scheduleItem(schedule) }),
    );
  }

  async delete(target: ScheduleTarget): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteItemCommand({
        TableName: this.config.tableName,
        Key: marshall(scheduleKeyOf(target)),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async advance(read: StoredSchedule, next: StoredSchedule['next']): Promise<boolean> {
    // Conditioned on the revision and the next transition read: a PUT since the read replaced
    // the schedule (its own next transition stands), another sweep already advanced it.
    const readNext = read.next
      ? 'next_transition_at = :readNext'
      : '(attribute_not_exists(next_transition_at) OR attribute_type(next_transition_at, :nullType))';
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.config.tableName,
          Item: scheduleItem({ ...read, next }),
          ConditionExpression: `revision = :revision AND ${readNext}`,
          ExpressionAttributeValues: {
            ':revision': { S: read.revision },
            ...(read.next ? { ':readNext': { S: read.next.at } } : { ':nullType': { S: 'NULL' } }),
          },
        }),
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
      const { Items = [], LastEvaluatedKey } = await this.client.send(
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
    return { items: pageItems.map(scheduleFromItem), next };
  }

  /** Items by key, in BatchGetItem's pages of 100, asking again for what it left unread. */
  private async batchGet(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    for (let offset = 0; offset < keys.length; offset += 100) {
      let pending: Item[] = keys.slice(offset, offset + 100).map((key) => marshall(key));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= 5) throw new Error('BatchGetItem left keys unread after 5 attempts');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetItemCommand({
            RequestItems: { [this.config.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of Responses?.[this.config.tableName] ?? []) found.set(item.pk?.S ?? '', item);
        pending = UnprocessedKeys?.[this.config.tableName]?.Keys ?? [];
      }
    }
    return found;
  }
}
