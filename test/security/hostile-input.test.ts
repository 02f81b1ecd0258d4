/**
 * Hostile input through the gateway: whatever arrives (random paths, queries, headers, bodies that
 * are huge, deep, not JSON, not UTF-8, full of `__proto__`), the answer is a 4xx with a contract
 * error (or the gateway's own 404/413 message), never a 5xx, and nothing is stored.
 */
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorTable } from '../../lib/http/error-table';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
/** An id nobody has: writes aimed at it can change nothing. */
const absentId = '6740c3f2a1b2c3d4e5f60718';
const contractCodes = new Set(Object.keys(errorTable));
const gatewayMessages = new Set(['Not Found', 'Request Entity Too Large', 'Forbidden']);
const operations = ['start', 'stop', 'force-stop', 'restart', 'pause', 'resume', 'activity'];

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

interface Received {
  readonly status: number;
  readonly text: string;
}

/** Why an answer breaks the property, or undefined when it keeps it. */
function violation(sent: Sent, received: Received): string | undefined {
  if (received.status >= 500) return `${received.status} ${received.text}`;
  if (received.status < 400) {
    return sent.method === 'GET' ? undefined : `${sent.method} succeeded with ${received.status}`;
  }
  let body: { error?: { code?: string; request_id?: string }; message?: string };
  try {
    body = JSON.parse(received.text);
  } catch {
    return `a ${received.status} without a JSON body: ${received.text.slice(0, 200)}`;
  }
  if (body.error?.code !== undefined) {
    const expected = errorTable[body.error.code as keyof typeof errorTable]?.status;
    if (!contractCodes.has(body.error.code)) return `unknown code ${body.error.code}`;
    if (expected !== received.status) return `${body.error.code} sent with ${received.status}`;
    return undefined;
  }
  if (body.message !== undefined && gatewayMessages.has(body.message)) return undefined;
  return `a ${received.status} that is neither a contract error nor a gateway message: ${received.text}`;
}

const pathSegment = fc.oneof(
  fc.constantFrom('containers', absentId, 'status', 'status-logs', 'health', ...operations),
  fc.constantFrom(
    '..',
    '.',
    '%00',
    '%2F',
    '%ZZ',
    '%C0%AF',
    '__proto__',
    'constructor',
    absentId.toUpperCase(),
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^[0-9a-f]{20,28}$/),
);

const queryKey = fc.oneof(
  fc.constantFrom(
    'status',
    'project_id',
    'per_page',
    'limit',
    'page',
    'cursor',
    'sort_order',
    'sort_by',
    'owner_id',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 12 }),
);
const queryValue = fc.oneof(
  fc.constantFrom('', '0', '-1', '1e309', 'NaN', '100000', '2', 'asc', 'running', '[]', '{}', '\u0000'),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.nat({ max: 4000 }).map((length) => 'A'.repeat(length)),
);
const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`));

/** Nested arrays and objects `depth` levels deep, as text: JSON.parse must cope, zod must refuse. */
const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 50_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );
/** Never a valid name, so no hostile body can create a container by luck. */
const invalidName = fc.oneof(
  fc.string({ unit: 'grapheme' }).map((text) => `${text}X`),
  fc.constant('ok\u0000'),
  fc.anything().filter((value) => typeof value !== 'string'),
);
/** JSON object text with wrong types, `__proto__` and `constructor` keys as own properties. */
const hostileObject = fc
  .tuple(
    fc.record(
      {
        name: invalidName,
        image: fc.oneof(fc.constant(image), fc.string(), fc.anything()),
        cpu_units: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
        environment: fc.dictionary(fc.string(), fc.anything()),
        command: fc.anything(),
        start: fc.anything(),
      },
      { requiredKeys: ['name'] },
    ),
    fc.option(fc.json({ maxDepth: 2 })),
    fc.option(fc.json({ maxDepth: 2 })),
    fc.boolean(),
  )
  .map(([record, proto, constructorValue, pollutingEnvironment]) => {
    const fields = Object.entries(record).map(
      ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`,
    );
    if (proto !== null) fields.push(`"__proto__":${proto}`);
    if (constructorValue !== null) fields.push(`"constructor":${constructorValue}`);
    if (pollutingEnvironment) fields.push('"environment":{"__proto__":{"polluted":"yes"}}');
    return `{${fields.join(',')}}`;
  });
const body: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  hostileObject,
  fc.anything().map((value) => JSON.stringify(value) ?? 'undefined'),
  deepJson,
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }),
  // Invalid UTF-8: lone continuation bytes and an overlong NUL, inside something JSON-like.
  fc.constant(Uint8Array.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0x80, 0xc0, 0x80, 0xff, 0x22, 0x7d])),
  fc.nat({ max: 200_000 }).map((length) => JSON.stringify({ name: 'x'.repeat(length), image })),
);

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,300}$/);
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=latin1',
      'text/plain',
      'application/octet-stream',
      'multipart/form-data; boundary=x',
      '',
    ),
    'idempotency-key': fc.oneof(headerValue, fc.constant('k'.repeat(1000))),
    'x-forwarded-for': headerValue,
    'x-amzn-trace-id': headerValue,
    'if-match': headerValue,
  },
  { requiredKeys: [] },
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'),
  path: fc.array(pathSegment, { maxLength: 5 }).map((segments) => `/v1/${segments.join('/')}`),
  query,
  headers,
  body,
});

describe('hostile input through the gateway never causes a 5xx or a write', () => {
  let stack: LocalStack;
  let token: string;
  let before: unknown;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 50 });
    token = await stack.token('alice');
    const created = await stack.api('POST', '/v1/containers', {
      as: 'alice',
      body: { name: 'keep', image, start: false },
    });
    expect(created.status).toBe(201);
    before = await aliceContainers();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function send(sent: Sent): Promise<Received> {
    const hasBody = sent.body !== undefined && !['GET', 'OPTIONS'].includes(sent.method);
    const response = await fetch(`${stack.gateway.url}${sent.path}`, {
      method: sent.method,
      headers: { authorization: `Bearer ${token}`, ...sent.headers },
      ...(hasBody ? { body: sent.body } : {}),
    });
    return { status: response.status, text: await response.text() };
  }

  async function aliceContainers() {
    const list = await stack.api('GET', '/v1/containers?per_page=100', { as: 'alice' });
    return list.body.data.containers.map((container: { id: string; version: number; status: string }) => [
      container.id,
      container.version,
      container.status,
    ]);
  }

  it('answers random requests under /v1 with a contract 4xx (or a read), never a 5xx', async () => {
    // Prepare
    const seen: string[] = [];

    // Act
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path, query, headers, body }) => {
        const sent = { method, path: `${path}${query}`, headers, body };
        const problem = violation(sent, await send(sent));
        if (problem) seen.push(`${method} ${sent.path}: ${problem}`);
        return problem === undefined;
      }),
      { numRuns: 250, seed: 7, endOnFailure: true },
    );

    // Assess
    expect(seen).toEqual([]);
    expect(await aliceContainers()).toEqual(before);
  });

  it('answers hostile create bodies with 400 VALIDATION_ERROR and stores nothing', async () => {
    // Prepare
    const bodies = fc.oneof(body, hostileObject);

    // Act
    const answers: Received[] = [];
    await fc.assert(
      fc.asyncProperty(bodies, headers, async (sentBody, sentHeaders) => {
        const received = await send({
          method: 'POST',
          path: '/v1/containers',
          headers: sentHeaders,
          body: sentBody,
        });
        answers.push(received);
        const code = JSON.parse(received.text).error?.code;
        return received.status === 400 && ['VALIDATION_ERROR'].includes(code);
      }),
      { numRuns: 150, seed: 11, endOnFailure: true },
    );

    // Assess
    expect(answers.length).toBeGreaterThan(0);
    expect(await aliceContainers()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers hostile list and status-log queries with 200 or 400, never a 5xx', async () => {
    // Prepare
    const [[id]] = before as [[string]];
    const paths = fc.constantFrom('/v1/containers', `/v1/containers/${id}/status-logs`);

    // Act
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(paths, query, async (path, search) => {
        const received = await send({ method: 'GET', path: `${path}${search}` });
        const problem =
          received.status === 200 || received.status === 400
            ? violation({ method: 'GET', path }, received)
            : `${received.status} ${received.text}`;
        if (problem) problems.push(`${path}${search}: ${problem}`);
        return problem === undefined;
      }),
      { numRuns: 150, seed: 13, endOnFailure: true },
    );

    // Assess
    expect(problems).toEqual([]);
  });

  it('refuses a create body larger than 64 KB with 400 VALIDATION_ERROR naming the body size, storing nothing', async () => {
    // Prepare: every field within its own schema limit, the whole far past what ECS and DynamoDB hold.
    const environment = Object.fromEntries(
      Array.from({ length: 100 }, (_, index) => [`VAR_${index}`, 'v'.repeat(4096)]),
    );
    const command = Array.from({ length: 64 }, () => 'c'.repeat(4096));

    // Act
    const response = await stack.api('POST', '/v1/containers', {
      as: 'alice',
      body: { name: 'too-big', image, start: false, environment, command },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details).toEqual([
      { field: 'body', message: expect.stringMatching(/65536 bytes/) },
    ]);
    expect(await aliceContainers()).toEqual(before);
  });

  it('still accepts a valid create body just under the body limit', async () => {
    // Prepare
    const environment = Object.fromEntries(
      Array.from({ length: 15 }, (_, index) => [`VAR_${index}`, 'v'.repeat(4000)]),
    );

    // Act
    const response = await stack.api('POST', '/v1/containers', {
      as: 'alice',
      body: { name: 'just-fits', image, start: false, environment },
    });
    if (response.status === 201) {
      await stack.api('DELETE', `/v1/containers/${response.body.data.id}`, { as: 'alice' });
    }

    // Assess
    expect(response.status).toBe(201);
    expect(response.body.data.environment_names).toHaveLength(15);
  });

  it('answers a body over the gateway limit with its 413 message, without a 5xx', async () => {
    // Prepare
    const huge = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x20);

    // Act
    const received = await send({ method: 'POST', path: '/v1/containers', body: huge });

    // Assess
    expect(received.status).toBe(413);
    expect(JSON.parse(received.text)).toEqual({ message: 'Request Entity Too Large' });
  });

  it.each([
    ['__proto__', '{"__proto__":"x"}'],
    ['constructor', '{"constructor":"y"}'],
  ])(
    'never drops nor chokes on an environment variable named %s: it is refused or kept',
    async (name, environment) => {
      // Prepare
      const text = `{"name":"env-${name.replaceAll('_', '')}","image":"${image}","start":false,"environment":${environment}}`;

      // Act
      const received = await send({
        method: 'POST',
        path: '/v1/containers',
        headers: { 'content-type': 'application/json' },
        body: text,
      });
      const body = JSON.parse(received.text);
      if (received.status === 201) {
        await stack.api('DELETE', `/v1/containers/${body.data.id}`, { as: 'alice' });
      }

      // Assess
      const outcome = received.status === 201 ? body.data.environment_names : body.error?.code;
      expect([[name], 'VALIDATION_ERROR']).toContainEqual(outcome);
    },
  );
});
