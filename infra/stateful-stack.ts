import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { type TableDefinition, tableDefinition } from '../lib/adapters/dynamodb/table-definition';

export interface StatefulStackProps extends StackProps {
  /**
   * The deployment stage. Outside `dev` the table is retained on stack deletion and protected
   * against deletion.
   * @default 'dev'
   */
  readonly stage?: string;
  /** @default the shared definition in lib/adapters/dynamodb/table-definition.ts */
  readonly definition?: TableDefinition;
}

/** What must outlive a redeploy: the table of containers, their logs and counters. */
export class StatefulStack extends Stack {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    const definition = props.definition ?? tableDefinition;
    const durable = (props.stage ?? 'dev') !== 'dev';
    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

    this.table = new TableV2(this, 'Table', {
      partitionKey: stringKey(definition.partitionKey),
      sortKey: stringKey(definition.sortKey),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: definition.timeToLiveAttribute,
      // The outbox of transitions: functions/streams/publish-transitions.ts reads it.
      dynamoStream: StreamViewType[definition.stream],
      deletionProtection: durable,
      removalPolicy: durable ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: definition.globalIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
      })),
    });
  }
}
