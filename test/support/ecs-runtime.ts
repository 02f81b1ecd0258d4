/** The ECS runtime adapter over a local ECS emulator, as the integration suites drive it. */
import { createEcsClient, EcsContainerRuntime } from '../../lib/adapters/ecs/ecs-container-runtime';
import { type EcsEmulator, type EcsEmulatorOptions, startEcsEmulator } from '../../local/ecs-emulator';

export async function startEmulatedRuntime(
  options: EcsEmulatorOptions = {},
): Promise<{ ecs: EcsEmulator; runtime: EcsContainerRuntime }> {
  const ecs = await startEcsEmulator({
    startMs: 30,
    stopMs: 30,
    logger: { error: () => undefined },
    ...options,
  });
  const runtime = new EcsContainerRuntime(createEcsClient({ endpoint: ecs.endpoint, region: 'us-east-1' }), {
    cluster: 'default',
    subnets: ['subnet-local'],
    securityGroups: [],
    assignPublicIp: true,
    taskDefinitionFamilyPrefix: 'clc',
  });
  return { ecs, runtime };
}
