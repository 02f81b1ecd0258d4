/**
 * Idempotency records in the shared table: one item per owner and key, claimed with a single
 * conditional PutItem so that two concurrent requests can never both run.
 */
import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type {
  BeginResult,
  IdempotencyRequest,
  IdempotencyStore,
  StoredResponse,
} from '../../ports/idempotency-store';
import * as z from '../../schema';
import { marshall, unmarshall } from './attribute-values';
import { unlessUnavailable } from './dynamodb-errors';

export interface DynamoDbIdempotencyStoreConfig {
  readonly tableName: string;
  /** How long a record is kept, counted from its last write. @default 86400 (24 h) */
  readonly ttlSeconds?: number;
  /**
   * After this long an unfinished record counts as abandoned (its Lambda died mid-request) and the
   * same request may take it over. Longer than API Gateway's 30 s integration timeout. @default 60
   */
  readonly abandonAfterSeconds?: number;
}

/** An idempotency item read back from the table does not have the expected shape. */
export class CorruptIdempotencyRecordError extends Error {
  override readonly name = 'CorruptIdempotencyRecordError';
  constructor(
    readonly pk: string,
    options?: ErrorOptions,
  ) {
    super(`The idempotency record ${pk} is corrupt`, options);
  }
}

/** `complete` found no unfinished record of the same request to store the response in. */
export class IdempotencyRecordMissingError extends Error {
  override readonly name = 'IdempotencyRecordMissingError';
  constructor(
    readonly pk: string,
    options?: ErrorOptions,
  ) {
    super(`No record of this request under ${pk}; it was released, expired or replaced`, options);
  }
}

const recordStatus = { inProgress: 'IN_PROGRESS', completed: 'COMPLETED' } as const;

const recordSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal(recordStatus.inProgress),
    request_hash: z.string(),
    started_at: z.number(),
    ttl: z.number(),
  }),
  z.object({
    status: z.literal(recordStatus.completed),
    request_hash: z.string(),
    ttl: z.number(),
    response_status: z.int(),
    response_headers: z.record(z.string(), z.string()),
    response_body: z.optional(z.string()),
  }),
]);

type IdempotencyRecord = z.infer<typeof recordSchema>;

/**
 * The key is hashed so that any printable key fits in the partition key and nothing the caller
 * sent ends up in a key; the hash has a fixed length, so owner ids holding `#` cannot collide.
 */
export function idempotencyKey(ownerId: string, key: string) {
  const keyHash = createHash('sha256').update(key, 'utf8').digest('hex');
  return { pk: `IDEMPOTENCY#${ownerId}#${keyHash}`, sk: 'IDEMPOTENCY' };
}

export class DynamoDbIdempotencyStore implements IdempotencyStore {
  private readonly ttlSeconds: number;
  private readonly abandonAfterSeconds: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly config: DynamoDbIdempotencyStoreConfig,
  ) {
    this.ttlSeconds = config.ttlSeconds ?? 86_400;
    this.abandonAfterSeconds = config.abandonAfterSeconds ?? 60;
  }

  async begin({ ownerId, key, requestHash, now }: IdempotencyRequest & { now: Date }): Promise<BeginResult> {
    const itemKey = idempotencyKey(ownerId, key);
    const nowMs = now.getTime();
    // The put succeeds when no live record exists: none at all, one past its ttl that DynamoDB has
    // not deleted yet (TTL deletion lags by up to days), or an attempt of this very request that
    // started over abandonAfterSeconds ago. Otherwise the condition fails atomically and hands back
    // the record that won, so a concurrent duplicate learns in the same round trip what to answer.
    try {
      // Unavailable DynamoDB answers 502 here, before any work (complete and release only log).
      await unlessUnavailable(
        this.client.send(
          new PutItemCommand({
            TableName: this.config.tableName,
            Item: marshall({
              ...itemKey,
              status: recordStatus.inProgress,
              request_hash: requestHash,
              started_at: nowMs,
              ttl: this.expiry(now),
            }),
            ConditionExpression:
              'attribute_not_exists(pk) OR #ttl < :now OR ' +
              '(#status = :inProgress AND request_hash = :hash AND started_at < :abandonedBefore)',
            ExpressionAttributeNames: { '#ttl': 'ttl', '#status': 'status' },
            ExpressionAttributeValues: marshall({
              ':now': epochSeconds(now),
              ':inProgress': recordStatus.inProgress,
              ':hash': requestHash,
              ':abandonedBefore': nowMs - this.abandonAfterSeconds * 1000,
            }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { kind: 'new' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return decide(parseRecord(itemKey.pk, error.Item), requestHash);
    }
  }

  async complete({
    ownerId,
    key,
    requestHash,
    response,
    now,
  }: IdempotencyRequest & { response: StoredResponse; now: Date }): Promise<void> {
    const itemKey = idempotencyKey(ownerId, key);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.config.tableName,
          Item: marshall({
            ...itemKey,
            status: recordStatus.completed,
            request_hash: requestHash,
            ttl: this.expiry(now),
            response_status: response.status,
            response_headers: { ...response.headers },
            response_body: response.body,
          }),
          ConditionExpression: 'request_hash = :hash',
          ExpressionAttributeValues: { ':hash': { S: requestHash } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new IdempotencyRecordMissingError(itemKey.pk, { cause: error });
      }
      throw error;
    }
  }

  async release({ ownerId, key, requestHash }: IdempotencyRequest): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.config.tableName,
          Key: marshall(idempotencyKey(ownerId, key)),
          // Only an unfinished attempt of this request: a completed record must keep answering.
          ConditionExpression: '#status = :inProgress AND request_hash = :hash',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':inProgress': recordStatus.inProgress,
            ':hash': requestHash,
          }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private expiry(now: Date): number {
    return epochSeconds(now) + this.ttlSeconds;
  }
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function parseRecord(pk: string, item: Record<string, AttributeValue> | undefined): IdempotencyRecord {
  const parsed = recordSchema.safeParse(item ? unmarshall(item) : undefined);
  if (!parsed.success) throw new CorruptIdempotencyRecordError(pk, { cause: parsed.error });
  return parsed.data;
}

function decide(record: IdempotencyRecord, requestHash: string): BeginResult {
  if (record.request_hash !== requestHash) return { kind: 'mismatch' };
  if (record.status === recordStatus.inProgress) return { kind: 'in-progress' };
  return {
    kind: 'replay',
    response: {
      status: record.response_status,
      headers: record.response_headers,
      ...(record.response_body === undefined ? {} : { body: record.response_body }),
    },
  };
}
