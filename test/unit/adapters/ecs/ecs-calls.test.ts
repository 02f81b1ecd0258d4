import { ECSClient, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { bindEcsCalls, ecsTarget } from '../../../../lib/adapters/ecs/ecs-calls';
import { runTask, stopTask } from '../../../../lib/adapters/ecs/ecs-task-runner';

const client = new ECSClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const ecsMock = mockClient(client);
const config = {
  cluster: 'clc',
  subnets: ['subnet-a'],
  securityGroups: [],
  assignPublicIp: false,
  taskDefinitionFamilyPrefix: 'clc',
};
const taskArn = 'arn:aws:ecs:eu-west-1:123456789012:task/clc/0123456789abcdef0123456789abcdef';

afterAll(() => {
  ecsMock.restore();
  client.destroy();
});

describe('bindEcsCalls', () => {
  it('makes a runtime of the given calls only, each sent with the bound client and config', async () => {
    // Prepare
    ecsMock.reset();
    ecsMock.on(StopTaskCommand).resolves({});
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn, lastStatus: 'PROVISIONING' }] });
    const runtime = bindEcsCalls(ecsTarget(client, config), { runTask, stopTask });

    // Act
    await runtime.stopTask({ taskArn, reason: 'stop requested by user' });
    const launched = await runtime.runTask({
      containerId: 'c1',
      taskDefinitionArn: 'arn:td',
      launchVersion: 1,
    });

    // Assess
    expect(Object.keys(runtime)).toEqual(['runTask', 'stopTask']);
    expect(launched).toEqual({ taskArn, lastStatus: 'PROVISIONING' });
    expect(ecsMock.commandCalls(StopTaskCommand).map((call) => call.args[0].input)).toEqual([
      { cluster: 'clc', task: taskArn, reason: 'stop requested by user' },
    ]);
    expect(ecsMock.commandCalls(RunTaskCommand)[0]?.args[0].input.cluster).toBe('clc');
  });

  it('refuses a config that cannot work when the target is made, before any call', () => {
    // Act
    const making = () => ecsTarget(client, { ...config, subnets: [] });

    // Assess
    expect(making).toThrow(/EcsRuntimeConfig.subnets/);
  });
});
