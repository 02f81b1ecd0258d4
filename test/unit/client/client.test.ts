import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ClientOptions,
  ContainerApiError,
  ContainerLifecycleClient,
  retryAfterMs,
  type ScheduleRequest,
  WaitForStatusError,
} from '../../../client';

interface Scripted {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

interface Received {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const id = '6740c3f2a1b2c3d4e5f60718';
const now = Date.parse('2026-11-22T10:30:00.000Z');

/** A tiny API on 127.0.0.1 that answers from a script and records what it was asked. */
let server: Server;
let baseUrl: string;
let script: Array<Scripted | ((request: Received) => Scripted)>;
let received: Received[];
let sleeps: number[];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = {
        method: request.method ?? '',
        url: new URL(request.url ?? '/', 'http://127.0.0.1'),
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(seen);
      const next = script.shift() ?? { status: 500, body: 'script exhausted' };
      const answer = typeof next === 'function' ? next(seen) : next;
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? '');
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.status === 204 ? undefined : text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  script = [];
  received = [];
  sleeps = [];
});

function aClient(options: Partial<ClientOptions> = {}) {
  return new ContainerLifecycleClient({
    baseUrl,
    token: 'the-token',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => now,
    ...options,
  });
}

function aContainer(overrides: Record<string, unknown> = {}) {
  return { id, name: 'dev-box', status: 'running', version: 3, status_reason: null, ...overrides };
}

const rateLimited = (retryAfter: string): Scripted => ({
  status: 429,
  headers: { 'retry-after': retryAfter },
  body: { error: { code: 'RATE_LIMITED', message: 'Too many requests', request_id: 'r-429' } },
});

const noCapacity = (retryAfter: string): Scripted => ({
  status: 503,
  headers: { 'retry-after': retryAfter },
  body: { error: { code: 'CAPACITY_UNAVAILABLE', message: 'No capacity', request_id: 'r-503' } },
});

describe('the client retries throttled and unavailable answers', () => {
  it('waits the seconds a 429 Retry-After names, then answers with the retried request', async () => {
    // Prepare
    script = [rateLimited('2'), { status: 200, body: { data: aContainer() } }];

    // Act
    const container = await aClient().get(id);

    // Assess
    expect(container.status).toBe('running');
    expect(sleeps).toEqual([2000]);
    expect(received.map((request) => request.url.pathname)).toEqual([
      `/v1/containers/${id}`,
      `/v1/containers/${id}`,
    ]);
  });

  it('waits until the HTTP date a 503 Retry-After names', async () => {
    script = [
      noCapacity(new Date(now + 7000).toUTCString()),
      { status: 200, body: { data: { status: 'ok' } } },
    ];

    await aClient().health();

    expect(sleeps).toEqual([7000]);
  });

  it('retries a create on 503 with the same generated Idempotency-Key, so it can only happen once', async () => {
    script = [noCapacity('1'), { status: 201, body: { data: { ...aContainer(), operation_id: 'op' } } }];

    const created = await aClient().create({ name: 'dev-box', image: 'python:3.13' });

    expect(created.operation_id).toBe('op');
    const [first, second] = received;
    expect(first?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
    expect(JSON.parse(second?.body ?? '')).toEqual({ name: 'dev-box', image: 'python:3.13' });
    expect(second?.headers['content-type']).toBe('application/json');
  });

  it('sends the caller’s Idempotency-Key and If-Match as given', async () => {
    script = [
      { status: 202, body: { data: { operation_id: 'op', container: aContainer(), transition: {} } } },
    ];

    await aClient().stop(id, { idempotencyKey: 'stop-once', ifMatch: 3 });

    expect(received[0]?.method).toBe('POST');
    expect(received[0]?.url.pathname).toBe(`/v1/containers/${id}/stop`);
    expect(received[0]?.headers['idempotency-key']).toBe('stop-once');
    expect(received[0]?.headers['if-match']).toBe('"3"');
  });

  it('never retries a POST sent without an Idempotency-Key: the 503 goes to the caller', async () => {
    script = [noCapacity('1'), { status: 202, body: { data: {} } }];

    const error = await aClient()
      .start(id, { idempotencyKey: null })
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ContainerApiError);
    expect(error).toMatchObject({ status: 503, code: 'CAPACITY_UNAVAILABLE', retryAfterSeconds: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['idempotency-key']).toBeUndefined();
    expect(sleeps).toEqual([]);
  });

  it('gives up after the configured retries and throws the last answer', async () => {
    script = [rateLimited('1'), rateLimited('1'), rateLimited('1')];

    const error = await aClient({ retries: 2 })
      .list()
      .catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ name: 'ContainerApiError', status: 429, code: 'RATE_LIMITED' });
    expect(received).toHaveLength(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('does not wait out a Retry-After longer than the maximum delay', async () => {
    script = [rateLimited('120')];

    const error = await aClient({ maxRetryDelayMs: 10_000 })
      .status(id)
      .catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 120 });
    expect(received).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('backs off when a 503 names no Retry-After', async () => {
    script = [
      { status: 503, body: { message: 'Service Unavailable' } },
      { status: 200, body: { data: {} } },
    ];

    await aClient().idle(id);

    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(sleeps[0]).toBeLessThan(500);
  });

  it('does not retry other errors', async () => {
    script = [
      { status: 500, body: { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } } },
    ];

    await expect(aClient().get(id)).rejects.toMatchObject({ status: 500, code: 'INTERNAL_SERVER_ERROR' });
    expect(received).toHaveLength(1);
  });

  it('retries a GET after a network error, but not a POST', async () => {
    // Prepare: a fetch that fails once before it reaches the server.
    let failures = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (failures++ === 0)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
        });
      return fetch(input, init);
    };
    script = [{ status: 200, body: { data: aContainer() } }];

    // Act
    const container = await aClient({ fetch: flaky }).get(id);
    failures = 0;
    const error = await aClient({ fetch: flaky })
      .create({ name: 'dev-box', image: 'python:3.13' })
      .catch((thrown: unknown) => thrown);

    // Assess
    expect(container.id).toBe(id);
    expect(error).toMatchObject({ name: 'ContainerApiError', status: 0, code: 'NETWORK_ERROR' });
    expect((error as Error).message).toBe(`cannot reach ${baseUrl}: ECONNRESET`);
    expect(received).toHaveLength(1);
  });
});

describe('the client maps every failure to a ContainerApiError', () => {
  it('carries the contract error’s status, code, message, details and request id', async () => {
    script = [
      {
        status: 409,
        body: {
          error: {
            code: 'OPERATION_STATE_CONFLICT',
            message: 'Cannot pause a stopped container',
            request_id: 'req-1',
            details: { status: 'stopped', allowed_operations: ['start', 'force-stop'] },
          },
        },
      },
    ];

    const error = await aClient()
      .pause(id)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ContainerApiError);
    expect(error).toMatchObject({
      name: 'ContainerApiError',
      status: 409,
      code: 'OPERATION_STATE_CONFLICT',
      message: 'Cannot pause a stopped container',
      requestId: 'req-1',
      details: { status: 'stopped', allowed_operations: ['start', 'force-stop'] },
    });
  });

  it.each([
    [401, 'Unauthorized', 'INVALID_TOKEN'],
    [403, 'Forbidden', 'INSUFFICIENT_PERMISSIONS'],
    [404, 'Not Found', 'UNEXPECTED_RESPONSE'],
  ])('maps the gateway’s own %i {"message": "%s"} to %s', async (status, message, code) => {
    script = [{ status, body: { message }, headers: { 'apigw-requestid': 'gw-1' } }];

    await expect(aClient().get(id)).rejects.toMatchObject({ status, code, message, requestId: 'gw-1' });
  });

  it('reports a success whose body is not JSON as UNEXPECTED_RESPONSE', async () => {
    script = [{ status: 200, body: '<html>' }];

    await expect(aClient().get(id)).rejects.toMatchObject({ status: 200, code: 'UNEXPECTED_RESPONSE' });
  });

  it('refuses to be built without a token or a URL', () => {
    expect(() => new ContainerLifecycleClient({ baseUrl })).toThrow('a token or getToken is required');
    expect(() => new ContainerLifecycleClient({ baseUrl: 'not a url', token: 't' })).toThrow(TypeError);
  });
});

describe('the client sends what the contract asks', () => {
  it('asks getToken before every attempt and names itself in User-Agent', async () => {
    let issued = 0;
    script = [rateLimited('0'), { status: 200, body: { data: {} } }];

    await aClient({ getToken: async () => `token-${++issued}`, userAgent: 'clc-test/1' }).status(id);

    expect(received.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(received[0]?.headers['user-agent']).toBe('clc-test/1');
  });

  it('accepts a base URL that ends in /v1/', async () => {
    script = [{ status: 200, body: { data: { status: 'ok' } } }];

    await aClient({ baseUrl: `${baseUrl}/v1/` }).health();

    expect(received[0]?.url.pathname).toBe('/v1/health');
  });

  it('lists every page by cursor through listAll, keeping the query', async () => {
    // Prepare
    const page = (ids: string[], cursor: string | null) => ({
      status: 200,
      body: {
        data: { containers: ids.map((name) => aContainer({ name })) },
        pagination: {
          has_next_page: cursor !== null,
          cursor,
          count: ids.length,
          total: 5,
          page: 1,
          per_page: 2,
        },
        quota: { limit: 5, used: 5 },
      },
    });
    script = [page(['a', 'b'], 'c1'), page(['c', 'd'], 'c2'), page(['e'], null)];

    // Act
    const names: string[] = [];
    for await (const container of aClient().listAll({ status: 'running', per_page: 2 })) {
      names.push(container.name);
    }

    // Assess
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(received.map((request) => Object.fromEntries(request.url.searchParams))).toEqual([
      { status: 'running', per_page: '2' },
      { status: 'running', per_page: '2', cursor: 'c1' },
      { status: 'running', per_page: '2', cursor: 'c2' },
    ]);
  });

  it('follows the status history by cursor through statusLogsAll', async () => {
    const page = (versions: number[], cursor: string | null) => ({
      status: 200,
      body: {
        data: { status_logs: versions.map((version) => ({ version })) },
        pagination: { has_next_page: cursor !== null, cursor, total: 3, page: 1, limit: 2, total_pages: 2 },
      },
    });
    script = [page([1, 2], 'next'), page([3], null)];

    const versions: number[] = [];
    for await (const log of aClient().statusLogsAll(id, { sort_order: 'asc', limit: 2 }))
      versions.push(log.version);

    expect(versions).toEqual([1, 2, 3]);
    expect(received[1]?.url.search).toBe('?limit=2&sort_order=asc&cursor=next');
  });
});

describe('waitFor uses the server’s long poll', () => {
  it('asks with wait_for and the time left, reports progress, and returns the container once there', async () => {
    script = [
      { status: 200, body: { data: aContainer({ status: 'starting' }) }, headers: { 'retry-after': '1' } },
      { status: 200, body: { data: aContainer({ status: 'running' }) } },
    ];
    const progress: string[] = [];

    const container = await aClient().waitFor(id, 'running', {
      timeoutMs: 60_000,
      onProgress: ({ container: seen }) => progress.push(seen.status),
    });

    expect(container.status).toBe('running');
    expect(progress).toEqual(['starting']);
    expect(received.map((request) => request.url.search)).toEqual([
      '?wait_for=running&timeout=25',
      '?wait_for=running&timeout=25',
    ]);
  });

  it('throws WaitForStatusError when the container settles in another status', async () => {
    script = [{ status: 200, body: { data: aContainer({ status: 'error', status_reason: 'no capacity' }) } }];

    const error = await aClient()
      .waitFor(id, 'running')
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(WaitForStatusError);
    expect(error).toMatchObject({ reason: 'settled', expected: 'running', container: { status: 'error' } });
    expect((error as Error).message).toContain('settled in error (no capacity)');
  });

  it('keeps waiting on a running job through the server’s held polls, but not on a running service', async () => {
    // Prepare: the server holds a running job until it ends, or answers it with Retry-After when its 25 s run out.
    let clock = now;
    const heldPoll = (): Scripted => {
      clock += 25_000;
      return {
        status: 200,
        body: { data: aContainer({ kind: 'job', status: 'running' }) },
        headers: { 'retry-after': '1' },
      };
    };
    script = [
      heldPoll,
      { status: 200, body: { data: aContainer({ kind: 'job', status: 'succeeded', exit_code: 0 }) } },
      { status: 200, body: { data: aContainer({ kind: 'service', status: 'running' }) } },
    ];

    // Act
    const job = await aClient({ now: () => clock }).waitFor(id, 'succeeded', { timeoutMs: 60_000 });
    const service = await aClient()
      .waitFor(id, 'succeeded')
      .catch((thrown: unknown) => thrown);

    // Assess
    expect(job).toMatchObject({ status: 'succeeded', exit_code: 0 });
    expect(received.map((request) => request.url.search).slice(0, 2)).toEqual([
      '?wait_for=succeeded&timeout=25',
      '?wait_for=succeeded&timeout=25',
    ]);
    expect(sleeps).toEqual([]);
    expect(service).toMatchObject({ reason: 'settled', container: { status: 'running' } });
  });

  it('waits on a running job for any status until it ends: a job is not at rest while it runs', async () => {
    script = [
      { status: 200, body: { data: aContainer({ kind: 'job', status: 'running' }) } },
      { status: 200, body: { data: aContainer({ kind: 'job', status: 'succeeded', exit_code: 0 }) } },
    ];

    const error = await aClient()
      .waitFor(id, 'stopped')
      .catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({
      reason: 'settled',
      expected: 'stopped',
      container: { status: 'succeeded' },
    });
    // A server that answered at once (not holding the poll) is asked again no sooner than a second later.
    expect(sleeps).toEqual([1000]);
  });

  it('throws WaitForStatusError with reason timeout when the time runs out', async () => {
    let clock = now;
    script = [
      () => {
        clock += 3000;
        return { status: 200, body: { data: aContainer({ status: 'stopping' }) } };
      },
    ];

    const error = await aClient({ now: () => clock })
      .waitFor(id, 'stopped', { timeoutMs: 2000 })
      .catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ name: 'WaitForStatusError', reason: 'timeout' });
    expect(received[0]?.url.searchParams.get('timeout')).toBe('2');
  });
});

describe('waitForOperation uses the operation’s long poll', () => {
  it('asks again with ?wait= while pending, and returns the operation once it has ended', async () => {
    const operation = { id: `${id}-4-0a1b2c3d`, operation: 'pause', target_status: 'paused' };
    script = [
      { status: 200, body: { data: { ...operation, status: 'pending' } }, headers: { 'retry-after': '1' } },
      { status: 200, body: { data: { ...operation, status: 'failed', reason: 'the task failed' } } },
    ];
    const progress: string[] = [];

    const ended = await aClient().waitForOperation(operation.id, {
      onProgress: ({ operation: seen }) => progress.push(seen.status),
    });

    expect(ended).toMatchObject({ status: 'failed', reason: 'the task failed' });
    expect(progress).toEqual(['pending']);
    expect(received.map((request) => `${request.url.pathname}${request.url.search}`)).toEqual([
      `/v1/operations/${operation.id}?wait=25`,
      `/v1/operations/${operation.id}?wait=25`,
    ]);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['3', 3000],
    [' 0 ', 0],
    [new Date(now + 5000).toUTCString(), 5000],
    [new Date(now - 5000).toUTCString(), 0],
    ['soon', undefined],
  ])('reads %j as %s ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});

describe('the client’s schedule, webhook, project and job methods follow the same conventions', () => {
  const webhookId = 'wh_0123456789abcdef01234567';
  const schedule: ScheduleRequest = {
    time_zone: 'Europe/Berlin',
    windows: [{ days: ['mon'], start: '08:00', stop: '18:00' }],
  };

  it('retries a schedule PUT on 503 without an Idempotency-Key, and tells a new schedule by its 201', async () => {
    script = [noCapacity('1'), { status: 201, body: { data: { source: 'container', ...schedule } } }];

    const put = await aClient().putSchedule({ containerId: id }, schedule);

    expect(put).toMatchObject({ created: true, schedule: { source: 'container' } });
    expect(received.map((request) => [request.method, request.url.pathname])).toEqual([
      ['PUT', `/v1/containers/${id}/schedule`],
      ['PUT', `/v1/containers/${id}/schedule`],
    ]);
    expect(received[1]?.headers['idempotency-key']).toBeUndefined();
    expect(JSON.parse(received[1]?.body ?? '')).toEqual(schedule);
  });

  it('addresses a project’s schedule with the admin’s owner_id, and its preview with count', async () => {
    script = [
      { status: 200, body: { data: { source: 'project' } } },
      { status: 200, body: { data: { transitions: [] } } },
      { status: 204 },
    ];
    const project = { projectId: 'web', ownerId: 'bob' };

    await aClient().getSchedule(project);
    await aClient().previewSchedule(project, { count: 3 });
    await aClient().deleteSchedule({ projectId: 'web' });

    expect(
      received.map((request) => `${request.method} ${request.url.pathname}${request.url.search}`),
    ).toEqual([
      'GET /v1/projects/web/schedule?owner_id=bob',
      'GET /v1/projects/web/schedule/preview?owner_id=bob&count=3',
      'DELETE /v1/projects/web/schedule',
    ]);
    expect(received[2]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries a webhook create on 503 with the same generated Idempotency-Key', async () => {
    script = [noCapacity('1'), { status: 201, body: { data: { id: webhookId, secret: 'whsec_x' } } }];

    const created = await aClient().createWebhook({ url: 'https://example.com/hook' });

    expect(created.secret).toBe('whsec_x');
    const [first, second] = received;
    expect(first?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
  });

  it('answers a replayed webhook create, whose secret the server withholds, with secret null', async () => {
    script = [{ status: 201, headers: { 'webhook-secret': 'withheld' }, body: { data: { id: webhookId } } }];

    const replayed = await aClient().createWebhook(
      { url: 'https://example.com/hook' },
      { idempotencyKey: 'k' },
    );

    expect(replayed).toEqual({ id: webhookId, secret: null });
  });

  it('never retries a redelivery sent without an Idempotency-Key: the 503 goes to the caller', async () => {
    script = [noCapacity('1'), { status: 200, body: { data: {} } }];

    const error = await aClient()
      .redeliver(webhookId, 'dlv_0123456789abcdef01234567', { idempotencyKey: null })
      .catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ status: 503, code: 'CAPACITY_UNAVAILABLE' });
    expect(received).toHaveLength(1);
    expect(received[0]?.url.pathname).toBe(
      `/v1/webhooks/${webhookId}/deliveries/dlv_0123456789abcdef01234567/redeliver`,
    );
  });

  it('unwraps the lists: webhooks with their quota, deliveries and job runs with their pagination', async () => {
    const pagination = { has_next_page: false, cursor: null, count: 0, limit: 5 };
    script = [
      { status: 200, body: { data: { webhooks: [] }, quota: { limit: 10, used: 0 } } },
      { status: 200, body: { data: { deliveries: [] }, pagination } },
      { status: 200, body: { data: { job_id: id, containers: [] }, pagination } },
      { status: 200, body: { data: { containers: [] }, pagination: {}, quota: { limit: 5, used: 0 } } },
    ];

    const webhooks = await aClient().listWebhooks();
    const deliveries = await aClient().listDeliveries(webhookId, { limit: 5 });
    const runs = await aClient().listJobRuns('batch', id, { run_id: 'run_2' });
    const project = await aClient().listProjectContainers('batch', { status: 'running' });

    expect(webhooks).toEqual({ webhooks: [], quota: { limit: 10, used: 0 } });
    expect(deliveries).toEqual({ deliveries: [], pagination });
    expect(runs).toEqual({ job_id: id, containers: [], pagination });
    expect(project.quota).toEqual({ limit: 5, used: 0 });
    expect(received.map((request) => `${request.url.pathname}${request.url.search}`)).toEqual([
      '/v1/webhooks',
      `/v1/webhooks/${webhookId}/deliveries?limit=5`,
      `/v1/projects/batch/jobs/${id}/containers?run_id=run_2`,
      '/v1/projects/batch/containers?status=running',
    ]);
  });

  it('returns the OpenAPI document as the body it is, not under data', async () => {
    script = [{ status: 200, body: { openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: {} } }];

    const document = await aClient().openApi();

    expect(document.openapi).toBe('3.1.0');
    expect(received[0]?.url.pathname).toBe('/v1/openapi.json');
  });
});
