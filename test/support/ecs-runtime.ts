/** The ECS runtime adapter over a local ECS emulator, as the integration suites drive it. */
import type { ECSClient } from '@aws-sdk/client-ecs';
import { createEcsClient, EcsContainerRuntime } from '../../lib/adapters/ecs/ecs-container-runtime';
import { type EcsEmulator, type EcsEmulatorOptions, startEcsEmulator } from '../../local/ecs-emulator';

export async function startEmulatedRuntime(
  options: EcsEmulatorOptions = {},
): Promise<{ ecs: EcsEmulator; client: ECSClient; runtime: EcsContainerRuntime }> {
  const ecs = await startEcsEmulator({
    startMs: 30,
    stopMs: 30,
    logger: { error: () => undefined },
    ...options,
  });
  const client = createEcsClient({ endpoint: ecs.endpoint, region: 'us-east-1' });
  const runtime = new EcsContainerRuntime(client, {
    cluster: 'default',
    subnets: ['subnet-local'],
    securityGroups: [],
    assignPublicIp: true,
    taskDefinitionFamilyPrefix: 'clc',
  });
  return { ecs, client, runtime };
}
