/**
 * The metrics as CloudWatch reads them: the EMF lines the functions write on stdout, parsed back
 * (namespace, metric, dimensions, value). Each test loads the modules afresh, as a cold start does.
 */
import { ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from '../../../lib/schema';
import { httpEvent, lambdaContext } from '../../support/http-events';

interface EmfMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: unknown;
}

const containerId = '6740c3f2a1b2c3d4e5f60718';
const operationPath = z.object({
  id: z.string().check(z.regex(/^[0-9a-f]{24}$/)),
  operation: z.enum(['start', 'stop']),
});

let stdout: string[];

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  // What Lambda sets on an instance started for a request (not for provisioned concurrency).
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('LOG_LEVEL', 'SILENT');
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Every metric of every EMF line written so far, each line checked to be well-formed EMF. */
function emfMetrics(): EmfMetric[] {
  const lines = stdout.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"'));
  return lines.flatMap((line) => {
    const blob = JSON.parse(line);
    const [directive] = blob._aws.CloudWatchMetrics;
    expect(typeof blob._aws.Timestamp).toBe('number');
    expect(directive.Dimensions).toHaveLength(1);
    const dimensions = Object.fromEntries(
      (directive.Dimensions[0] as string[]).map((name) => [name, blob[name] as string]),
    );
    return (directive.Metrics as Array<{ Name: string; Unit: string }>).map((metric) => {
      expect(metric.Unit).toBe('Count');
      return { namespace: directive.Namespace, name: metric.Name, dimensions, value: blob[metric.Name] };
    });
  });
}

const named = (name: string) => emfMetrics().filter((metric) => metric.name === name);

async function operateHandler(outcome: () => Promise<void> = async () => undefined) {
  const { httpHandler } = await import('../../../lib/http/http-handler');
  return httpHandler(
    { scope: 'containers:write', path: operationPath, operation: (path) => path.operation },
    async () => {
      await outcome();
      return { status: 202, body: { data: {} } };
    },
  );
}

const operateEvent = (operation: string, id = containerId) =>
  httpEvent({ routeKey: 'POST /v1/containers/{id}/{operation}', pathParameters: { id, operation } });

describe('EMF metrics of an HTTP request', () => {
  it('counts an accepted operation as Operations{operation, outcome=accepted} = 1 in ContainerLifecycle', async () => {
    // Prepare
    const handler = await operateHandler();

    // Act
    await handler(operateEvent('start'), lambdaContext);

    // Assess
    expect(named('Operations')).toEqual([
      {
        namespace: 'ContainerLifecycle',
        name: 'Operations',
        dimensions: { service: 'container-lifecycle', operation: 'start', outcome: 'accepted' },
        value: 1,
      },
    ]);
  });

  it('counts a refused operation under the error code it was refused with', async () => {
    // Prepare
    // The error class of this cold start's modules (each test loads them afresh).
    const { DomainError } = await import('../../../lib/domain/errors');
    const handler = await operateHandler(async () => {
      throw new DomainError('OPERATION_STATE_CONFLICT', 'stopped already');
    });

    // Act
    const result = await handler(operateEvent('stop'), lambdaContext);

    // Assess
    expect(result.statusCode).toBe(409);
    expect(named('Operations').map((metric) => metric.dimensions)).toEqual([
      { service: 'container-lifecycle', operation: 'stop', outcome: 'OPERATION_STATE_CONFLICT' },
    ]);
  });

  it('counts an unhandled error as INTERNAL_SERVER_ERROR, and a refused path under operation unknown', async () => {
    // Prepare
    const handler = await operateHandler(async () => {
      throw new Error('bug');
    });

    // Act
    await handler(operateEvent('start'), lambdaContext);
    await handler(operateEvent('start', 'not-an-id'), lambdaContext);

    // Assess
    expect(named('Operations').map((metric) => metric.dimensions)).toEqual([
      { service: 'container-lifecycle', operation: 'start', outcome: 'INTERNAL_SERVER_ERROR' },
      { service: 'container-lifecycle', operation: 'unknown', outcome: 'INVALID_ID_FORMAT' },
    ]);
  });

  it('counts nothing under Operations for a route that names no operation', async () => {
    // Prepare
    const { httpHandler } = await import('../../../lib/http/http-handler');
    const handler = httpHandler({ scope: 'containers:read' }, async () => ({ status: 200, body: {} }));

    // Act
    await handler(httpEvent(), lambdaContext);

    // Assess
    expect(named('Operations')).toEqual([]);
  });

  it('publishes ColdStart{function_name} = 1 on the first invocation of an instance only', async () => {
    // Prepare
    const handler = await operateHandler();

    // Act
    await handler(operateEvent('start'), lambdaContext);
    await handler(operateEvent('start'), lambdaContext);

    // Assess
    expect(named('ColdStart')).toEqual([
      {
        namespace: 'ContainerLifecycle',
        name: 'ColdStart',
        dimensions: { service: 'container-lifecycle', function_name: lambdaContext.functionName },
        value: 1,
      },
    ]);
  });
});

describe('EMF metrics of the other functions', () => {
  it('sums what one invocation counted: one line per metric and dimensions, at its end', async () => {
    // Prepare
    const { observed } = await import('../../../lib/observability/observed');
    const { recordAutoStops, recordTransition } = await import('../../../lib/metrics');
    const handler = observed(async (_event: unknown) => {
      recordTransition('stopping', 'auto-stop');
      recordTransition('stopping', 'auto-stop');
      recordTransition('stopped', 'ecs');
      recordAutoStops(2);
      expect(named('Transitions')).toEqual([]);
    });

    // Act
    await handler({});

    // Assess
    expect(named('Transitions').map(({ dimensions, value }) => ({ dimensions, value }))).toEqual([
      {
        dimensions: { service: 'container-lifecycle', to_status: 'stopping', triggered_by: 'auto-stop' },
        value: 2,
      },
      { dimensions: { service: 'container-lifecycle', to_status: 'stopped', triggered_by: 'ecs' }, value: 1 },
    ]);
    expect(named('AutoStops')).toEqual([
      {
        namespace: 'ContainerLifecycle',
        name: 'AutoStops',
        dimensions: { service: 'container-lifecycle' },
        value: 2,
      },
    ]);
  });

  it('publishes what was counted when the handler throws, too', async () => {
    // Prepare
    const { observed } = await import('../../../lib/observability/observed');
    const { recordTransition } = await import('../../../lib/metrics');
    const handler = observed(async (_event: unknown) => {
      recordTransition('error', 'ecs');
      throw new Error('retry me');
    });

    // Act
    const failure = handler({}).catch((error: Error) => error.message);

    // Assess
    expect(await failure).toBe('retry me');
    expect(named('Transitions').map((metric) => metric.dimensions.to_status)).toEqual(['error']);
  });

  it('counts EcsFailures{kind=capacity} when RunTask places nothing, and {kind=service} when ECS fails', async () => {
    // Prepare
    const { observed } = await import('../../../lib/observability/observed');
    const { EcsContainerRuntime } = await import('../../../lib/adapters/ecs/ecs-container-runtime');
    const client = new ECSClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const ecs = mockClient(client);
    ecs
      .on(RunTaskCommand)
      .resolvesOnce({ tasks: [], failures: [{ reason: 'RESOURCE:MEMORY' }] })
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const runtime = new EcsContainerRuntime(client, {
      cluster: 'clc',
      subnets: ['subnet-a'],
      securityGroups: [],
      assignPublicIp: false,
      taskDefinitionFamilyPrefix: 'clc',
    });
    const run = () => runtime.runTask({ containerId, taskDefinitionArn: 'arn:td', launchVersion: 2 });
    const handler = observed(async (_event: unknown) => {
      await expect(run()).rejects.toMatchObject({ kind: 'CAPACITY_UNAVAILABLE' });
      await expect(run()).rejects.toMatchObject({ kind: 'EXTERNAL_SERVICE_ERROR' });
    });

    // Act
    await handler({});

    // Assess
    expect(named('EcsFailures').map(({ dimensions, value }) => ({ kind: dimensions.kind, value }))).toEqual([
      { kind: 'capacity', value: 1 },
      { kind: 'service', value: 1 },
    ]);
    ecs.restore();
  });

  it('writes no EMF line with POWERTOOLS_METRICS_DISABLED=true, as the local stack and the tests run', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const handler = await operateHandler();

    // Act
    await handler(operateEvent('start'), lambdaContext);

    // Assess
    expect(emfMetrics()).toEqual([]);
    expect(stdout.join('')).toBe('');
  });
});
