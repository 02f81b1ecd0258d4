import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DomainError } from '../../domain/errors';
import type { Delivery, Webhook } from '../../domain/webhook';
import type { Page, PagePosition, ScheduleQuery } from '../../ports/container-repository';
import { DeliveryConflictError, type WebhookStore } from '../../ports/webhook-store';
import { marshall } from './attribute-values';
import { cancellationReasons, errorName, unlessUnavailable } from './dynamodb-errors';
import type { Item } from './items';
import {
  deliveriesPartition,
  deliveryKey,
  deliveryRetryPartition,
  ownerPartition,
  scheduleShards,
  webhookCountKey,
  webhookKey,
  webhookPrefix,
} from './keys';
import { deliveryFromItem, deliveryItem, webhookFromItem, webhookItem } from './webhook-items';

export interface DynamoDbWebhookStoreConfig {
  readonly tableName: string;
  /** Days a delivery's record is kept (the item's TTL). @default 30 */
  readonly deliveryRetentionDays?: number;
}

export class DynamoDbWebhookStore implements WebhookStore {
  readonly scheduleShards = scheduleShards;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly config: DynamoDbWebhookStoreConfig,
  ) {}

  async createWebhook(webhook: Webhook, limit: number): Promise<void> {
    const { tableName } = this.config;
    try {
      await this.send(
        this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: marshall(webhookCountKey(webhook.ownerId)),
                  UpdateExpression:
                    'SET webhook_count = if_not_exists(webhook_count, :zero) + :one, kind = :kind',
                  ConditionExpression: 'attribute_not_exists(webhook_count) OR webhook_count < :limit',
                  ExpressionAttributeValues: {
                    ':zero': { N: '0' },
                    ':one': { N: '1' },
                    ':limit': { N: String(limit) },
                    ':kind': { S: 'webhook-count' },
                  },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: webhookItem(webhook),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        ),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new DomainError('QUOTA_EXCEEDED', `Webhook limit of ${limit} reached`, {
          details: { limit, resource: 'webhooks' },
        });
      }
      throw error;
    }
  }

  async getWebhook(ownerId: string, webhookId: string): Promise<Webhook | undefined> {
    const { Item: item } = await this.send(
      this.client.send(
        new GetItemCommand({
          TableName: this.config.tableName,
          Key: marshall(webhookKey(ownerId, webhookId)),
          ConsistentRead: true,
        }),
      ),
    );
    return item ? webhookFromItem(item) : undefined;
  }

  async listWebhooks(ownerId: string): Promise<readonly Webhook[]> {
    const webhooks: Webhook[] = [];
    let start: Item | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.send(
        this.client.send(
          new QueryCommand({
            TableName: this.config.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': { S: ownerPartition(ownerId) },
              ':prefix': { S: webhookPrefix },
            },
            ExclusiveStartKey: start,
          }),
        ),
      );
      webhooks.push(...Items.map(webhookFromItem));
      start = LastEvaluatedKey;
    } while (start);
    return webhooks.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async deleteWebhook(ownerId: string, webhookId: string): Promise<boolean> {
    try {
      await this.send(
        this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: this.config.tableName,
                  Key: marshall(webhookKey(ownerId, webhookId)),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: this.config.tableName,
                  Key: marshall(webhookCountKey(ownerId)),
                  UpdateExpression: 'ADD webhook_count :minusOne',
                  ExpressionAttributeValues: { ':minusOne': { N: '-1' } },
                },
              },
            ],
          }),
        ),
      );
      return true;
    } catch (error) {
      if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async createDelivery(delivery: Delivery): Promise<boolean> {
    try {
      await this.send(
        this.client.send(
          new PutItemCommand({
            TableName: this.config.tableName,
            Item: deliveryItem(delivery, this.expiresAt(delivery)),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async getDelivery(webhookId: string, deliveryId: string): Promise<Delivery | undefined> {
    const { Item: item } = await this.send(
      this.client.send(
        new GetItemCommand({
          TableName: this.config.tableName,
          Key: marshall(deliveryKey(webhookId, deliveryId)),
          ConsistentRead: true,
        }),
      ),
    );
    return item ? deliveryFromItem(item) : undefined;
  }

  async saveDelivery(before: Delivery, after: Delivery): Promise<void> {
    const next =
      before.nextAttemptAt === null ? 'attribute_type(next_attempt_at, :null)' : 'next_attempt_at = :next';
    try {
      await this.send(
        this.client.send(
          new PutItemCommand({
            TableName: this.config.tableName,
            Item: deliveryItem(after, this.expiresAt(after)),
            ConditionExpression: `attempt_count = :count AND ${next}`,
            ExpressionAttributeValues: {
              ':count': { N: String(before.attemptCount) },
              ...(before.nextAttemptAt === null
                ? { ':null': { S: 'NULL' } }
                : { ':next': { S: before.nextAttemptAt } }),
            },
          }),
        ),
      );
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') throw new DeliveryConflictError(before.id);
      throw error;
    }
  }

  listDeliveries(query: {
    webhookId: string;
    limit: number;
    start?: PagePosition | undefined;
  }): Promise<Page<Delivery>> {
    return this.page(
      {
        TableName: this.config.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: deliveriesPartition(query.webhookId) } },
        ScanIndexForward: false,
      },
      'gsi1',
      query,
    );
  }

  listDueDeliveries(query: ScheduleQuery): Promise<Page<Delivery>> {
    return this.page(
      {
        TableName: this.config.tableName,
        IndexName: 'gsi5',
        KeyConditionExpression: 'gsi5pk = :pk AND gsi5sk <= :upTo',
        // '~' sorts after every id character, so an entry due exactly at `upTo` is included.
        ExpressionAttributeValues: {
          ':pk': { S: deliveryRetryPartition(query.shard) },
          ':upTo': { S: `${query.upTo}#~` },
        },
        ScanIndexForward: true,
      },
      'gsi5',
      query,
    );
  }

  /** One page of `limit` deliveries; one more is asked for, so `next` is there only if one follows. */
  private async page(
    base: QueryCommandInput,
    indexName: string,
    query: { limit: number; start?: PagePosition | undefined },
  ): Promise<Page<Delivery>> {
    const items: Item[] = [];
    let start = query.start as Item | undefined;
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
    const position = (item: Item) =>
      Object.fromEntries(['pk', 'sk', `${indexName}pk`, `${indexName}sk`].map((name) => [name, item[name]]));
    return {
      items: pageItems.map(deliveryFromItem),
      next: items.length > query.limit && last ? position(last) : undefined,
    };
  }

  private expiresAt(delivery: Delivery): number {
    return (
      Math.floor(Date.parse(delivery.createdAt) / 1000) + (this.config.deliveryRetentionDays ?? 30) * 86_400
    );
  }

  private send<T>(request: Promise<T>): Promise<T> {
    return unlessUnavailable(request);
  }
}
