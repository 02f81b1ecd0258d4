/**
 * The Idempotency-Key claim is the first DynamoDB call of a write that carries the header: when
 * DynamoDB is unavailable past the SDK's retries it must answer as every table route does,
 * 502 EXTERNAL_SERVICE_ERROR (OpenAPI lists it), not a 500. Its conditional failure stays the
 * store's own business: it tells the caller what to answer.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyStore } from '../../../../../lib/adapters/dynamodb/idempotency-store';
import { DomainError } from '../../../../../lib/domain/errors';

const request = {
  ownerId: 'usr_alice',
  key: 'key-1',
  requestHash: 'hash-1',
  now: new Date('2026-11-23T10:00:00Z'),
};

function storeFailingWith(failure: Error) {
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  mockClient(client).on(PutItemCommand).rejects(failure);
  return new DynamoDbIdempotencyStore(client, { tableName: 'containers' });
}

describe('DynamoDbIdempotencyStore.begin', () => {
  it.each([
    ['throttled', new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} })],
    ['5xx', Object.assign(new Error('Internal server error'), { name: 'InternalServerError' })],
    ['timed out', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
  ])('answers EXTERNAL_SERVICE_ERROR when DynamoDB is unavailable (%s)', async (_kind, failure) => {
    // Prepare
    const store = storeFailingWith(failure);

    // Act
    const outcome = store.begin(request);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(DomainError);
    await expect(outcome).rejects.toMatchObject({ code: 'EXTERNAL_SERVICE_ERROR' });
  });

  it('still reads a failed condition as the record that won, not as an outage', async () => {
    // Prepare: an unfinished attempt of the same request holds the key.
    const store = storeFailingWith(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          pk: { S: 'IDEMPOTENCY#usr_alice#key-1' },
          status: { S: 'IN_PROGRESS' },
          request_hash: { S: 'hash-1' },
          started_at: { N: String(request.now.getTime()) },
          ttl: { N: String(request.now.getTime() / 1000 + 86_400) },
        },
      }),
    );

    // Act
    const outcome = await store.begin(request);

    // Assess
    expect(outcome.kind).toBe('in-progress');
  });
});
