import {
  ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcsEmulator } from '../../../local/ecs-emulator';
import {
  type Harness,
  registerFargateTaskDefinition,
  rejectionOf,
  runOneTask,
  runTaskInput,
  startHarness,
} from './support';

const target = (operation: string): string => `AmazonEC2ContainerServiceV20141113.${operation}`;

async function post(
  endpoint: string,
  operation: string,
  body: string,
  contentType = 'application/x-amz-json-1.1',
): Promise<{ status: number; errorTypeHeader: string | null; json: Record<string, unknown> }> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-amz-target': target(operation) },
    body,
  });
  return {
    status: response.status,
    errorTypeHeader: response.headers.get('x-amzn-errortype'),
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe('ECS emulator JSON 1.1 protocol', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
    await registerFargateTaskDefinition(harness.ecs);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('answers 400 UnknownOperationException for an operation it does not implement', async () => {
    // Act
    const answer = await post(harness.emulator.endpoint, 'CreateService', '{}');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('UnknownOperationException');
    expect(answer.errorTypeHeader).toBe('UnknownOperationException');
  });

  it('answers 400 SerializationException to a body that is not JSON, and keeps serving', async () => {
    // Act
    const broken = await post(harness.emulator.endpoint, 'ListTasks', '{"cluster":');
    const healthy = await post(harness.emulator.endpoint, 'ListTasks', '{}');

    // Assess
    expect(broken.status).toBe(400);
    expect(broken.json.__type).toBe('SerializationException');
    expect(healthy.status).toBe(200);
    expect(healthy.json.taskArns).toEqual([]);
  });

  it('answers 400 SerializationException to a body in another content type', async () => {
    // Act
    const answer = await post(harness.emulator.endpoint, 'ListTasks', '{}', 'text/plain');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('SerializationException');
  });

  it('sends dates as epoch seconds, as the JSON protocol does', async () => {
    // Prepare
    const body = JSON.stringify(runTaskInput());

    // Act
    const answer = await post(harness.emulator.endpoint, 'RunTask', body);

    // Assess
    const task = (answer.json.tasks as Record<string, unknown>[])[0];
    expect(typeof task?.createdAt).toBe('number');
    expect(Math.abs((task?.createdAt as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('answers InvalidParameterException when taskDefinition is missing', async () => {
    // Act
    const error = await rejectionOf(harness.ecs.send(new RunTaskCommand({} as RunTaskCommandInput)));

    // Assess
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain('taskDefinition');
  });

  it('answers InvalidParameterException to an awsvpc task without network configuration', async () => {
    // Act
    const error = await rejectionOf(harness.ecs.send(new RunTaskCommand({ taskDefinition: 'web' })));

    // Assess
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toBe(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  });

  it('answers InvalidParameterException to an override for a container the definition does not have', async () => {
    // Act
    const error = await rejectionOf(
      harness.ecs.send(
        new RunTaskCommand(
          runTaskInput({ overrides: { containerOverrides: [{ name: 'ghost', command: ['x'] }] } }),
        ),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('echoes container overrides on the task', async () => {
    // Act
    const task = await runOneTask(harness.ecs, {
      overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'USER_ID', value: '42' }] }] },
    });

    // Assess
    expect(task.overrides?.containerOverrides).toEqual([
      { name: 'app', environment: [{ name: 'USER_ID', value: '42' }] },
    ]);
  });
});

describe('ECS emulator close()', () => {
  const countOf = (resource: string): number =>
    process.getActiveResourcesInfo().filter((name) => name === resource).length;

  it('stops the server and every timer, even with tasks and deliveries in flight', async () => {
    // Prepare
    const timersBefore = countOf('Timeout');
    const emulator = await startEcsEmulator({ startMs: 10_000, stopMs: 10_000, events: { delayMs: 10_000 } });
    const ecs = new ECSClient({ ...emulator.clientConfig, maxAttempts: 1 });
    await registerFargateTaskDefinition(ecs);
    await runOneTask(ecs);
    ecs.destroy();
    const timersWhileRunning = countOf('Timeout');

    // Act
    await emulator.close();
    await emulator.close();

    // Assess
    const timersAfter = countOf('Timeout');
    expect(timersWhileRunning - timersAfter).toBeGreaterThanOrEqual(2);
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
    const client = new ECSClient({ ...emulator.clientConfig, maxAttempts: 1 });
    const error = await rejectionOf(client.send(new ListTasksCommand({})));
    client.destroy();
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
  });
});
