/**
 * A local stand-in for Lambda's DynamoDB Streams event source mapping: reads the table's stream
 * in DynamoDB Local and hands each batch of records to the stream function, in order. When the
 * function reports a batch item failure, the shard is read again from that record after a pause,
 * as Lambda does with ReportBatchItemFailures (and with no limit on the retries, as the mappings
 * that infra/ deploys retry until the record expires). A function with filters is handed the
 * records that match one of them only, and is not invoked for a batch with none, as Lambda's
 * FilterCriteria do.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamFilterPattern } from '../lib/adapters/dynamodb/stream-records';

export interface StreamPoller {
  /** Resolves once every record written so far has been handed on (or `timeoutMs` passed). */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly region?: string;
  readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  /** The mapping's filter patterns: a record matching none is never handed on. @default every record */
  readonly filters?: readonly StreamFilterPattern[];
  /** Pause between reads of an idle shard. @default 50 */
  readonly intervalMs?: number;
  /** Pause before a failed batch is handed on again. @default 500 */
  readonly retryDelayMs?: number;
  readonly log?: (line: string) => void;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const region = options.region ?? 'us-east-1';
  const log = options.log ?? console.error;
  const dynamoDb = new DynamoDBClient({ endpoint: options.endpoint, region, credentials });
  const streams = streamsApi(options.endpoint, region);
  const { Table } = await dynamoDb.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamoDb.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);

  /** Each shard's next iterator; null once the shard is closed and read to its end. */
  const iterators = new Map<string, string | null>();
  /** Each shard's last record handed on, to read on from when an iterator goes stale. */
  const handedOn = new Map<string, string>();
  let stopped = false;
  let idle = false;

  async function discoverShards(): Promise<void> {
    const { StreamDescription } = await streams<{ StreamDescription?: { Shards?: { ShardId?: string }[] } }>(
      'DescribeStream',
      { StreamArn: streamArn },
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const { ShardIterator } = await streams<{ ShardIterator?: string }>('GetShardIterator', {
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      });
      iterators.set(shard.ShardId, ShardIterator ?? null);
    }
  }

  /**
   * DynamoDB Local answers TrimmedDataAccessException (or ExpiredIteratorException) for an
   * iterator of a quiet shard once another client has created a table: a new iterator, after the
   * last record handed on, reads on where the stale one stood.
   */
  async function renewIterator(shardId: string): Promise<void> {
    const last = handedOn.get(shardId);
    const { ShardIterator } = await streams<{ ShardIterator?: string }>('GetShardIterator', {
      StreamArn: streamArn,
      ShardId: shardId,
      ...(last
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last }
        : { ShardIteratorType: 'TRIM_HORIZON' }),
    });
    iterators.set(shardId, ShardIterator ?? null);
  }

  async function readShard(shardId: string, iterator: string): Promise<boolean> {
    let answer: { Records?: DynamoDBRecord[]; NextShardIterator?: string };
    try {
      answer = await streams('GetRecords', { ShardIterator: iterator });
    } catch (error) {
      if (!/TrimmedDataAccessException|ExpiredIteratorException/.test(String(error))) throw error;
      await renewIterator(shardId);
      return true;
    }
    const { Records = [], NextShardIterator } = answer;
    if (Records.length === 0) {
      iterators.set(shardId, NextShardIterator ?? null);
      return false;
    }
    const { filters } = options;
    const handed = Records.map(repairEmptyMaps).filter(
      (record) => !filters || filters.some((pattern) => matchesFilter(pattern, record)),
    );
    const result =
      handed.length === 0
        ? undefined
        : await options.handler({ Records: handed }).catch((error: unknown) => {
            log(`stream function failed: ${error instanceof Error ? error.message : String(error)}`);
            return { batchItemFailures: [{ itemIdentifier: handed[0]?.dynamodb?.SequenceNumber ?? '' }] };
          });
    const failedAt = result?.batchItemFailures[0]?.itemIdentifier;
    if (failedAt) {
      await sleep(options.retryDelayMs ?? 500);
      const again = await streams<{ ShardIterator?: string }>('GetShardIterator', {
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: failedAt,
      });
      iterators.set(shardId, again.ShardIterator ?? null);
    } else {
      const last = Records[Records.length - 1]?.dynamodb?.SequenceNumber;
      if (last) handedOn.set(shardId, last);
      iterators.set(shardId, NextShardIterator ?? null);
    }
    return true;
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await discoverShards();
        let busy = false;
        for (const [shardId, iterator] of iterators) {
          if (iterator && !stopped) busy = (await readShard(shardId, iterator)) || busy;
        }
        idle = !busy;
        if (!busy) await sleep(options.intervalMs ?? 50);
      } catch (error) {
        if (!stopped) log(`stream poller: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(options.intervalMs ?? 50);
      }
    }
  })();

  return {
    async drain(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      idle = false;
      while (!idle && Date.now() < deadline) await sleep(10);
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** A function the table's stream feeds, with its event source mapping's filters, if it has any. */
export interface StreamFunction {
  readonly name: string;
  readonly handler: StreamPollerOptions['handler'];
  readonly filters?: readonly StreamFilterPattern[];
}

/**
 * One poller per function, as each event source mapping reads the stream on its own: every
 * function gets its own copy of the records, and one that is retrying holds up none of the others.
 */
export async function startStreamPollers(
  options: Omit<StreamPollerOptions, 'handler' | 'filters'>,
  functions: readonly StreamFunction[],
): Promise<StreamPoller> {
  const log = options.log ?? console.error;
  const pollers = await Promise.all(
    functions.map((fn) =>
      startStreamPoller({
        ...options,
        handler: fn.handler,
        ...(fn.filters ? { filters: fn.filters } : {}),
        log: (line) => log(`${fn.name}: ${line}`),
      }),
    ),
  );
  return {
    async drain(timeoutMs) {
      await Promise.all(pollers.map((poller) => poller.drain(timeoutMs)));
    },
    async stop() {
      await Promise.all(pollers.map((poller) => poller.stop()));
    },
  };
}

/**
 * Whether a record matches a filter pattern as Lambda matches it: every field the pattern names
 * is there, and each leaf is one of the values listed, or exists (a string, number or boolean)
 * when the list holds `{ exists: true }`, or is absent for `{ exists: false }`.
 */
export function matchesFilter(pattern: StreamFilterPattern, value: unknown): boolean {
  return Object.entries(pattern).every(([name, rule]) => {
    const field: unknown =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
    if (!Array.isArray(rule)) return matchesFilter(rule as StreamFilterPattern, field);
    const isLeaf = ['string', 'number', 'boolean'].includes(typeof field);
    return (rule as readonly (string | { readonly exists: boolean })[]).some((allowed) =>
      typeof allowed === 'string' ? field === allowed : allowed.exists ? isLeaf : field === undefined,
    );
  });
}

/**
 * The Streams API of DynamoDB Local, in its own JSON, not through the SDK's streams client: the
 * raw JSON is the very shape Lambda hands a function (times in epoch seconds), and the
 * package would be one more dependency for the local stack alone. DynamoDB Local reads the region and key id from the header only.
 */
function streamsApi(endpoint: string, region: string) {
  const authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240101/${region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`;
  return async <T>(operation: string, body: unknown): Promise<T> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
        authorization,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${operation} answered ${response.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  };
}

/**
 * DynamoDB Local's stream writes an empty map as `{}` where DynamoDB writes `{"M": {}}` (a log
 * entry's empty `metadata`); no reader can unmarshall `{}`, so it is put back as the empty map
 * it was. (An empty list would come out the same way; this table writes none.)
 */
function repairEmptyMaps(record: DynamoDBRecord): DynamoDBRecord {
  const repair = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (Object.keys(value).length === 0) return { M: {} };
    const attribute = value as { M?: Record<string, unknown>; L?: unknown[] };
    if (attribute.M) return { M: repairImage(attribute.M) };
    if (attribute.L) return { L: attribute.L.map(repair) };
    return value;
  };
  const repairImage = (image: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repair(value)]));
  const images = record.dynamodb;
  if (!images) return record;
  return {
    ...record,
    dynamodb: {
      ...images,
      ...(images.NewImage ? { NewImage: repairImage(images.NewImage) as typeof images.NewImage } : {}),
      ...(images.OldImage ? { OldImage: repairImage(images.OldImage) as typeof images.OldImage } : {}),
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
