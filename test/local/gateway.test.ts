import { request as httpRequest } from 'node:http';
import type { Context } from 'aws-lambda';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayLogger,
  type GatewayRoute,
  type HttpEvent,
  type HttpHandler,
  type LocalGateway,
  RouteKeyError,
  startLocalGateway,
} from '../../local/gateway';
import { generateLocalJwtKeys, type LocalJwtKeys } from '../../local/jwt-keys';
import { mintToken } from '../../local/tokens';

const ISSUER = 'http://127.0.0.1/test-issuer';
const AUDIENCE = 'test-audience';
const MAX_BODY_BYTES = 1024;

interface Echo {
  readonly tag: string;
  readonly event: HttpEvent;
  readonly context: { awsRequestId: string; functionName: string; remainingMs: number };
}

interface LogLine {
  readonly level: 'info' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const echo =
  (tag: string): HttpHandler =>
  async (event: HttpEvent, context: Context) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tag,
      event,
      context: {
        awsRequestId: context.awsRequestId,
        functionName: context.functionName,
        remainingMs: context.getRemainingTimeInMillis(),
      },
    }),
  });

const routes: GatewayRoute[] = [
  { routeKey: 'GET /v1/containers', handler: echo('list') },
  { routeKey: 'POST /v1/containers', handler: echo('create') },
  { routeKey: 'GET /v1/containers/{id}', handler: echo('get') },
  { routeKey: 'POST /v1/containers/{id}/{operation}', handler: echo('operation') },
  { routeKey: 'POST /v1/containers/{id}/activity', handler: echo('activity') },
  { routeKey: 'GET /v1/files/{path+}', handler: echo('files') },
  { routeKey: 'DELETE /v1/admin/{id}', handler: echo('admin'), authorizationScopes: ['containers:admin'] },
  {
    routeKey: 'GET /v1/boom',
    handler: async () => {
      throw new Error('connection string postgres://secret@db');
    },
  },
  { routeKey: 'GET /v1/text', handler: async () => 'plain result' },
  // Lambda may return any JSON; the handler type only admits what the project's handlers should return.
  { routeKey: 'GET /v1/object', handler: (async () => ({ hello: 'world' })) as HttpHandler },
  {
    routeKey: 'GET /v1/structured',
    handler: async () => ({
      statusCode: 201,
      headers: { 'x-answer': 42, 'content-type': 'application/octet-stream' },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    }),
  },
  { routeKey: 'GET /v1/bad-status', handler: async () => ({ statusCode: 42, body: 'nope' }) },
  {
    routeKey: 'GET /v1/bad-header',
    handler: async () => ({ statusCode: 200, headers: { 'x-bad': 'a\r\nb' } }),
  },
  { routeKey: 'GET /v1/no-content', handler: async () => ({ statusCode: 204 }) },
];

let keys: LocalJwtKeys;
let otherKeys: LocalJwtKeys;
let gateway: LocalGateway;
const logs: LogLine[] = [];
const logger: GatewayLogger = {
  info: (message, fields) => logs.push({ level: 'info', message, fields }),
  error: (message, fields) => logs.push({ level: 'error', message, fields }),
};

beforeAll(async () => {
  [keys, otherKeys] = await Promise.all([generateLocalJwtKeys(), generateLocalJwtKeys()]);
  gateway = await startLocalGateway({
    routes,
    keys,
    issuer: ISSUER,
    audience: AUDIENCE,
    logger,
    maxBodyBytes: MAX_BODY_BYTES,
  });
});

afterAll(async () => {
  await gateway?.close();
});

function token(overrides: Partial<Parameters<typeof mintToken>[0]> = {}): Promise<string> {
  return mintToken({ sub: 'alice', keys, issuer: ISSUER, audience: AUDIENCE, ...overrides });
}

async function authHeaders(
  overrides: Partial<Parameters<typeof mintToken>[0]> = {},
): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await token(overrides)}` };
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) {
    headers.set('authorization', `Bearer ${await token()}`);
  }
  return fetch(`${gateway.url}${path}`, { ...init, headers });
}

async function echoed(response: Response): Promise<Echo> {
  expect(response.status).toBe(200);
  return (await response.json()) as Echo;
}

/** A token with arbitrary header and claims, signed by `signingKeys`. */
function customToken(
  claims: Record<string, unknown>,
  signingKeys: LocalJwtKeys = keys,
  kid: string = signingKeys.kid,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(signingKeys.privateKey);
}

describe('local gateway: event', () => {
  it('passes a payload 2.0 event with route key, raw and decoded path, query, headers and cookies', async () => {
    // Prepare
    const headers = {
      'X-Custom-Header': 'Value',
      cookie: 'session=abc; theme=dark',
      'user-agent': 'gateway-test',
    };

    // Act
    const response = await call('/v1/containers/my%20box?tag=a&tag=b&q=hello%20world&empty=', { headers });

    // Assess
    const { tag, event } = await echoed(response);
    expect(tag).toBe('get');
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/containers/{id}',
      rawPath: '/v1/containers/my%20box',
      rawQueryString: 'tag=a&tag=b&q=hello%20world&empty=',
      pathParameters: { id: 'my box' },
      queryStringParameters: { tag: 'a,b', q: 'hello world', empty: '' },
      cookies: ['session=abc', 'theme=dark'],
      isBase64Encoded: false,
    });
    expect(event.body).toBeUndefined();
    expect(event.headers['x-custom-header']).toBe('Value');
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers.authorization).toMatch(/^Bearer /);
  });

  it('fills requestContext like API Gateway, with the request id also sent as apigw-requestid', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const response = await call('/v1/containers', { headers: { 'user-agent': 'gateway-test' } });

    // Assess
    const { event, context } = await echoed(response);
    const requestContext = event.requestContext;
    expect(requestContext).toMatchObject({
      routeKey: 'GET /v1/containers',
      stage: '$default',
      domainName: '127.0.0.1',
      http: { method: 'GET', path: '/v1/containers', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
    });
    expect(requestContext.http.userAgent).toBe('gateway-test');
    expect(requestContext.requestId).toBe(response.headers.get('apigw-requestid'));
    expect(requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(requestContext.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(event.pathParameters).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.functionName).toBe('local-get-v1-containers');
    expect(context.remainingMs).toBeGreaterThan(0);
    expect(context.remainingMs).toBeLessThanOrEqual(30_000);
  });

  it('joins repeated request headers with commas', async () => {
    // Prepare
    const authorization = `Bearer ${await token()}`;

    // Act
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${gateway.url}/v1/containers`, {
        headers: { authorization, 'x-multi': ['one', 'two'] },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
      req.on('error', reject);
      req.end();
    });

    // Assess
    const { event } = JSON.parse(body) as Echo;
    expect(event.headers['x-multi']).toBe('one,two');
  });

  it('passes verified claims flattened to strings under requestContext.authorizer.jwt, scopes null', async () => {
    // Prepare
    const claims = { groups: ['admins', 'devs'], email_verified: true, profile: { tier: 'gold', seats: 3 } };

    // Act
    const response = await call('/v1/containers', { headers: await authHeaders({ claims }) });

    // Assess
    const { jwt } = (await echoed(response)).event.requestContext.authorizer;
    expect(jwt.scopes).toBeNull();
    expect(jwt.claims).toMatchObject({
      sub: 'alice',
      iss: ISSUER,
      aud: AUDIENCE,
      scope: 'containers:read containers:write',
      groups: '[admins devs]',
      email_verified: 'true',
      profile: 'map[seats:3 tier:gold]',
    });
    expect(jwt.claims.exp).toMatch(/^\d+$/);
    expect(jwt.claims.iat).toMatch(/^\d+$/);
  });

  it('passes a JSON body as UTF-8 text', async () => {
    // Prepare
    const body = JSON.stringify({ name: 'dev-environment', note: 'héllo' });

    // Act
    const response = await call('/v1/containers', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
    });

    // Assess
    const { tag, event } = await echoed(response);
    expect(tag).toBe('create');
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes a binary body base64-encoded with isBase64Encoded true', async () => {
    // Prepare
    const bytes = Buffer.from([0, 159, 146, 150, 255]);

    // Act
    const response = await call('/v1/containers', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });

    // Assess
    const { event } = await echoed(response);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });
});

describe('local gateway: routing', () => {
  it('prefers an exact segment over a path parameter in the same position', async () => {
    // Act
    const activity = await echoed(await call('/v1/containers/abc/activity', { method: 'POST' }));
    const operation = await echoed(await call('/v1/containers/abc/restart', { method: 'POST' }));

    // Assess
    expect(activity.tag).toBe('activity');
    expect(activity.event.routeKey).toBe('POST /v1/containers/{id}/activity');
    expect(activity.event.pathParameters).toEqual({ id: 'abc' });
    expect(operation.tag).toBe('operation');
    expect(operation.event.pathParameters).toEqual({ id: 'abc', operation: 'restart' });
  });

  it('gives a greedy {name+} parameter the rest of the path', async () => {
    // Act
    const { event } = await echoed(await call('/v1/files/a/b%2Fc/d.txt'));

    // Assess
    expect(event.pathParameters).toEqual({ path: 'a/b/c/d.txt' });
  });

  it.each([
    ['an unknown path', 'GET', '/v1/unknown'],
    ['a known path with another method', 'PUT', '/v1/containers/abc'],
    ['a trailing slash', 'GET', '/v1/containers/'],
    ['an extra segment', 'GET', '/v1/containers/abc/status/extra'],
  ])('answers 404 Not Found to %s, before checking the token', async (_, method, path) => {
    // Act
    const response = await fetch(`${gateway.url}${path}`, { method });

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('refuses malformed and duplicate route keys at start', async () => {
    // Prepare
    const handler = echo('x');
    const starts = [
      [{ routeKey: 'FETCH /v1/x', handler }],
      [{ routeKey: 'GET v1/x', handler }],
      [{ routeKey: 'GET /v1/{rest+}/x', handler }],
      [{ routeKey: 'GET /v1//x', handler }],
      [
        { routeKey: 'GET /v1/x', handler },
        { routeKey: 'GET /v1/x', handler },
      ],
    ];

    // Act
    const results = await Promise.allSettled(starts.map((bad) => startLocalGateway({ routes: bad, keys })));

    // Assess
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(result.status === 'rejected' && result.reason).toBeInstanceOf(RouteKeyError);
    }
  });
});

describe('local gateway: JWT authorizer', () => {
  const bearer = async (mint: Promise<string>): Promise<string> => `Bearer ${await mint}`;
  const inSeconds = (seconds: number): number => Math.floor(Date.now() / 1000) + seconds;
  const cases: ReadonlyArray<readonly [string, string, () => Promise<string | undefined>]> = [
    ['no Authorization header', 'MISSING_TOKEN', async () => undefined],
    ['a Basic scheme', 'MISSING_TOKEN', async () => `Basic ${Buffer.from('alice:pw').toString('base64')}`],
    ['a bare token without the Bearer scheme', 'MISSING_TOKEN', () => token()],
    ['Bearer with no token', 'MISSING_TOKEN', async () => 'Bearer '],
    ['a malformed token', 'INVALID_TOKEN', async () => 'Bearer not.a.jwt'],
    ['Bearer followed by two words', 'INVALID_TOKEN', async () => `Bearer ${await token()} extra`],
    [
      'an unsigned alg none token',
      'INVALID_TOKEN',
      async () => {
        const claims = { sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: inSeconds(600) };
        return `Bearer ${new UnsecuredJWT(claims).encode()}`;
      },
    ],
    [
      'an HS256 token',
      'INVALID_TOKEN',
      () => {
        const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!');
        const claims = { sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: inSeconds(600) };
        return bearer(new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: keys.kid }).sign(secret));
      },
    ],
    [
      'a token signed by another key under the gateway key id',
      'INVALID_TOKEN',
      () => bearer(customToken({ sub: 'alice' }, otherKeys, keys.kid)),
    ],
    [
      'a token signed by another key under its own key id',
      'INVALID_TOKEN',
      () => bearer(customToken({ sub: 'alice' }, otherKeys)),
    ],
    ['a wrong issuer', 'INVALID_TOKEN', () => bearer(token({ issuer: 'http://evil.example' }))],
    ['a wrong audience', 'INVALID_TOKEN', () => bearer(token({ audience: 'another-api' }))],
    ['an expired token', 'TOKEN_EXPIRED', () => bearer(token({ ttlSeconds: -60 }))],
    [
      'a token not valid before a future time',
      'INVALID_TOKEN',
      () => bearer(token({ notBefore: inSeconds(300) })),
    ],
    ['a token without sub', 'INVALID_TOKEN', () => bearer(customToken({}))],
    ['a token with an empty sub', 'INVALID_TOKEN', () => bearer(customToken({ sub: '' }))],
    ['a token without exp', 'INVALID_TOKEN', () => bearer(customToken({ sub: 'alice', exp: undefined }))],
    [
      'a token issued in the future',
      'INVALID_TOKEN',
      () => bearer(customToken({ sub: 'alice', iat: inSeconds(300) })),
    ],
  ];

  it.each(cases)('rejects %s with 401 %s and never calls the handler', async (_, code, authorization) => {
    // Prepare
    const header = await authorization();
    const headers: Record<string, string> = header === undefined ? {} : { authorization: header };
    logs.length = 0;

    // Act
    const response = await fetch(`${gateway.url}/v1/containers`, { headers });

    // Assess
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string; request_id: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toEqual(expect.any(String));
    expect(body.error.request_id).toBe(response.headers.get('apigw-requestid'));
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(code === 'MISSING_TOKEN' ? /^Bearer$/ : /^Bearer error="invalid_token"/);
    const tokenPart = header?.split(' ')[1];
    if (tokenPart) {
      expect(JSON.stringify(body)).not.toContain(tokenPart);
      expect(JSON.stringify(logs)).not.toContain(tokenPart);
    }
  });

  it('accepts a token whose aud list includes the audience', async () => {
    // Act
    const response = await call('/v1/containers', {
      headers: await authHeaders({ audience: ['x', AUDIENCE] }),
    });

    // Assess
    expect((await echoed(response)).event.requestContext.authorizer.jwt.claims.aud).toBe(`[x ${AUDIENCE}]`);
  });

  it('answers 403 Forbidden when the route requires a scope the token lacks', async () => {
    // Act
    const response = await call('/v1/admin/abc', { method: 'DELETE' });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  });

  it('passes the token scopes in the event when the route requires scopes', async () => {
    // Prepare
    const headers = await authHeaders({ scope: 'containers:read containers:admin' });

    // Act
    const response = await call('/v1/admin/abc', { method: 'DELETE', headers });

    // Assess
    const { jwt } = (await echoed(response)).event.requestContext.authorizer;
    expect(jwt.scopes).toEqual(['containers:read', 'containers:admin']);
  });
});

describe('local gateway: integration response', () => {
  it('answers 500 Internal Server Error when the handler throws, logging it under the request id only', async () => {
    // Prepare
    logs.length = 0;

    // Act
    const response = await call('/v1/boom');

    // Assess
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ message: 'Internal Server Error' });
    expect(text).not.toContain('secret');
    const failure = logs.find((line) => line.level === 'error');
    expect(failure?.fields.requestId).toBe(response.headers.get('apigw-requestid'));
    expect(String(failure?.fields.error)).toContain('postgres://secret@db');
  });

  it.each([
    ['an invalid status code', '/v1/bad-status'],
    ['a header value with a line break', '/v1/bad-header'],
  ])('answers 500 when the handler returns a structured response with %s', async (_, path) => {
    // Act
    const response = await call(path);

    // Assess
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('sends a string result as a 200 JSON response', async () => {
    // Act
    const response = await call('/v1/text');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('plain result');
  });

  it('sends an object without statusCode as a 200 JSON body', async () => {
    // Act
    const response = await call('/v1/object');

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it('maps a structured result: status, headers, each cookie as Set-Cookie, base64 body decoded', async () => {
    // Act
    const response = await call('/v1/structured');

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('42');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('sends a 204 without body or Content-Length', async () => {
    // Act
    const response = await call('/v1/no-content');

    // Assess
    expect(response.status).toBe(204);
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.text()).toBe('');
  });

  it('answers 503 Service Unavailable when the handler outlives the integration timeout', async () => {
    // Prepare
    const slow: HttpHandler = () => new Promise((resolve) => setTimeout(() => resolve('late'), 300));
    const timed = await startLocalGateway({
      routes: [{ routeKey: 'GET /slow', handler: slow }],
      keys,
      issuer: ISSUER,
      audience: AUDIENCE,
      logger,
      timeoutMs: 50,
    });

    // Act
    const response = await fetch(`${timed.url}/slow`, { headers: await authHeaders() });
    await timed.close();

    // Assess
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });
});

describe('local gateway: request body limit', () => {
  it('answers 413 to a body whose Content-Length exceeds the limit, without calling the handler', async () => {
    // Act
    const response = await call('/v1/containers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(MAX_BODY_BYTES + 1),
    });

    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('answers 413 to a chunked body that grows past the limit', async () => {
    // Prepare
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(MAX_BODY_BYTES + 1));
        controller.close();
      },
    });

    // Act
    const response = await call('/v1/containers', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit);

    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('accepts a body of exactly the limit', async () => {
    // Act
    const response = await call('/v1/containers', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(MAX_BODY_BYTES),
    });

    // Assess
    expect((await echoed(response)).event.body).toHaveLength(MAX_BODY_BYTES);
  });
});

describe('local gateway stage throttling', () => {
  it('answers 429 RATE_LIMITED with Retry-After once the burst is spent, as the deployed stage throttles', async () => {
    // Prepare
    const keys = await generateLocalJwtKeys();
    const gateway = await startLocalGateway({
      routes: [{ routeKey: 'GET /v1/ping', handler: async () => ({ statusCode: 200, body: '{}' }) }],
      keys,
      issuer: ISSUER,
      audience: AUDIENCE,
      throttle: { rateLimit: 0.001, burstLimit: 2 },
      logger: { info: () => undefined, error: () => undefined },
    });
    const token = await mintToken({ keys, sub: 'alice', issuer: ISSUER, audience: AUDIENCE });
    const get = () => fetch(`${gateway.url}/v1/ping`, { headers: { authorization: `Bearer ${token}` } });

    // Act
    const statuses = [(await get()).status, (await get()).status];
    const throttled = await get();
    await gateway.close();

    // Assess
    expect(statuses).toEqual([200, 200]);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(await throttled.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });
});
