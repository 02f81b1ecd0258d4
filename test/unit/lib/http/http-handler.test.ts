import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../../../lib/domain/errors';
import { type HttpResult, httpHandler } from '../../../../lib/http/http-handler';
import * as z from '../../../../lib/schema';
import { httpEvent, lambdaContext } from '../../../support/http-events';

const idPath = z.object({ id: z.string().check(z.regex(/^[0-9a-f]{24}$/)) });
const body = z.object({ name: z.string().check(z.minLength(1)), size: z.optional(z.int()) });
const echo = httpHandler({ scope: 'containers:write', path: idPath, body }, async (request) => ({
  status: 201,
  body: { data: { caller: request.caller.id, path: request.path, body: request.body } },
}));

function parse(result: HttpResult) {
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: JSON.parse(result.body ?? 'null'),
  };
}

const validId = '6740c3f2a1b2c3d4e5f60718';

describe('httpHandler', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('hands the endpoint the caller and the parsed path and body, and answers JSON', async () => {
    // Act
    const result = parse(
      await echo(
        httpEvent({ pathParameters: { id: validId }, body: '{"name":"dev","size":2}' }),
        lambdaContext,
      ),
    );

    // Assess
    expect(result.status).toBe(201);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(result.body).toEqual({
      data: { caller: 'alice', path: { id: validId }, body: { name: 'dev', size: 2 } },
    });
  });

  it('answers 401 INVALID_TOKEN when the claims carry no subject', async () => {
    const result = parse(await echo(httpEvent({ claims: { scope: 'containers:write' } }), lambdaContext));

    expect(result.status).toBe(401);
    expect(result.body.error).toMatchObject({ code: 'INVALID_TOKEN', request_id: 'req-1' });
  });

  it('answers 403 INSUFFICIENT_PERMISSIONS when the scope is missing', async () => {
    const result = parse(
      await echo(
        httpEvent({ claims: { sub: 'alice', scope: 'containers:read' }, pathParameters: { id: validId } }),
        lambdaContext,
      ),
    );

    expect(result.status).toBe(403);
    expect(result.body.error).toMatchObject({
      code: 'INSUFFICIENT_PERMISSIONS',
      details: { required_scope: 'containers:write' },
    });
  });

  it('lets containers:admin act without the specific scope, and reads an scp array claim', async () => {
    const viaAdmin = parse(
      await echo(
        httpEvent({
          claims: { sub: 'root', scope: 'containers:admin' },
          pathParameters: { id: validId },
          body: '{"name":"a"}',
        }),
        lambdaContext,
      ),
    );
    const viaScp = parse(
      await echo(
        httpEvent({
          claims: { sub: 'bob', scp: '[containers:write]' },
          pathParameters: { id: validId },
          body: '{"name":"a"}',
        }),
        lambdaContext,
      ),
    );

    expect(viaAdmin.status).toBe(201);
    expect(viaScp.status).toBe(201);
  });

  it('answers 400 INVALID_ID_FORMAT for a bad id before reading the body', async () => {
    const result = parse(
      await echo(httpEvent({ pathParameters: { id: 'ABC' }, body: 'not json' }), lambdaContext),
    );

    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('INVALID_ID_FORMAT');
  });

  it('answers 400 VALIDATION_ERROR listing each bad field', async () => {
    const result = parse(
      await echo(
        httpEvent({ pathParameters: { id: validId }, body: '{"name":"","size":"big"}' }),
        lambdaContext,
      ),
    );

    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('VALIDATION_ERROR');
    expect(result.body.error.details.map((issue: { field: string }) => issue.field).sort()).toEqual([
      'body.name',
      'body.size',
    ]);
  });

  it('answers 400 VALIDATION_ERROR for a body that is not JSON', async () => {
    const result = parse(
      await echo(httpEvent({ pathParameters: { id: validId }, body: '{"name":' }), lambdaContext),
    );

    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'body' }] });
  });

  it('maps a domain error to its status, with details and Retry-After', async () => {
    const failing = httpHandler({}, async () => {
      throw new DomainError('CAPACITY_UNAVAILABLE', 'No Fargate capacity', {
        details: { reason: 'RESOURCE:MEMORY' },
        retryAfterSeconds: 30,
      });
    });

    const result = parse(await failing(httpEvent(), lambdaContext));

    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBe('30');
    expect(result.body).toEqual({
      error: {
        code: 'CAPACITY_UNAVAILABLE',
        message: 'No Fargate capacity',
        request_id: 'req-1',
        details: { reason: 'RESOURCE:MEMORY' },
      },
    });
  });

  it('answers a generic 500 for an unknown error and logs it with the request id, never echoing it', async () => {
    // Prepare
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const buggy = httpHandler({}, async () => {
      throw new TypeError('secret internal detail');
    });

    // Act
    const result = parse(await buggy(httpEvent(), lambdaContext));

    // Assess
    expect(result.status).toBe(500);
    expect(result.body).toEqual({
      error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', request_id: 'req-1' },
    });
    expect(JSON.stringify(result)).not.toContain('secret internal detail');
    expect(logged).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(logged.mock.calls[0]?.[0]));
    expect(line).toMatchObject({
      request_id: 'req-1',
      error: { name: 'TypeError', message: 'secret internal detail' },
    });
  });
});
