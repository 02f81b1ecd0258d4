import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { DomainError, ValidationError } from '../../../../lib/domain/errors';
import type { HttpEvent, HttpResult } from '../../../../lib/http/http-handler';
import { idempotency, MAX_STORED_BODY_BYTES } from '../../../../lib/http/idempotency';
import { withMiddleware } from '../../../../lib/http/middleware';
import { errorResponse } from '../../../../lib/http/responses';
import type {
  BeginResult,
  IdempotencyRequest,
  IdempotencyStore,
  StoredResponse,
} from '../../../../lib/ports/idempotency-store';
import { httpEvent, lambdaContext } from '../../../support/http-events';

/** The store's contract in memory: one record per owner and key, no expiry. */
class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, { requestHash: string; response?: StoredResponse }>();
  readonly calls: string[] = [];

  async begin({ ownerId, key, requestHash }: IdempotencyRequest): Promise<BeginResult> {
    this.calls.push('begin');
    const record = this.records.get(`${ownerId}\n${key}`);
    if (!record) {
      this.records.set(`${ownerId}\n${key}`, { requestHash });
      return { kind: 'new' };
    }
    if (record.requestHash !== requestHash) return { kind: 'mismatch' };
    return record.response ? { kind: 'replay', response: record.response } : { kind: 'in-progress' };
  }

  async complete({ ownerId, key, requestHash, response }: IdempotencyRequest & { response: StoredResponse }) {
    this.calls.push('complete');
    this.records.set(`${ownerId}\n${key}`, { requestHash, response });
  }

  async release({ ownerId, key, requestHash }: IdempotencyRequest) {
    this.calls.push('release');
    const record = this.records.get(`${ownerId}\n${key}`);
    if (record && !record.response && record.requestHash === requestHash)
      this.records.delete(`${ownerId}\n${key}`);
  }
}

const createdResponse: HttpResult = {
  statusCode: 201,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: '{"data":{"id":"6740c3f2a1b2c3d4e5f60718"}}',
};

/** A store, a counting handler answering `answer`, and the middleware around it. */
function setup(answer: () => HttpResult | Promise<HttpResult> = () => createdResponse) {
  const store = new InMemoryIdempotencyStore();
  const warn = vi.fn();
  const handle = vi.fn(async () => answer());
  const handler = withMiddleware(
    [idempotency(store, { now: () => new Date('2026-11-22T10:00:00.000Z'), warn })],
    handle,
  );
  const call = (event: HttpEvent) =>
    handler(event, lambdaContext) as Promise<APIGatewayProxyStructuredResultV2>;
  return { store, warn, handle, call };
}

function post(body: string, key: string | null = 'key-1', sub = 'alice'): HttpEvent {
  return httpEvent({
    routeKey: 'POST /v1/containers',
    body,
    claims: { sub, scope: 'containers:write' },
    ...(key === null ? {} : { headers: { 'idempotency-key': key } }),
  });
}

describe('idempotency middleware', () => {
  it('runs the handler once for the same key and body, and replays the first answer marked as replayed', async () => {
    // Prepare
    const { handle, call } = setup();

    // Act
    const first = await call(post('{"name":"dev"}'));
    const second = await call(post('{"name":"dev"}'));

    // Assess
    expect(handle).toHaveBeenCalledTimes(1);
    expect(first).toEqual(createdResponse);
    expect(second).toEqual({
      ...createdResponse,
      headers: { ...createdResponse.headers, 'idempotent-replayed': 'true' },
    });
  });

  it('throws IDEMPOTENCY_KEY_REUSED for the same key with a different body, without running the handler', async () => {
    // Prepare
    const { handle, call } = setup();
    await call(post('{"name":"dev"}'));

    // Act
    const reuse = call(post('{"name":"prod"}'));

    // Assess
    await expect(reuse).rejects.toBeInstanceOf(DomainError);
    await expect(reuse).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(handle).toHaveBeenCalledTimes(1);
  });

  it('treats the same body on another path as a different request', async () => {
    const { call } = setup();
    await call(post('{}'));
    const otherPath = httpEvent({
      routeKey: 'POST /v1/containers/{id}/stop',
      body: '{}',
      headers: { 'idempotency-key': 'key-1' },
    });

    await expect(call(otherPath)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('throws a 409 OPERATION_STATE_CONFLICT while the same request is still in progress', async () => {
    // Prepare
    let finish: (result: HttpResult) => void = () => undefined;
    const { handle, call } = setup(() => new Promise<HttpResult>((resolve) => (finish = resolve)));
    const first = call(post('{}'));
    await vi.waitFor(() => expect(handle).toHaveBeenCalledTimes(1));

    // Act
    const duplicate = call(post('{}'));

    // Assess
    await expect(duplicate).rejects.toMatchObject({
      code: 'OPERATION_STATE_CONFLICT',
      message: expect.stringMatching(/Idempotency-Key is still in progress/),
    });
    finish(createdResponse);
    await expect(first).resolves.toEqual(createdResponse);
  });

  it('never touches GET requests, even with a key', async () => {
    const { store, handle, call } = setup(() => ({ statusCode: 200, body: '{}' }));
    const get = httpEvent({ routeKey: 'GET /v1/containers', headers: { 'idempotency-key': 'key-1' } });

    await call(get);
    await call(get);

    expect(handle).toHaveBeenCalledTimes(2);
    expect(store.calls).toEqual([]);
  });

  it('guards DELETE as it guards POST', async () => {
    const { handle, call } = setup(() => ({ statusCode: 202 }));
    const remove = httpEvent({
      routeKey: 'DELETE /v1/containers/{id}',
      headers: { 'idempotency-key': 'key-1' },
    });

    await call(remove);
    const second = await call(remove);

    expect(handle).toHaveBeenCalledTimes(1);
    expect(second).toEqual({ statusCode: 202, headers: { 'idempotent-replayed': 'true' } });
  });

  it('runs the handler normally every time when there is no key', async () => {
    const { store, handle, call } = setup();

    await call(post('{}', null));
    await call(post('{}', null));

    expect(handle).toHaveBeenCalledTimes(2);
    expect(store.calls).toEqual([]);
  });

  it('skips a request without a subject: the caller check rejects it', async () => {
    const { store, handle, call } = setup();
    const anonymous = httpEvent({
      routeKey: 'POST /v1/containers',
      body: '{}',
      claims: {},
      headers: { 'idempotency-key': 'k' },
    });

    await call(anonymous);

    expect(handle).toHaveBeenCalledTimes(1);
    expect(store.calls).toEqual([]);
  });

  it.each([
    ['longer than 255 characters', 'k'.repeat(256)],
    ['empty', ''],
    ['not ASCII', 'clé-1'],
    ['holding a control character', 'key\t1'],
  ])('throws ValidationError for a key %s, before the handler runs', async (_label, key) => {
    const { store, handle, call } = setup();

    const result = call(post('{}', key));

    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toMatchObject({
      details: [{ field: 'headers.idempotency-key', message: expect.any(String) }],
    });
    expect(handle).not.toHaveBeenCalled();
    expect(store.calls).toEqual([]);
  });

  it('accepts a key of exactly 255 printable characters', async () => {
    const { handle, call } = setup();

    await call(post('{}', `${'k'.repeat(250)} !~{}`));

    expect(handle).toHaveBeenCalledTimes(1);
  });

  it('keeps the keys of different owners apart', async () => {
    const { handle, call } = setup();

    await call(post('{"name":"a"}', 'shared', 'alice'));
    const bob = await call(post('{"name":"b"}', 'shared', 'bob'));

    expect(handle).toHaveBeenCalledTimes(2);
    expect(bob.headers?.['idempotent-replayed']).toBeUndefined();
  });

  it('releases the key after a 5xx response, so that a retry runs the handler again', async () => {
    // Prepare
    const answers: HttpResult[] = [{ statusCode: 503, body: '{}' }, createdResponse];
    const { store, handle, call } = setup(() => answers.shift() ?? createdResponse);

    // Act
    const first = await call(post('{}'));
    const retry = await call(post('{}'));

    // Assess
    expect(first.statusCode).toBe(503);
    expect(retry).toEqual(createdResponse);
    expect(handle).toHaveBeenCalledTimes(2);
    expect(store.calls).toEqual(['begin', 'release', 'begin', 'complete']);
  });

  it('releases the key when the handler throws, and rethrows the very same error', async () => {
    // Prepare
    const failure = new DomainError('CONTAINER_NOT_FOUND', 'Container not found');
    const { store, handle, call } = setup(() => {
      throw failure;
    });

    // Act
    const first = call(post('{}'));

    // Assess
    await expect(first).rejects.toBe(failure);
    expect(store.calls).toEqual(['begin', 'release']);
    await expect(call(post('{}'))).rejects.toBe(failure);
    expect(handle).toHaveBeenCalledTimes(2);
  });

  it('keeps the original error when release itself fails, and logs a warning', async () => {
    const failure = new Error('boom');
    const { store, warn, call } = setup(() => {
      throw failure;
    });
    vi.spyOn(store, 'release').mockRejectedValue(new Error('DynamoDB unavailable'));

    await expect(call(post('{}'))).rejects.toBe(failure);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'idempotency key not released' }));
  });

  it('does not store a body of 350 KB or more: it releases the key and logs a warning', async () => {
    // Prepare
    const large: HttpResult = { statusCode: 200, body: 'x'.repeat(MAX_STORED_BODY_BYTES) };
    const { store, warn, handle, call } = setup(() => large);

    // Act
    await call(post('{}'));
    await call(post('{}'));

    // Assess
    expect(handle).toHaveBeenCalledTimes(2);
    expect(store.calls).toEqual(['begin', 'release', 'begin', 'release']);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringMatching(/too large/) }),
    );
  });

  it('still answers the handler response when storing it fails', async () => {
    const { store, warn, call } = setup();
    vi.spyOn(store, 'complete').mockRejectedValue(new Error('DynamoDB unavailable'));

    await expect(call(post('{}'))).resolves.toEqual(createdResponse);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'idempotency response not stored' }),
    );
  });

  it('inside an error mapper, lets the mapper answer 422 and releases the key of a failed request first', async () => {
    // Prepare: the order the HTTP factory uses, error mapper outermost.
    const store = new InMemoryIdempotencyStore();
    const seen: string[] = [];
    const answers: Array<() => HttpResult> = [
      () => {
        throw new DomainError('OPERATION_STATE_CONFLICT', 'Operation not allowed');
      },
      () => createdResponse,
    ];
    const mapper = {
      onError: (request: { error: Error | undefined; response: HttpResult | undefined }) => {
        seen.push(`mapper saw ${store.calls.at(-1)}`);
        request.response = errorResponse(request.error, 'req-1');
      },
    };
    const handler = withMiddleware([mapper, idempotency(store)], async () =>
      (answers.shift() ?? (() => createdResponse))(),
    );

    // Act
    const conflict = (await handler(post('{"a":1}'), lambdaContext)) as HttpResult;
    const retry = (await handler(post('{"a":1}'), lambdaContext)) as HttpResult;
    const reuse = (await handler(post('{"a":2}'), lambdaContext)) as HttpResult;

    // Assess
    expect(seen[0]).toBe('mapper saw release');
    expect(conflict.statusCode).toBe(409);
    expect(retry).toEqual(createdResponse);
    expect(reuse.statusCode).toBe(422);
    expect(JSON.parse(reuse.body ?? '{}')).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(store.calls).toEqual(['begin', 'release', 'begin', 'complete', 'begin']);
  });
});
