import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListTasksCommand,
  type ListTasksCommandInput,
} from '@aws-sdk/client-ecs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createEcsClient,
  type EcsClientOptions,
  EcsContainerRuntime,
  type EcsRuntimeConfig,
} from '../../../../lib/adapters/ecs/ecs-container-runtime';
import { newContainerId } from '../../../../lib/domain/container-id';
import {
  type ContainerSpec,
  RuntimeError,
  type RuntimeFailure,
  type TaskState,
} from '../../../../lib/ports/container-runtime';
import { type EcsEmulator, FARGATE_CAPACITY_REASON, startEcsEmulator } from '../../../../local/ecs-emulator';

const secretAccessKey = 'integration-secret-key';

const config: EcsRuntimeConfig = {
  cluster: 'clc-integration',
  subnets: ['subnet-0a1b2c3d4e5f60718'],
  securityGroups: ['sg-0123456789abcdef0'],
  assignPublicIp: false,
  taskDefinitionFamilyPrefix: 'clc',
  logGroup: '/clc/containers',
};

let emulator: EcsEmulator;
let ecs: ECSClient;
let runtime: EcsContainerRuntime;
const extraClients: ECSClient[] = [];

beforeAll(async () => {
  // The SDK's default credential chain reads these, as it does under `npm start`.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'integration');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', secretAccessKey);
  emulator = await startEcsEmulator({ startMs: 30, stopMs: 30 });
  ecs = createEcsClient({ endpoint: emulator.endpoint, region: emulator.region });
  runtime = new EcsContainerRuntime(ecs, config);
});

afterEach(() => {
  emulator.faults.clear();
});

afterAll(async () => {
  for (const client of [ecs, ...extraClients]) client.destroy();
  await emulator.close();
  vi.unstubAllEnvs();
});

/** A runtime over its own client, e.g. one that gives up sooner than the default. */
function runtimeWith(options: EcsClientOptions): EcsContainerRuntime {
  const client = createEcsClient({ endpoint: emulator.endpoint, region: emulator.region, ...options });
  extraClients.push(client);
  return new EcsContainerRuntime(client, config);
}

function containerSpec(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    containerId: newContainerId(new Date()),
    image: 'public.ecr.aws/docker/library/python:3.13',
    cpuUnits: 256,
    memoryMb: 512,
    command: ['python', '-m', 'http.server'],
    environment: { MODE: 'integration' },
    ...overrides,
  };
}

/** Registers a fresh container's task definition; the run request for its first launch. */
async function registered(spec = containerSpec()) {
  const taskDefinitionArn = await runtime.registerTaskDefinition(spec);
  return { containerId: spec.containerId, taskDefinitionArn, launchVersion: 1 };
}

async function waitForStatus(taskArn: string, lastStatus: string, timeoutMs = 2000): Promise<TaskState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await runtime.describeTask(taskArn);
    if (state?.lastStatus === lastStatus) return state;
    if (Date.now() > deadline) throw new Error(`${taskArn} is ${state?.lastStatus}, wanted ${lastStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function listTasks(input: ListTasksCommandInput): Promise<string[]> {
  const answer = await ecs.send(new ListTasksCommand({ cluster: config.cluster, ...input }));
  return answer.taskArns ?? [];
}

async function runtimeErrorOf(promise: Promise<unknown>): Promise<RuntimeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RuntimeError) return error;
    throw error;
  }
  throw new Error('expected a RuntimeError, the call succeeded');
}

function expectRuntimeError(error: RuntimeError, kind: RuntimeFailure, message: string): void {
  expect(error.kind).toBe(kind);
  expect(error.message).toBe(message);
  expect(error.message).not.toContain(secretAccessKey);
}

describe('EcsContainerRuntime task definitions', () => {
  it('registers family <prefix>-<containerId> for Fargate ARM64 with one essential container main', async () => {
    // Prepare
    const spec = containerSpec();

    // Act
    const arn = await runtime.registerTaskDefinition(spec);

    // Assess
    expect(arn).toBe(
      `arn:aws:ecs:${emulator.region}:${emulator.accountId}:task-definition/clc-${spec.containerId}:1`,
    );
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    expect(taskDefinition).toMatchObject({
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [
        {
          name: 'main',
          essential: true,
          image: spec.image,
          command: ['python', '-m', 'http.server'],
          environment: [{ name: 'MODE', value: 'integration' }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/clc/containers',
              'awslogs-region': emulator.region,
              'awslogs-stream-prefix': spec.containerId,
            },
          },
        },
      ],
    });
  });

  it('deregisters a task definition twice without error, leaving it INACTIVE', async () => {
    // Prepare
    const { taskDefinitionArn } = await registered();

    // Act
    await runtime.deregisterTaskDefinition(taskDefinitionArn);
    await runtime.deregisterTaskDefinition(taskDefinitionArn);

    // Assess
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
    );
    expect(taskDefinition?.status).toBe('INACTIVE');
  });

  it('deregisters a task definition ECS never knew without error', async () => {
    // Act
    const deregistering = runtime.deregisterTaskDefinition(`clc-${newContainerId(new Date())}:1`);

    // Assess
    await expect(deregistering).resolves.toBeUndefined();
  });

  it('fails deregistration with EXTERNAL_SERVICE_ERROR when ECS refuses for another reason', async () => {
    // Prepare
    const { taskDefinitionArn } = await registered();
    emulator.faults.inject({
      kind: 'error',
      operation: 'DeregisterTaskDefinition',
      errorType: 'ClientException',
      message: 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform this action',
    });

    // Act
    const error = await runtimeErrorOf(runtime.deregisterTaskDefinition(taskDefinitionArn));

    // Assess
    expectRuntimeError(
      error,
      'EXTERNAL_SERVICE_ERROR',
      'ECS DeregisterTaskDefinition failed: ClientException',
    );
  });
});

describe('EcsContainerRuntime task lifecycle', () => {
  it('starts a task that reaches RUNNING with a private IP address', async () => {
    // Prepare
    const request = await registered();

    // Act
    const launched = await runtime.runTask(request);
    const running = await waitForStatus(launched.taskArn, 'RUNNING');

    // Assess
    expect(launched.lastStatus).toBe('PROVISIONING');
    expect(running).toMatchObject({ taskArn: launched.taskArn, desiredStatus: 'RUNNING' });
    expect(running.ipAddress).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(running.version).toBeGreaterThan(1);
    expect(running.stopCode).toBeUndefined();
  });

  it('stops a running task: STOPPED, UserInitiated, the reason as stoppedReason, exit code 0', async () => {
    // Prepare
    const { taskArn } = await runtime.runTask(await registered());
    await waitForStatus(taskArn, 'RUNNING');

    // Act
    await runtime.stopTask({ taskArn, reason: 'stop requested by user (operation stop)' });
    const stopped = await waitForStatus(taskArn, 'STOPPED');

    // Assess
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'stop requested by user (operation stop)',
      exitCode: 0,
    });
  });

  it('cuts a stop reason longer than ECS accepts to 255 characters', async () => {
    // Prepare
    const { taskArn } = await runtime.runTask(await registered());

    // Act
    await runtime.stopTask({ taskArn, reason: 'r'.repeat(300) });
    const stopped = await waitForStatus(taskArn, 'STOPPED');

    // Assess
    expect(stopped.stoppedReason).toBe('r'.repeat(255));
  });

  it('reports the exit code of the essential container when it crashes', async () => {
    // Prepare
    const { taskArn } = await runtime.runTask(await registered());
    await waitForStatus(taskArn, 'RUNNING');

    // Act
    emulator.crashTask(taskArn, { exitCode: 137 });
    const stopped = await waitForStatus(taskArn, 'STOPPED');

    // Assess
    expect(stopped).toMatchObject({ stopCode: 'EssentialContainerExited', exitCode: 137 });
  });

  it('stops an already stopped task without error and keeps its first stop reason', async () => {
    // Prepare
    const { taskArn } = await runtime.runTask(await registered());
    await runtime.stopTask({ taskArn, reason: 'first stop' });
    await waitForStatus(taskArn, 'STOPPED');

    // Act
    await runtime.stopTask({ taskArn, reason: 'second stop' });

    // Assess
    const state = await runtime.describeTask(taskArn);
    expect(state).toMatchObject({ lastStatus: 'STOPPED', stoppedReason: 'first stop' });
  });

  it('stops a task ECS does not know without error', async () => {
    // Prepare
    const unknownArn = `arn:aws:ecs:${emulator.region}:${emulator.accountId}:task/${config.cluster}/0123456789abcdef0123456789abcdef`;

    // Act
    const stopping = runtime.stopTask({ taskArn: unknownArn, reason: 'cleanup' });

    // Assess
    await expect(stopping).resolves.toBeUndefined();
  });

  it('fails a stop with EXTERNAL_SERVICE_ERROR when ECS refuses for another reason', async () => {
    // Prepare
    const { taskArn } = await runtime.runTask(await registered());
    emulator.faults.inject({ kind: 'error', operation: 'StopTask', errorType: 'AccessDeniedException' });

    // Act
    const error = await runtimeErrorOf(runtime.stopTask({ taskArn, reason: 'stop' }));

    // Assess
    expectRuntimeError(error, 'EXTERNAL_SERVICE_ERROR', 'ECS StopTask failed: AccessDeniedException');
  });

  it('describes a task ECS does not know as undefined', async () => {
    // Prepare
    const unknownArn = `arn:aws:ecs:${emulator.region}:${emulator.accountId}:task/${config.cluster}/fedcba9876543210fedcba9876543210`;

    // Act
    const state = await runtime.describeTask(unknownArn);

    // Assess
    expect(state).toBeUndefined();
  });
});

describe('EcsContainerRuntime idempotent launches', () => {
  it('answers the same task when one launch is run twice, and ECS holds only that task', async () => {
    // Prepare
    const request = await registered();

    // Act
    const first = await runtime.runTask(request);
    const second = await runtime.runTask(request);

    // Assess
    expect(second.taskArn).toBe(first.taskArn);
    expect(await listTasks({ startedBy: request.containerId })).toEqual([first.taskArn]);
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: config.cluster, tasks: [first.taskArn] }),
    );
    expect(tasks?.[0]).toMatchObject({
      group: `container:${request.containerId}:1`,
      startedBy: request.containerId,
    });
  });

  it('starts a second task for a new launch version of the same container', async () => {
    // Prepare
    const request = await registered();
    const first = await runtime.runTask(request);

    // Act
    const second = await runtime.runTask({ ...request, launchVersion: 2 });

    // Assess
    expect(second.taskArn).not.toBe(first.taskArn);
    expect((await listTasks({ startedBy: request.containerId })).sort()).toEqual(
      [first.taskArn, second.taskArn].sort(),
    );
  });

  it('fails with EXTERNAL_SERVICE_ERROR when one launch is retried with another task definition', async () => {
    // Prepare
    const request = await registered();
    await runtime.runTask(request);
    const other = await registered(containerSpec({ containerId: newContainerId(new Date()) }));

    // Act
    const error = await runtimeErrorOf(
      runtime.runTask({ ...request, taskDefinitionArn: other.taskDefinitionArn }),
    );

    // Assess
    expectRuntimeError(error, 'EXTERNAL_SERVICE_ERROR', 'ECS RunTask failed: ConflictException');
    expect(await listTasks({ startedBy: request.containerId })).toHaveLength(1);
  });
});

describe('EcsContainerRuntime failures of ECS', () => {
  it.each([
    { fault: { kind: 'insufficientResources', resource: 'MEMORY' } as const, reason: 'RESOURCE:MEMORY' },
    { fault: { kind: 'capacityUnavailable' } as const, reason: FARGATE_CAPACITY_REASON },
  ])(
    'fails with CAPACITY_UNAVAILABLE naming $reason when RunTask places nothing',
    async ({ fault, reason }) => {
      // Prepare
      const request = await registered();
      emulator.faults.inject(fault);

      // Act
      const error = await runtimeErrorOf(runtime.runTask(request));

      // Assess
      expectRuntimeError(error, 'CAPACITY_UNAVAILABLE', `ECS could not place the task: ${reason}`);
      expect(await listTasks({ startedBy: request.containerId })).toEqual([]);
    },
  );

  it('fails with EXTERNAL_SERVICE_ERROR when ECS throttles more often than the client attempts', async () => {
    // Prepare
    const request = await registered();
    const twoAttempts = runtimeWith({ maxAttempts: 2 });
    const fault = emulator.faults.inject({ kind: 'throttle', operation: 'RunTask', times: 3 });

    // Act
    const error = await runtimeErrorOf(twoAttempts.runTask(request));

    // Assess
    expectRuntimeError(error, 'EXTERNAL_SERVICE_ERROR', 'ECS RunTask failed: ThrottlingException');
    expect(error.cause).toMatchObject({ $metadata: { attempts: 2 } });
    expect(fault.remaining).toBe(1);
  });

  it('starts the task when ECS throttles once: the SDK retries', async () => {
    // Prepare
    const request = await registered();
    const fault = emulator.faults.inject({ kind: 'throttle', operation: 'RunTask', times: 1 });

    // Act
    const launched = await runtime.runTask(request);

    // Assess
    expect(fault.remaining).toBe(0);
    expect(await listTasks({ startedBy: request.containerId })).toEqual([launched.taskArn]);
  });

  it('fails with EXTERNAL_SERVICE_ERROR when ECS answers HTTP 500 to every attempt', async () => {
    // Prepare
    const request = await registered();
    emulator.faults.inject({ kind: 'serverError', operation: 'RunTask', times: Number.POSITIVE_INFINITY });

    // Act
    const error = await runtimeErrorOf(runtime.runTask(request));

    // Assess
    expectRuntimeError(error, 'EXTERNAL_SERVICE_ERROR', 'ECS RunTask failed: ServerException');
    expect(error.cause).toMatchObject({ $metadata: { httpStatusCode: 500, attempts: 3 } });
  });

  it('fails with EXTERNAL_SERVICE_ERROR when ECS answers later than the request timeout', async () => {
    // Prepare
    const impatient = runtimeWith({ maxAttempts: 1, requestTimeoutMs: 50 });
    emulator.faults.inject({ kind: 'delay', operation: 'DescribeTasks', delayMs: 500 });

    // Act
    const error = await runtimeErrorOf(impatient.describeTask('arn:aws:ecs:us-east-1:123456789012:task/x/y'));

    // Assess
    expectRuntimeError(error, 'EXTERNAL_SERVICE_ERROR', 'ECS DescribeTasks failed: TimeoutError (ETIMEDOUT)');
  });

  it('fails with EXTERNAL_SERVICE_ERROR when nothing listens at the endpoint', async () => {
    // Prepare
    const closed = await startEcsEmulator();
    await closed.close();
    const client = createEcsClient({ endpoint: closed.endpoint, region: closed.region, maxAttempts: 1 });
    extraClients.push(client);

    // Act
    const error = await runtimeErrorOf(new EcsContainerRuntime(client, config).describeTask('arn:x'));

    // Assess
    expect(error.kind).toBe('EXTERNAL_SERVICE_ERROR');
    expect(error.message).toMatch(/^ECS DescribeTasks failed: \w+ \(ECONNREFUSED\)$/);
  });
});
