import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';

describe('every contract error, through the gateway', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 2 });
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each([
    [{ name: 'Not-Lower', image }, 'body.name'],
    [{ name: 'ok', image: '' }, 'body.image'],
    [{ name: 'ok', image, cpu_units: 256, memory_mb: 4096 }, 'body.memory_mb'],
    [{ name: 'ok', image, cpu_units: 300 }, 'body.cpu_units'],
    [{ name: 'ok', image, idle_timeout_seconds: 59 }, 'body.idle_timeout_seconds'],
    [{ name: 'ok', image, environment: { 'BAD-NAME': 'x' } }, 'body.environment.BAD-NAME'],
    [{ name: 'ok', image, surprise: true }, 'body'],
    [{ image }, 'body.name'],
  ])('answers 400 VALIDATION_ERROR naming the field for a bad create body %#', async (body, field) => {
    const response = await stack.api('POST', '/v1/containers', { body });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field);
    expect(response.body.error.request_id).toBe(response.headers.get('apigw-requestid'));
  });

  it('answers 400 VALIDATION_ERROR for a body that is not JSON', async () => {
    const response = await stack.api('POST', '/v1/containers', { body: '{"name":' });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
  });

  it.each([
    '/v1/containers/ABC',
    '/v1/containers/6740c3f2a1b2c3d4e5f6071/status',
    '/v1/containers/zz0c3f2a1b2c3d4e5f607189/status-logs',
  ])('answers 400 INVALID_ID_FORMAT for %s', async (path) => {
    const response = await stack.api('GET', path);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_ID_FORMAT');
  });

  it('answers 400 VALIDATION_ERROR for an unknown operation', async () => {
    const response = await stack.api('POST', '/v1/containers/6740c3f2a1b2c3d4e5f60718/explode');

    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'path.operation' })]);
  });

  it('answers 400 INVALID_CURSOR for an edited cursor and for a cursor of another query', async () => {
    // Prepare: two containers and a page of one, so there is a cursor.
    await stack.api('POST', '/v1/containers', { body: { name: 'a', image, start: false } });
    await stack.api('POST', '/v1/containers', { body: { name: 'b', image, start: false } });
    const first = await stack.api('GET', '/v1/containers?per_page=1');
    const cursor: string = first.body.pagination.cursor;

    // Act
    const edited = await stack.api('GET', `/v1/containers?per_page=1&cursor=${cursor.slice(0, -2)}xx`);
    const otherQuery = await stack.api('GET', `/v1/containers?per_page=1&status=running&cursor=${cursor}`);
    const garbage = await stack.api('GET', '/v1/containers?cursor=garbage');
    const next = await stack.api('GET', `/v1/containers?per_page=1&cursor=${cursor}`);

    // Assess
    expect(edited.body.error.code).toBe('INVALID_CURSOR');
    expect(otherQuery.body.error.code).toBe('INVALID_CURSOR');
    expect(garbage.body.error.code).toBe('INVALID_CURSOR');
    expect(next.status).toBe(200);
    expect(next.body.pagination).toMatchObject({ page: 2, has_next_page: false, total: 2, count: 1 });
  });

  it('answers 403 QUOTA_EXCEEDED past the owner limit and stores nothing', async () => {
    const response = await stack.api('POST', '/v1/containers', { body: { name: 'c', image } });
    const list = await stack.api('GET', '/v1/containers');

    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { limit: 2 } });
    expect(list.body.pagination.total).toBe(2);
    expect(list.body.quota).toEqual({ limit: 2, used: 2 });
  });

  it('answers 401 MISSING_TOKEN, INVALID_TOKEN and TOKEN_EXPIRED as the gateway does', async () => {
    const missing = await stack.api('GET', '/v1/containers', { token: null });
    const invalid = await stack.api('GET', '/v1/containers', { token: 'not.a.jwt' });
    const expired = await stack.api('GET', '/v1/containers', {
      token: await stack.token('alice', undefined, -60),
    });

    expect([missing.status, invalid.status, expired.status]).toEqual([401, 401, 401]);
    expect([missing.body.error.code, invalid.body.error.code, expired.body.error.code]).toEqual([
      'MISSING_TOKEN',
      'INVALID_TOKEN',
      'TOKEN_EXPIRED',
    ]);
  });

  it('refuses a write with a read-only token with 403, at the gateway as API Gateway does', async () => {
    const response = await stack.api('POST', '/v1/containers', {
      scope: 'containers:read',
      body: { name: 'x', image },
    });

    expect(response.status).toBe(403);
  });

  it('answers 404 CONTAINER_NOT_FOUND for an id nobody has', async () => {
    const response = await stack.api('GET', '/v1/containers/6740c3f2a1b2c3d4e5f60718');

    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      code: 'CONTAINER_NOT_FOUND',
      message: 'Container not found',
    });
  });

  it('answers 409 OPERATION_STATE_CONFLICT with the status and allowed operations', async () => {
    const list = await stack.api('GET', '/v1/containers?status=stopped');
    const id = list.body.data.containers[0].id;

    const response = await stack.api('POST', `/v1/containers/${id}/pause`);

    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({
      code: 'OPERATION_STATE_CONFLICT',
      details: { status: 'stopped', allowed_operations: ['start'] },
    });
  });

  it('replays the first answer for a repeated Idempotency-Key and answers 422 IDEMPOTENCY_KEY_REUSED for another body', async () => {
    // Prepare
    const list = await stack.api('GET', '/v1/containers?status=stopped');
    const id = list.body.data.containers[0].id;
    const headers = { 'idempotency-key': `start-${id}` };

    // Act
    const first = await stack.api('POST', `/v1/containers/${id}/start`, { headers });
    const again = await stack.api('POST', `/v1/containers/${id}/start`, { headers });
    const reused = await stack.api('POST', `/v1/containers/${id}/start`, { headers, body: { other: true } });
    const history = await stack.api('GET', `/v1/containers/${id}/status-logs?sort_by=created_at&limit=100`);

    // Assess
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const starts = history.body.data.status_logs.filter(
      (log: { operation: string; triggered_by: string }) =>
        log.operation === 'start' && log.triggered_by === 'user',
    );
    expect(starts).toHaveLength(1);
    await stack.waitForStatus(id, 'running');
  });

  it('answers 403 ACCOUNT_BANNED to a banned owner, and changes nothing', async () => {
    // Prepare
    await stack.dynamoDb.send(
      new PutItemCommand({
        TableName: stack.tableName,
        Item: {
          pk: { S: 'OWNER#mallory' },
          sk: { S: 'OWNER' },
          owner_id: { S: 'mallory' },
          banned: { BOOL: true },
        },
      }),
    );

    // Act
    const response = await stack.api('POST', '/v1/containers', { as: 'mallory', body: { name: 'x', image } });
    const list = await stack.api('GET', '/v1/containers', { as: 'mallory' });

    // Assess
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('ACCOUNT_BANNED');
    expect(list.body.data.containers).toEqual([]);
  });
});
