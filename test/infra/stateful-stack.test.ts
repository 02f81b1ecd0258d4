import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StatefulStack } from '../../infra/stateful-stack';
import { tableDefinition } from '../../lib/adapters/dynamodb/table-definition';
import { testApp } from './test-app';

function synth(stage?: string) {
  const app = testApp();
  return Template.fromStack(new StatefulStack(app, 'Stateful', stage ? { stage } : {}));
}

describe('StatefulStack', () => {
  it('deploys the table with the keys, GSIs, TTL attribute and stream of the shared definition', () => {
    // Act
    const template = synth();

    // Assess
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      // Pinned: a new view type is a new stream ARN, which the service stack's import cannot follow
      // in one deploy, and records on the old stream would go unread.
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      GlobalSecondaryIndexes: tableDefinition.globalIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('retains and protects the table outside the dev stage', () => {
    const prod = synth('prod').findResources('AWS::DynamoDB::GlobalTable');
    const dev = synth().findResources('AWS::DynamoDB::GlobalTable');

    expect(Object.values(prod)[0]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { Replicas: [expect.objectContaining({ DeletionProtectionEnabled: true })] },
    });
    expect(Object.values(dev)[0]).toMatchObject({ DeletionPolicy: 'Delete' });
  });
});
