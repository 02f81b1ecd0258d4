import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { Container, JobRun, StatusLog } from '../../domain/container';
import type { ContainerStatus } from '../../domain/container-status';
import { DomainError } from '../../domain/errors';
import type { Transition } from '../../domain/transition';
import { recordTransition } from '../../metrics';
import {
  type ContainerListQuery,
  type ContainerRepository,
  type JobRunQuery,
  type NewContainer,
  type OwnerAccount,
  type Page,
  type PagePosition,
  type SaveTransitionOptions,
  type ScheduleQuery,
  type StatusLogQuery,
  type TransitionRecord,
  VersionConflictError,
} from '../../ports/container-repository';
import { marshall } from './attribute-values';
import { addExpression, containerCounters, transitionCounters } from './counters';
import { cancellationReasons, errorName, unlessUnavailable } from './dynamodb-errors';
import {
  containerFromItem,
  containerItem,
  type Item,
  logFromItem,
  logItem,
  runFromItem,
  runItem,
} from './items';
import {
  autoStopPartition,
  containerKey,
  counterNames,
  logKey,
  logPartition,
  ownerKey,
  ownerPartition,
  ownerProjectPartition,
  ownerProjectStatusPartition,
  ownerStatusPartition,
  restingPartition,
  runKey,
  runPrefix,
  scheduleShards,
  settlingPartition,
} from './keys';

export interface DynamoDbContainerRepositoryConfig {
  readonly tableName: string;
  /** Days a status log is kept after it is written (the item's TTL). */
  readonly logRetentionDays: number;
}

const notBanned = '(attribute_not_exists(banned) OR banned = :false)';

export class DynamoDbContainerRepository implements ContainerRepository {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly config: DynamoDbContainerRepositoryConfig,
  ) {}

  async getContainer(id: string): Promise<Container | undefined> {
    const { Item: item } = await this.send(
      this.client.send(
        new GetItemCommand({
          TableName: this.config.tableName,
          Key: marshall(containerKey(id)),
          ConsistentRead: true,
        }),
      ),
    );
    return item ? containerFromItem(item) : undefined;
  }

  async getOwner(ownerId: string): Promise<OwnerAccount> {
    const { Item: item } = await this.send(
      this.client.send(
        new GetItemCommand({
          TableName: this.config.tableName,
          Key: marshall(ownerKey(ownerId)),
          ConsistentRead: true,
        }),
      ),
    );
    return ownerAccount(ownerId, item);
  }

  async createContainer({ container, logs, quota, run }: NewContainer): Promise<void> {
    const counters = addExpression(containerCounters(container, 1));
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.config.tableName,
          Item: containerItem(container),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...logs.map((log) => this.putLog(log)),
      ...(run ? [this.putRun(run)] : []),
      {
        Update: {
          TableName: this.config.tableName,
          Key: marshall(ownerKey(container.ownerId)),
          UpdateExpression: `${counters?.expression ?? ''} SET owner_id = :owner`,
          // An expired container is read-only and can't be deleted, so it no longer takes a place.
          ConditionExpression: `(attribute_not_exists(${counterNames.live}) OR ${counterNames.live} < :quota) AND ${notBanned}`,
          ExpressionAttributeNames: counters?.names,
          ExpressionAttributeValues: {
            ...counters?.values,
            ':owner': { S: container.ownerId },
            ':quota': { N: String(quota) },
            ':false': { BOOL: false },
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ];
    const reasons = await this.transact(items);
    if (!reasons) return recordTransitions(logs);
    const ownerReason = reasons[reasons.length - 1];
    if (ownerReason?.Code === 'ConditionalCheckFailed') {
      if (ownerAccount(container.ownerId, ownerReason.Item).banned) throw accountBanned();
      throw new DomainError('QUOTA_EXCEEDED', `Container limit of ${quota} reached`, {
        details: { limit: quota },
      });
    }
    throw new VersionConflictError(container.id);
  }

  async saveTransition(
    { before, after, log, run }: Transition,
    options: SaveTransitionOptions = {},
  ): Promise<void> {
    const counters = addExpression(transitionCounters(before, after));
    const items: TransactWriteItem[] = [this.putContainerOver(before, after), this.putLog(log)];
    // The run record goes last, so the owner's update keeps its place for the reasons read below.
    const runItems = run ? [this.putRun(run)] : [];
    if (counters || options.ownerMustBeInGoodStanding) {
      items.push({
        Update: {
          TableName: this.config.tableName,
          Key: marshall(ownerKey(before.ownerId)),
          UpdateExpression: `${counters?.expression ?? ''} SET owner_id = :owner`,
          ...(options.ownerMustBeInGoodStanding ? { ConditionExpression: notBanned } : {}),
          ExpressionAttributeNames: counters?.names,
          ExpressionAttributeValues: {
            ...counters?.values,
            ':owner': { S: before.ownerId },
            ...(options.ownerMustBeInGoodStanding ? { ':false': { BOOL: false } } : {}),
          },
        },
      });
    }
    // The transition id makes a retried call idempotent: a commit whose answer was lost is not
    // mistaken for a lost race.
    const reasons = await this.transact([...items, ...runItems], requestToken(log.id));
    if (!reasons) return recordTransitions([log]);
    if (reasons[2]?.Code === 'ConditionalCheckFailed') throw accountBanned();
    throw new VersionConflictError(before.id);
  }

  async saveWithoutTransition(before: Container, after: Container): Promise<void> {
    try {
      await this.send(this.client.send(new PutItemCommand(this.putContainerOver(before, after).Put)));
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') throw new VersionConflictError(before.id);
      throw error;
    }
  }

  async deleteContainer(container: Container): Promise<void> {
    const counters = addExpression(containerCounters(container, -1));
    const items: TransactWriteItem[] = [
      {
        Delete: {
          TableName: this.config.tableName,
          Key: marshall(containerKey(container.id)),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': { N: String(container.version) } },
        },
      },
    ];
    if (counters) {
      items.push({
        Update: {
          TableName: this.config.tableName,
          Key: marshall(ownerKey(container.ownerId)),
          UpdateExpression: counters.expression,
          ExpressionAttributeNames: counters.names,
          ExpressionAttributeValues: counters.values,
        },
      });
    }
    if (await this.transact(items)) throw new VersionConflictError(container.id);
  }

  async listContainers(query: ContainerListQuery): Promise<Page<Container>> {
    const { indexName, partition } = containerIndex(query.ownerId, query.status, query.projectId);
    return this.page(
      {
        TableName: this.config.tableName,
        IndexName: indexName,
        KeyConditionExpression: `${indexName}pk = :pk`,
        ExpressionAttributeValues: { ':pk': { S: partition } },
        ScanIndexForward: query.order === 'asc',
      },
      query,
      indexName,
      containerFromItem,
    );
  }

  async listStatusLogs(query: StatusLogQuery): Promise<Page<StatusLog>> {
    const indexName = logIndexes[query.sortBy];
    return this.page(
      {
        TableName: this.config.tableName,
        IndexName: indexName,
        KeyConditionExpression: `${indexName}pk = :pk`,
        ExpressionAttributeValues: { ':pk': { S: logPartition(query.containerId) } },
        ScanIndexForward: query.order === 'asc',
      },
      query,
      indexName,
      logFromItem,
    );
  }

  async listJobRuns(query: JobRunQuery): Promise<Page<JobRun>> {
    return this.page(
      {
        TableName: this.config.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :runs)',
        ExpressionAttributeValues: {
          ':pk': { S: containerKey(query.containerId).pk },
          ':runs': { S: runPrefix },
        },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      query,
      // The base table: a page resumes after the item's own pk and sk.
      '',
      runFromItem,
    );
  }

  async getJobRun(containerId: string, runId: string): Promise<JobRun | undefined> {
    const { Item: item } = await this.send(
      this.client.send(
        new GetItemCommand({
          TableName: this.config.tableName,
          Key: marshall(runKey(containerId, runId)),
          ConsistentRead: true,
        }),
      ),
    );
    return item ? runFromItem(item) : undefined;
  }

  async getTransitionRecord(containerId: string, version: number): Promise<TransitionRecord> {
    const keys = [containerKey(containerId), logKey(containerId, version), logKey(containerId, version + 1)];
    const found = new Map<string, Item>();
    let pending: Item[] = keys.map(marshall);
    // BatchGetItem may leave keys unread under load; it says which, and they are asked for again.
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= 5) {
        throw new DomainError('EXTERNAL_SERVICE_ERROR', 'The database is unavailable; nothing was changed');
      }
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await this.send(
        this.client.send(
          new BatchGetItemCommand({
            RequestItems: { [this.config.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        ),
      );
      for (const item of Responses?.[this.config.tableName] ?? []) found.set(item.sk?.S ?? '', item);
      pending = UnprocessedKeys?.[this.config.tableName]?.Keys ?? [];
    }
    const [container, entry, next] = keys.map((key) => found.get(key.sk));
    return {
      container: container && containerFromItem(container),
      entry: entry && logFromItem(entry),
      next: next && logFromItem(next),
    };
  }

  readonly scheduleShards = scheduleShards;

  listDueForAutoStop(query: ScheduleQuery): Promise<Page<Container>> {
    return this.scheduleList('gsi5', autoStopPartition(query.shard), query);
  }

  listSettling(query: ScheduleQuery): Promise<Page<Container>> {
    return this.scheduleList('gsi6', settlingPartition(query.shard), query);
  }

  listResting(query: ScheduleQuery): Promise<Page<Container>> {
    return this.scheduleList('gsi6', restingPartition(query.shard), query);
  }

  /** Entries of a sparse index up to a time: the reads grow with what is due, not with the table. */
  private scheduleList(indexName: string, partition: string, query: ScheduleQuery): Promise<Page<Container>> {
    return this.page(
      {
        TableName: this.config.tableName,
        IndexName: indexName,
        KeyConditionExpression: `${indexName}pk = :pk AND ${indexName}sk <= :upTo`,
        // '~' sorts after every id character, so an entry due exactly at `upTo` is included.
        ExpressionAttributeValues: { ':pk': { S: partition }, ':upTo': { S: `${query.upTo}#~` } },
        ScanIndexForward: true,
      },
      query,
      indexName,
      containerFromItem,
    );
  }

  /**
   * One page of `limit` items. It asks for one item more than the page holds, so `next` is
   * exact: present only when another item really follows.
   */
  private async page<T>(
    base: QueryCommandInput,
    query: { limit: number; start?: PagePosition | undefined; skip?: number | undefined },
    indexName: string,
    parse: (item: Item) => T,
  ): Promise<Page<T>> {
    let start = query.start as Item | undefined;
    if (query.skip) start = await this.skip(base, indexName, query.skip, start);
    if (query.skip && !start) return { items: [], next: undefined };
    const items: Item[] = [];
    do {
      const { Items = [], LastEvaluatedKey } = await this.send(
        this.client.send(
          new QueryCommand({ ...base, Limit: query.limit + 1 - items.length, ExclusiveStartKey: start }),
        ),
      );
      items.push(...Items);
      start = LastEvaluatedKey;
    } while (start && items.length <= query.limit);
    const pageItems = items.slice(0, query.limit);
    const last = pageItems[pageItems.length - 1];
    return {
      items: pageItems.map(parse),
      next: items.length > query.limit && last ? positionOf(last, indexName) : undefined,
    };
  }

  /** Walks past `count` items reading keys only; returns where the page starts. */
  private async skip(base: QueryCommandInput, indexName: string, count: number, from: Item | undefined) {
    let start = from;
    let remaining = count;
    while (remaining > 0) {
      const { Items = [], LastEvaluatedKey } = await this.send(
        this.client.send(
          new QueryCommand({
            ...base,
            Limit: remaining,
            ExclusiveStartKey: start,
            ProjectionExpression: `pk, sk, ${indexName}pk, ${indexName}sk`,
          }),
        ),
      );
      remaining -= Items.length;
      const last = Items[Items.length - 1];
      if (remaining === 0 && last) return positionOf(last, indexName) as Item;
      if (!LastEvaluatedKey) return undefined;
      start = LastEvaluatedKey;
    }
    return start;
  }

  private putLog(log: StatusLog): TransactWriteItem {
    const expiresAt = Math.floor(Date.parse(log.createdAt) / 1000) + this.config.logRetentionDays * 86_400;
    return {
      Put: {
        TableName: this.config.tableName,
        Item: logItem(log, expiresAt),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** A job's run record, replaced whole by every transition of its run; kept as long as its logs. */
  private putRun(run: JobRun): TransactWriteItem {
    const writtenAt = Date.parse(run.finishedAt ?? run.startedAt);
    const expiresAt = Math.floor(writtenAt / 1000) + this.config.logRetentionDays * 86_400;
    return { Put: { TableName: this.config.tableName, Item: runItem(run, expiresAt) } };
  }

  /**
   * Replaces the container if it is still as it was read. The last use is part of the condition
   * because recording use is not a transition: without it, a transition written from an older
   * read would put back an older `last_used_at`, and the auto-stop sweep could stop a container
   * whose use it never saw. The snooze and the auto-stop policy (PATCH) are part of it for the same
   * reason: a stop decided on a read from before a snooze or a policy change must lose, not wipe
   * it out. An item written before these existed lacks the attribute; one never set holds NULL.
   */
  private putContainerOver(before: Container, after: Container) {
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
    return {
      Put: {
        TableName: this.config.tableName,
        Item: containerItem(after),
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeValues: values,
      },
    } satisfies TransactWriteItem;
  }

  /** Runs a transaction; returns the cancellation reasons when a condition failed. */
  private async transact(items: TransactWriteItem[], clientRequestToken?: string) {
    try {
      await this.send(
        this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: items,
            ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
          }),
        ),
      );
      return undefined;
    } catch (error) {
      // A conflict with another transaction in flight is a lost race like a failed condition.
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      return reasons;
    }
  }

  private send<T>(request: Promise<T>): Promise<T> {
    return unlessUnavailable(request);
  }
}

const logIndexes = {
  transition_time: 'gsi1',
  to_status: 'gsi2',
  from_status: 'gsi3',
  created_at: 'gsi4',
} as const;

function containerIndex(ownerId: string, status?: ContainerStatus, projectId?: string) {
  if (status && projectId)
    return { indexName: 'gsi4', partition: ownerProjectStatusPartition(ownerId, projectId, status) };
  if (projectId) return { indexName: 'gsi3', partition: ownerProjectPartition(ownerId, projectId) };
  if (status) return { indexName: 'gsi2', partition: ownerStatusPartition(ownerId, status) };
  return { indexName: 'gsi1', partition: ownerPartition(ownerId) };
}

/** The ExclusiveStartKey of an index query that resumes after `item`. */
function positionOf(item: Item, indexName: string): PagePosition {
  const keys = ['pk', 'sk', `${indexName}pk`, `${indexName}sk`];
  return Object.fromEntries(keys.map((key) => [key, item[key]]));
}

/**
 * TransactWriteItems' ClientRequestToken (at most 36 characters) for a transition: a retried call
 * with it is recognised as the same transaction for 10 minutes, and every transition id is unique.
 */
function requestToken(transitionId: string): string {
  return createHash('sha256').update(transitionId).digest('hex').slice(0, 32);
}

function ownerAccount(ownerId: string, item: Item | undefined): OwnerAccount {
  const count = (name: string) => Number(item?.[name]?.N ?? 0);
  return {
    ownerId,
    banned: item?.banned?.BOOL === true,
    containerCount: count(counterNames.live),
    countOf({ status, projectId }) {
      if (status && projectId) return count(counterNames.projectStatus(projectId, status));
      if (projectId) return count(counterNames.project(projectId));
      if (status) return count(counterNames.status(status));
      return count(counterNames.all);
    },
  };
}

function accountBanned(): DomainError {
  return new DomainError('ACCOUNT_BANNED', 'This account is banned');
}

/** Counted here, once the write has succeeded: every status change of every function goes through it. */
function recordTransitions(logs: readonly StatusLog[]): void {
  for (const log of logs) recordTransition(log.toStatus, log.triggeredBy);
}
