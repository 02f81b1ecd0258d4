import {
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EcsContainerRuntime,
  type EcsRuntimeConfig,
} from '../../../../lib/adapters/ecs/ecs-container-runtime';
import { parseTaskGroup, taskGroup } from '../../../../lib/adapters/ecs/ecs-requests';

const containerId = '6740c3f2a1b2c3d4e5f60718';
const taskDefinitionArn = `arn:aws:ecs:eu-west-1:123456789012:task-definition/clc-${containerId}:1`;
const taskArn = 'arn:aws:ecs:eu-west-1:123456789012:task/clc/0123456789abcdef0123456789abcdef';

/** sha256 of `container:<containerId>:3`: a deployed token format must never change under a retry. */
const clientTokenOfLaunch3 = 'b50ca168be17b09162bfc1ff4eb93427e96787f02189f61272272d1a7a06e40a';

const fullConfig: EcsRuntimeConfig = {
  cluster: 'clc',
  subnets: ['subnet-a', 'subnet-b'],
  securityGroups: ['sg-1'],
  assignPublicIp: true,
  executionRoleArn: 'arn:aws:iam::123456789012:role/clc-execution',
  taskRoleArn: 'arn:aws:iam::123456789012:role/clc-task',
  taskDefinitionFamilyPrefix: 'clc',
  logGroup: '/clc/containers',
  region: 'eu-central-1',
};

const minimalConfig: EcsRuntimeConfig = {
  cluster: 'clc',
  subnets: ['subnet-a'],
  securityGroups: [],
  assignPublicIp: false,
  taskDefinitionFamilyPrefix: 'clc',
};

const client = new ECSClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const ecsMock = mockClient(client);

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn } });
  ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn, lastStatus: 'PROVISIONING' }], failures: [] });
  ecsMock.on(StopTaskCommand).resolves({});
  ecsMock.on(DeregisterTaskDefinitionCommand).resolves({});
  ecsMock.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: taskArn, reason: 'MISSING' }] });
});

afterAll(() => {
  ecsMock.restore();
  client.destroy();
});

/** The inputs of every command sent, in order, with the command's name. */
const sent = () => ecsMock.calls().map((call) => [call.args[0].constructor.name, call.args[0].input]);

describe('EcsContainerRuntime commands: RegisterTaskDefinition', () => {
  it('sends a Fargate ARM64 definition with roles, environment pairs and awslogs in the configured region', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, fullConfig);

    // Act
    const arn = await runtime.registerTaskDefinition({
      containerId,
      image: 'public.ecr.aws/docker/library/python:3.13',
      cpuUnits: 512,
      memoryMb: 1024,
      command: ['python', 'app.py'],
      environment: { MODE: 'prod', LEVEL: '3' },
    });

    // Assess
    expect(arn).toBe(taskDefinitionArn);
    expect(sent()).toEqual([
      [
        'RegisterTaskDefinitionCommand',
        {
          family: `clc-${containerId}`,
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '512',
          memory: '1024',
          runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
          executionRoleArn: 'arn:aws:iam::123456789012:role/clc-execution',
          taskRoleArn: 'arn:aws:iam::123456789012:role/clc-task',
          containerDefinitions: [
            {
              name: 'main',
              image: 'public.ecr.aws/docker/library/python:3.13',
              essential: true,
              command: ['python', 'app.py'],
              environment: [
                { name: 'MODE', value: 'prod' },
                { name: 'LEVEL', value: '3' },
              ],
              logConfiguration: {
                logDriver: 'awslogs',
                options: {
                  'awslogs-group': '/clc/containers',
                  'awslogs-region': 'eu-central-1',
                  'awslogs-stream-prefix': containerId,
                },
              },
            },
          ],
        },
      ],
    ]);
  });

  it('sends no roles, no command and no log configuration when none is configured', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, minimalConfig);

    // Act
    await runtime.registerTaskDefinition({ containerId, image: 'nginx', cpuUnits: 256, memoryMb: 512 });

    // Assess
    expect(sent()).toEqual([
      [
        'RegisterTaskDefinitionCommand',
        {
          family: `clc-${containerId}`,
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '512',
          runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
          containerDefinitions: [{ name: 'main', image: 'nginx', essential: true, environment: [] }],
        },
      ],
    ]);
  });

  it("sends logs to the client's region when the config names a log group but no region", async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, { ...minimalConfig, logGroup: '/clc/containers' });

    // Act
    await runtime.registerTaskDefinition({ containerId, image: 'nginx', cpuUnits: 256, memoryMb: 512 });

    // Assess
    const [call] = ecsMock.commandCalls(RegisterTaskDefinitionCommand);
    expect(call?.args[0].input.containerDefinitions?.[0]?.logConfiguration?.options).toEqual({
      'awslogs-group': '/clc/containers',
      'awslogs-region': 'eu-west-1',
      'awslogs-stream-prefix': containerId,
    });
  });

  it('sends DeregisterTaskDefinition for the ARN', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, minimalConfig);

    // Act
    await runtime.deregisterTaskDefinition(taskDefinitionArn);

    // Assess
    expect(sent()).toEqual([['DeregisterTaskDefinitionCommand', { taskDefinition: taskDefinitionArn }]]);
  });
});

describe('EcsContainerRuntime commands: RunTask', () => {
  it('sends one FARGATE task with the network, startedBy, group and the clientToken of the launch', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, fullConfig);

    // Act
    const launched = await runtime.runTask({ containerId, taskDefinitionArn, launchVersion: 3 });

    // Assess
    expect(launched).toEqual({ taskArn, lastStatus: 'PROVISIONING' });
    expect(sent()).toEqual([
      [
        'RunTaskCommand',
        {
          cluster: 'clc',
          taskDefinition: taskDefinitionArn,
          launchType: 'FARGATE',
          count: 1,
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: ['subnet-a', 'subnet-b'],
              securityGroups: ['sg-1'],
              assignPublicIp: 'ENABLED',
            },
          },
          startedBy: containerId,
          group: `container:${containerId}:3`,
          clientToken: clientTokenOfLaunch3,
        },
      ],
    ]);
  });

  it('leaves security groups out and disables the public IP when the config says so', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, minimalConfig);

    // Act
    await runtime.runTask({ containerId, taskDefinitionArn, launchVersion: 1 });

    // Assess
    const [call] = ecsMock.commandCalls(RunTaskCommand);
    expect(call?.args[0].input.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ['subnet-a'], assignPublicIp: 'DISABLED' },
    });
  });

  it('sends the same clientToken for a repeated launch and another one for the next launch version', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, minimalConfig);

    // Act
    await runtime.runTask({ containerId, taskDefinitionArn, launchVersion: 3 });
    await runtime.runTask({ containerId, taskDefinitionArn, launchVersion: 3 });
    await runtime.runTask({ containerId, taskDefinitionArn, launchVersion: 4 });

    // Assess
    const tokens = ecsMock.commandCalls(RunTaskCommand).map((call) => call.args[0].input.clientToken);
    expect(tokens.slice(0, 2)).toEqual([clientTokenOfLaunch3, clientTokenOfLaunch3]);
    expect(tokens[2]).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[2]).not.toBe(clientTokenOfLaunch3);
  });

  it('sends nothing for a container id longer than ECS accepts as startedBy', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, minimalConfig);

    // Act
    const running = runtime.runTask({ containerId: 'a'.repeat(129), taskDefinitionArn, launchVersion: 1 });

    // Assess
    await expect(running).rejects.toThrow(RangeError);
    expect(sent()).toEqual([]);
  });
});

describe('EcsContainerRuntime commands: StopTask and DescribeTasks', () => {
  it('sends StopTask with the cluster, the task and the reason', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, minimalConfig);

    // Act
    await runtime.stopTask({ taskArn, reason: 'pause requested by user' });

    // Assess
    expect(sent()).toEqual([
      ['StopTaskCommand', { cluster: 'clc', task: taskArn, reason: 'pause requested by user' }],
    ]);
  });

  it('cuts the reason to 255 UTF-16 units without splitting a surrogate pair', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, minimalConfig);

    // Act
    await runtime.stopTask({ taskArn, reason: `${'x'.repeat(254)}😀tail` });

    // Assess
    const [call] = ecsMock.commandCalls(StopTaskCommand);
    expect(call?.args[0].input.reason).toBe('x'.repeat(254));
  });

  it('sends DescribeTasks for the one task in the cluster', async () => {
    // Prepare
    const runtime = new EcsContainerRuntime(client, minimalConfig);

    // Act
    const state = await runtime.describeTask(taskArn);

    // Assess
    expect(state).toBeUndefined();
    expect(sent()).toEqual([['DescribeTasksCommand', { cluster: 'clc', tasks: [taskArn] }]]);
  });
});

describe('EcsContainerRuntime configuration and task groups', () => {
  it.each([
    ['no subnet', { subnets: [] }],
    ['an empty cluster', { cluster: ' ' }],
    ['a family prefix ECS refuses', { taskDefinitionFamilyPrefix: 'clc:prod' }],
  ])('refuses a config with %s at construction', (_, change) => {
    // Act
    const constructing = () => new EcsContainerRuntime(client, { ...minimalConfig, ...change });

    // Assess
    expect(constructing).toThrow(/EcsRuntimeConfig/);
  });

  it('reads the container id and launch version back from a task group', () => {
    // Act
    const parsed = parseTaskGroup(taskGroup(containerId, 12));

    // Assess
    expect(parsed).toEqual({ containerId, launchVersion: 12 });
  });

  it.each(['family:clc-6740c3f2a1b2c3d4e5f60718', 'container:6740c3f2a1b2c3d4e5f60718', 'container::1'])(
    'reads nothing from the group %j of a task it did not start',
    (group) => {
      // Act
      const parsed = parseTaskGroup(group);

      // Assess
      expect(parsed).toBeUndefined();
    },
  );
});
