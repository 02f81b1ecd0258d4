/**
 * The logging policy, proved on everything the stack writes at LOG_LEVEL=INFO while it is driven
 * through creates, operations, task events and errors: no bearer token, no CURSOR_SECRET, no
 * environment value given at create, no request body appears in any line.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalGateway } from '../../local/gateway';
import { loadHttpRoutes } from '../../local/http-routes';
import {
  generateLocalJwtKeys,
  LOCAL_JWT_AUDIENCE,
  LOCAL_JWT_ISSUER,
  type LocalJwtKeys,
} from '../../local/jwt-keys';
import { mintToken } from '../../local/tokens';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const secretValue = 'sk_live_0123456789abcdefSECRETVALUE';
const otherSecret = 'p@ssw0rd-never-logged-7f3a';

describe('no token, secret or request body in any log line', () => {
  let stack: LocalStack;
  let keys: LocalJwtKeys;
  let gatewayUrl: string;
  let closeGateway: () => Promise<void>;
  const lines: string[] = [];
  const tokens: string[] = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 10, emulator: { startMs: 30, stopMs: 30 } });
    keys = await generateLocalJwtKeys();
    // A gateway with its default logger (JSON lines on stdout/stderr), so its access log is checked too.
    const gateway = await startLocalGateway({
      routes: await loadHttpRoutes(),
      keys,
      issuer: LOCAL_JWT_ISSUER,
      audience: LOCAL_JWT_AUDIENCE,
    });
    gatewayUrl = gateway.url;
    closeGateway = () => gateway.close();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await closeGateway();
    await stack.close();
  });

  function capture() {
    const keep =
      (..._: unknown[]) =>
      (...args: unknown[]) => {
        lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      };
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation(keep());
    }
    const write = (chunk: unknown) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(write);
    vi.spyOn(process.stderr, 'write').mockImplementation(write);
  }

  async function token(sub = 'alice', ttlSeconds = 3600) {
    const minted = await mintToken({
      keys,
      sub,
      scope: 'containers:read containers:write',
      ttlSeconds,
      issuer: LOCAL_JWT_ISSUER,
      audience: LOCAL_JWT_AUDIENCE,
    });
    tokens.push(minted);
    return minted;
  }

  async function call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; key?: string } = {},
  ) {
    const text = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (text) bodies.push(text);
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(text ? { 'content-type': 'application/json' } : {}),
        ...(options.key ? { 'idempotency-key': options.key } : {}),
      },
      ...(text ? { body: text } : {}),
    });
    const answer = await response.text();
    return { status: response.status, body: answer ? JSON.parse(answer) : undefined };
  }

  async function waitFor(id: string, status: string, bearer: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const response = await call('GET', `/v1/containers/${id}/status`, { token: bearer });
      if (response.body?.data?.status === status || Date.now() > deadline) return response;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('writes INFO lines while driven, none of which holds a token, secret, environment value or body', async () => {
    // Prepare
    process.env.LOG_LEVEL = 'INFO';
    const alice = await token();
    const environment = { API_KEY: secretValue, DB_PASSWORD: otherSecret };
    capture();

    // Act: a create that starts, operations, task events, every kind of refusal, and a crash.
    const created = await call('POST', '/v1/containers', {
      token: alice,
      key: 'create-1',
      body: { name: 'secretive', image, environment, command: ['serve', '--token', otherSecret] },
    });
    const id: string = created.body.data.id;
    await waitFor(id, 'running', alice);
    await call('POST', `/v1/containers/${id}/stop`, { token: alice });
    await waitFor(id, 'stopped', alice);
    await call('POST', '/v1/containers', {
      token: alice,
      key: 'create-1',
      body: { name: 'secretive-2', image, environment: { API_KEY: `${secretValue}-2` } },
    });
    await call('POST', '/v1/containers', {
      token: alice,
      body: { name: 'Invalid Name', image, environment: { 'BAD-NAME': secretValue } },
    });
    await call('POST', '/v1/containers', {
      token: alice,
      body: { name: 'too-long-env', image, environment: { A: secretValue.repeat(200) } },
    });
    await call('GET', `/v1/containers?cursor=${secretValue}`, { token: alice });
    await call('GET', '/v1/containers/6740c3f2a1b2c3d4e5f60718', { token: alice });
    await call('GET', '/v1/containers', { token: await token('alice', -60) });
    await call('GET', '/v1/containers', { token: `${alice.slice(0, -6)}AAAAAA` });
    await call('GET', '/v1/containers', {});
    // An environment name the adapter cannot store ends in an unhandled error, which is logged.
    await call('POST', '/v1/containers', {
      token: alice,
      body: { name: 'crashy', image, start: false, environment: { constructor: secretValue } },
    });
    // A request whose endpoint logs at INFO: its line carries the request's keys.
    await call('POST', '/v1/containers/batch', {
      token: alice,
      body: { operation: 'stop', selector: { status: 'running' }, dry_run: true },
    });
    await call('DELETE', `/v1/containers/${id}`, { token: alice });
    await stack.bus.drain();
    vi.restoreAllMocks();
    process.env.LOG_LEVEL = 'SILENT';

    // Assess
    const secrets = [
      ...tokens,
      ...tokens.map((minted) => minted.split('.')[2] ?? minted),
      process.env.CURSOR_SECRET ?? 'no cursor secret',
      secretValue,
      otherSecret,
      ...bodies,
    ];
    const leaks = lines.flatMap((line) =>
      secrets.filter((secret) => line.includes(secret)).map((secret) => `${secret.slice(0, 12)}… in ${line}`),
    );
    expect(created.status).toBe(201);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((line) => line.includes('"request"'))).toBe(true);
    expect(lines.some((line) => line.includes('task state change'))).toBe(true);
    expect(leaks).toEqual([]);
    // The keys that tie a line to its request, caller and container are there, and only those.
    const functionLines = lines.flatMap((line) => {
      try {
        const parsed = JSON.parse(line);
        return parsed.service === 'container-lifecycle' ? [parsed] : [];
      } catch {
        return [];
      }
    });
    expect(functionLines.find((line) => line.message === 'batch operation')).toMatchObject({
      request_id: expect.any(String),
      owner_id: 'alice',
      function_request_id: expect.any(String),
      cold_start: expect.any(Boolean),
    });
    expect(functionLines.find((line) => line.message === 'task state change')).toMatchObject({
      container_id: id,
    });
    const forbiddenKeys = ['authorization', 'token', 'body', 'environment'];
    expect(
      functionLines.flatMap((line) => Object.keys(line)).filter((key) => forbiddenKeys.includes(key)),
    ).toEqual([]);
  });
});
