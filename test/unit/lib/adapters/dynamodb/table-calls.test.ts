import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { getContainer } from '../../../../../lib/adapters/dynamodb/container-reads';
import { saveWithoutTransition } from '../../../../../lib/adapters/dynamodb/container-writes';
import { scheduleShards } from '../../../../../lib/adapters/dynamodb/sweep-indexes';
import { bindTableCalls } from '../../../../../lib/adapters/dynamodb/table-calls';
import { VersionConflictError } from '../../../../../lib/ports/container-repository';
import { aContainer } from '../../../../support/containers';

const client = new DynamoDBClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const dynamoMock = mockClient(client);
const table = { client, config: { tableName: 'clc', logRetentionDays: 30 } };

afterAll(() => {
  dynamoMock.restore();
  client.destroy();
});

describe('bindTableCalls', () => {
  it('makes a repository of the given calls only, each sent to the bound table, constants as given', async () => {
    // Prepare
    dynamoMock.reset();
    dynamoMock.on(GetItemCommand).resolves({});
    dynamoMock.on(PutItemCommand).resolves({});
    const repository = bindTableCalls(table, { getContainer, saveWithoutTransition, scheduleShards });
    const container = aContainer();

    // Act
    const missing = await repository.getContainer('container:absent');
    await repository.saveWithoutTransition(container, { ...container, ipAddress: '10.0.0.9' });

    // Assess
    expect(Object.keys(repository)).toEqual(['getContainer', 'saveWithoutTransition', 'scheduleShards']);
    expect(repository.scheduleShards).toBe(scheduleShards);
    expect(missing).toBeUndefined();
    expect(dynamoMock.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'clc',
      Key: { pk: { S: 'CONTAINER#container:absent' }, sk: { S: 'CONTAINER' } },
      ConsistentRead: true,
    });
    expect(dynamoMock.commandCalls(PutItemCommand)[0]?.args[0].input.TableName).toBe('clc');
  });

  it('keeps the error mapping of the call it binds: a failed condition is a version conflict', async () => {
    // Prepare
    dynamoMock.reset();
    dynamoMock.on(PutItemCommand).rejects(
      Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
      }),
    );
    const repository = bindTableCalls(table, { saveWithoutTransition });
    const container = aContainer();

    // Act
    const saving = repository.saveWithoutTransition(container, { ...container, ipAddress: '10.0.0.9' });

    // Assess
    await expect(saving).rejects.toBeInstanceOf(VersionConflictError);
  });
});
