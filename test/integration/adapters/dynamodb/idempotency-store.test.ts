import { createHash, randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbIdempotencyStore,
  IdempotencyRecordMissingError,
  idempotencyKey,
} from '../../../../lib/adapters/dynamodb/idempotency-store';
import type { StoredResponse } from '../../../../lib/ports/idempotency-store';
import { createTestTable, type TestTable } from '../../../support/dynamodb';

let table: TestTable;
let store: DynamoDbIdempotencyStore;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoDbIdempotencyStore(table.client, { tableName: table.tableName });
});

afterAll(() => {
  table.client.destroy();
});

const startedAt = new Date('2026-11-22T10:00:00.000Z');
const seconds = (count: number) => new Date(startedAt.getTime() + count * 1000);
const response: StoredResponse = {
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', etag: '"1"' },
  body: '{"data":{"id":"6740c3f2a1b2c3d4e5f60718"}}',
};

/** A request of its own, so that tests never share a record. */
function newRequest(ownerId = 'alice') {
  return { ownerId, key: `key-${randomUUID()}`, requestHash: 'hash-of-request-a' };
}

async function readItem(ownerId: string, key: string) {
  const { Item: item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: marshall(idempotencyKey(ownerId, key)),
      ConsistentRead: true,
    }),
  );
  return item ? unmarshall(item) : undefined;
}

describe('DynamoDbIdempotencyStore', () => {
  it('answers new to the first begin and writes an in-progress record that expires in 24 h', async () => {
    // Prepare
    const request = newRequest();

    // Act
    const outcome = await store.begin({ ...request, now: startedAt });

    // Assess
    expect(outcome).toEqual({ kind: 'new' });
    expect(await readItem(request.ownerId, request.key)).toMatchObject({
      status: 'IN_PROGRESS',
      request_hash: request.requestHash,
      ttl: Math.floor(startedAt.getTime() / 1000) + 86_400,
    });
  });

  it('stores the key as its sha256 in the partition key, never the key itself', () => {
    const keyHash = createHash('sha256').update('my key').digest('hex');

    expect(idempotencyKey('alice', 'my key')).toEqual({
      pk: `IDEMPOTENCY#alice#${keyHash}`,
      sk: 'IDEMPOTENCY',
    });
  });

  it('replays the stored response to the same request after complete', async () => {
    // Prepare
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });
    await store.complete({ ...request, response, now: seconds(1) });

    // Act
    const outcome = await store.begin({ ...request, now: seconds(2) });

    // Assess
    expect(outcome).toEqual({ kind: 'replay', response });
  });

  it('replays a response without a body as one without a body', async () => {
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });
    await store.complete({ ...request, response: { status: 204, headers: {} }, now: seconds(1) });

    expect(await store.begin({ ...request, now: seconds(2) })).toEqual({
      kind: 'replay',
      response: { status: 204, headers: {} },
    });
  });

  it('answers mismatch to a different request under a completed key', async () => {
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });
    await store.complete({ ...request, response, now: seconds(1) });

    const outcome = await store.begin({ ...request, requestHash: 'hash-of-request-b', now: seconds(2) });

    expect(outcome).toEqual({ kind: 'mismatch' });
  });

  it('answers mismatch to a different request under a key still in progress', async () => {
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });

    const outcome = await store.begin({ ...request, requestHash: 'hash-of-request-b', now: seconds(1) });

    expect(outcome).toEqual({ kind: 'mismatch' });
  });

  it('answers in-progress to a second begin of the same request before complete', async () => {
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });

    const outcome = await store.begin({ ...request, now: seconds(59) });

    expect(outcome).toEqual({ kind: 'in-progress' });
  });

  it('lets exactly one of many concurrent begins of the same request run', async () => {
    const request = newRequest();

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => store.begin({ ...request, now: startedAt })),
    );

    expect(outcomes.filter((outcome) => outcome.kind === 'new')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === 'in-progress')).toHaveLength(9);
  });

  it('takes over an in-progress record abandoned for over 60 s', async () => {
    // Prepare
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });

    // Act
    const outcome = await store.begin({ ...request, now: seconds(61) });

    // Assess
    expect(outcome).toEqual({ kind: 'new' });
    expect(await readItem(request.ownerId, request.key)).toMatchObject({
      status: 'IN_PROGRESS',
      started_at: seconds(61).getTime(),
    });
  });

  it('never takes over a completed record, however old, while it is live', async () => {
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });
    await store.complete({ ...request, response, now: seconds(1) });

    const outcome = await store.begin({ ...request, now: seconds(86_000) });

    expect(outcome).toEqual({ kind: 'replay', response });
  });

  it('lets a retry begin anew after release', async () => {
    // Prepare
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });

    // Act
    await store.release(request);
    const outcome = await store.begin({ ...request, now: seconds(1) });

    // Assess
    expect(outcome).toEqual({ kind: 'new' });
  });

  it('does not release a completed record, nor the record of another request', async () => {
    const completed = newRequest();
    await store.begin({ ...completed, now: startedAt });
    await store.complete({ ...completed, response, now: seconds(1) });
    const running = newRequest();
    await store.begin({ ...running, now: startedAt });

    await store.release(completed);
    await store.release({ ...running, requestHash: 'hash-of-request-b' });

    expect(await store.begin({ ...completed, now: seconds(2) })).toEqual({ kind: 'replay', response });
    expect(await store.begin({ ...running, now: seconds(2) })).toEqual({ kind: 'in-progress' });
  });

  it('releases a key that holds nothing without failing', async () => {
    await expect(store.release(newRequest())).resolves.toBeUndefined();
  });

  it('treats a record past its ttl as absent, though DynamoDB has not deleted it yet', async () => {
    // Prepare
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });
    await store.complete({ ...request, response, now: seconds(1) });

    // Act
    const sameRequest = await store.begin({ ...request, now: seconds(86_402) });
    const other = newRequest();
    await store.begin({ ...other, now: startedAt });
    await store.complete({ ...other, response, now: seconds(1) });
    const otherRequest = await store.begin({
      ...other,
      requestHash: 'hash-of-request-b',
      now: seconds(86_402),
    });

    // Assess
    expect(sameRequest).toEqual({ kind: 'new' });
    expect(otherRequest).toEqual({ kind: 'new' });
  });

  it('keeps the records of different owners using the same key apart', async () => {
    // Prepare
    const alice = newRequest('alice');
    const bob = { ...alice, ownerId: 'bob', requestHash: 'hash-of-request-b' };
    await store.begin({ ...alice, now: startedAt });
    await store.complete({ ...alice, response, now: seconds(1) });

    // Act
    const outcome = await store.begin({ ...bob, now: seconds(2) });

    // Assess
    expect(outcome).toEqual({ kind: 'new' });
    expect(await store.begin({ ...alice, now: seconds(3) })).toEqual({ kind: 'replay', response });
  });

  it('refuses to complete a request whose record was released', async () => {
    const request = newRequest();
    await store.begin({ ...request, now: startedAt });
    await store.release(request);

    await expect(store.complete({ ...request, response, now: seconds(1) })).rejects.toBeInstanceOf(
      IdempotencyRecordMissingError,
    );
  });
});
