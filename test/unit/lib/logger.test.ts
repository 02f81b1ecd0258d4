/**
 * The keys each log line carries: those of the function's invocation and, for HTTP requests, the
 * request, its caller and its container. Each test loads the modules afresh, as a cold start does.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from '../../../lib/schema';
import { httpEvent, lambdaContext } from '../../support/http-events';

const containerId = '6740c3f2a1b2c3d4e5f60718';
const idPath = z.object({ id: z.string().check(z.regex(/^[0-9a-f]{24}$/)) });

let lines: Array<Record<string, unknown>>;

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('LOG_LEVEL', 'INFO');
  vi.stubEnv('_X_AMZN_TRACE_ID', '');
  lines = [];
  const keep = (text: unknown) => {
    lines.push(JSON.parse(String(text)));
  };
  vi.spyOn(console, 'log').mockImplementation(keep);
  vi.spyOn(console, 'error').mockImplementation(keep);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** GET /v1/containers/{id}, whose endpoint logs one line (and fails when told to). */
async function loggingHandler() {
  const { httpHandler } = await import('../../../lib/http/http-handler');
  const { logger } = await import('../../../lib/logger');
  return httpHandler({ scope: 'containers:read', path: idPath }, async ({ path }) => {
    logger.info('endpoint ran', { step: 1 });
    if (path.id.startsWith('ffff')) throw new Error('boom');
    return { status: 200, body: {} };
  });
}

const getEvent = (id: string, requestId: string, sub = 'alice') => {
  const event = httpEvent({
    routeKey: 'GET /v1/containers/{id}',
    pathParameters: { id },
    claims: { sub, scope: 'containers:read' },
  });
  return { ...event, requestContext: { ...event.requestContext, requestId } };
};

describe('log lines of an HTTP request', () => {
  it('carry the request id, owner id and container id, the function request id, the service and cold_start', async () => {
    // Prepare
    const handler = await loggingHandler();

    // Act
    await handler(getEvent(containerId, 'api-req-1'), lambdaContext);

    // Assess
    expect(lines).toEqual([
      {
        level: 'INFO',
        message: 'endpoint ran',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        service: 'container-lifecycle',
        cold_start: true,
        function_name: lambdaContext.functionName,
        function_request_id: lambdaContext.awsRequestId,
        request_id: 'api-req-1',
        owner_id: 'alice',
        container_id: containerId,
        step: 1,
      },
    ]);
  });

  it('say cold_start false after the first invocation, and carry only their own request keys', async () => {
    // Prepare
    const handler = await loggingHandler();
    await handler(getEvent(containerId, 'api-req-1'), lambdaContext);

    // Act
    await handler(getEvent('not-an-id', 'api-req-2', 'bob'), lambdaContext);

    // Assess: the refused request logged nothing of its own, and kept nothing of the first.
    expect(lines).toHaveLength(1);
    await handler(getEvent('0123456789abcdef01234567', 'api-req-3', 'bob'), lambdaContext);
    expect(lines[1]).toMatchObject({
      cold_start: false,
      request_id: 'api-req-3',
      owner_id: 'bob',
      container_id: '0123456789abcdef01234567',
    });
  });

  it('keep the keys of concurrent invocations apart', async () => {
    // Prepare
    const { observed } = await import('../../../lib/observability/observed');
    const { appendLogKeys } = await import('../../../lib/observability/invocation');
    const { logger } = await import('../../../lib/logger');
    const handler = observed(async (event: { id: string; delayMs: number }) => {
      appendLogKeys({ request_id: event.id });
      await new Promise((resolve) => setTimeout(resolve, event.delayMs));
      logger.info('done');
    });

    // Act
    await Promise.all([handler({ id: 'slow', delayMs: 30 }), handler({ id: 'fast', delayMs: 1 })]);
    logger.info('outside');

    // Assess
    expect(lines.map((line) => [line.message, line.request_id])).toEqual([
      ['done', 'fast'],
      ['done', 'slow'],
      ['outside', undefined],
    ]);
  });

  it('carry the X-Ray trace id Lambda sets for the invocation', async () => {
    // Prepare
    vi.stubEnv(
      '_X_AMZN_TRACE_ID',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    );
    const handler = await loggingHandler();

    // Act
    await handler(getEvent(containerId, 'api-req-1'), lambdaContext);

    // Assess
    expect(lines[0]).toMatchObject({ xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793' });
  });

  it('log an unhandled error with its name, message, stack and the request keys, and neither the Authorization header nor the body', async () => {
    // Prepare
    const handler = await loggingHandler();
    const event = getEvent('ffff00000000000000000000', 'api-req-9');
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

    // Act
    const result = await handler(
      { ...event, headers: { authorization: `Bearer ${token}` }, body: '{"secret":"hunter2"}' },
      lambdaContext,
    );

    // Assess
    expect(result.statusCode).toBe(500);
    const unhandled = lines.find((line) => line.message === 'unhandled error');
    expect(unhandled).toMatchObject({
      level: 'ERROR',
      request_id: 'api-req-9',
      owner_id: 'alice',
      container_id: 'ffff00000000000000000000',
      error: { name: 'Error', message: 'boom' },
    });
    // Its stack, whose frames (here the TypeScript sources, with no bundle map) say where it was thrown.
    expect((unhandled?.error as { stack?: string } | undefined)?.stack).toMatch(
      /^Error: boom\n\s+at .*logger\.test\.ts:\d+:\d+/,
    );
    const text = JSON.stringify(lines);
    expect(text).not.toContain(token);
    expect(text).not.toContain('hunter2');
  });
  it('log a thrown value that is not an Error by its type only, never its content', async () => {
    const { loggedError } = await import('../../../lib/logger');

    expect(loggedError('{"secret":"hunter2"}')).toEqual({ thrown: 'string' });
    expect(loggedError({ password: 'hunter2' })).toEqual({ thrown: 'object' });
    expect(loggedError(null)).toEqual({ thrown: 'null' });
  });
});
