/**
 * The one description of the DynamoDB table. Tests and `npm start` create the table from it
 * (`toCreateTableInput`), and infra/ deploys it from it, so the keys, the indexes and the TTL
 * attribute cannot drift apart between what is tested and what runs in AWS.
 *
 * One table holds every item kind; key attributes are generic (`pk`, `sk`, `gsi1pk`, ...) so that
 * each index can serve one access pattern per item kind (an index is "overloaded"): for a container
 * it orders an owner's containers, for a status log it orders one container's history.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface KeyAttributes {
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface GlobalIndexDefinition extends KeyAttributes {
  readonly indexName: string;
  /** What the index serves, for a reader of the definition and for infra docs. */
  readonly purpose: string;
}

export interface TableDefinition extends KeyAttributes {
  readonly globalIndexes: readonly GlobalIndexDefinition[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes the item some time after it. */
  readonly timeToLiveAttribute: string;
  /**
   * The table's stream: every write, as the item after it. The outbox of transitions: a status-log
   * item is written in the same transaction as its container, and the stream hands it on to
   * EventBridge (functions/streams/publish-transitions.ts), so no transition goes unpublished. Other
   * events (the idle warning) are `outbox-event` items, handed on the same way.
   */
  readonly stream: 'NEW_IMAGE';
}

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'ttl',
  stream: 'NEW_IMAGE',
  globalIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      purpose:
        "an owner's containers by creation time; a container's logs by transition_time; a webhook's deliveries by creation time",
    },
    {
      indexName: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      purpose: "an owner's containers of one status; a container's logs by to_status",
    },
    {
      indexName: 'gsi3',
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      purpose: "an owner's containers of one project; a container's logs by from_status",
    },
    {
      indexName: 'gsi4',
      partitionKey: 'gsi4pk',
      sortKey: 'gsi4sk',
      purpose: "an owner's containers of one project and status; a container's logs by created_at",
    },
    {
      indexName: 'gsi5',
      partitionKey: 'gsi5pk',
      sortKey: 'gsi5sk',
      purpose:
        'sparse: running containers with an idle timeout, by auto-stop deadline, in shards; webhook deliveries due a retry; weekly schedules by next transition',
    },
    {
      indexName: 'gsi6',
      partitionKey: 'gsi6pk',
      sortKey: 'gsi6sk',
      purpose: 'sparse: containers in a transitional status, and stopped ones, by last transition, in shards',
    },
  ],
} as const satisfies TableDefinition;

/** The CreateTable request for DynamoDB Local (and any environment without CDK). */
export function toCreateTableInput(tableName: string, definition: TableDefinition = tableDefinition) {
  const keyNames = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream },
    AttributeDefinitions: [...new Set(keyNames)].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: definition.partitionKey, KeyType: 'HASH' },
      { AttributeName: definition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: definition.globalIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  } satisfies CreateTableCommandInput;
}
