/** The ECS runtime, for the functions that run or stop tasks (infra/function-access.ts). */
import { createEcsClient, EcsContainerRuntime } from '../adapters/ecs/ecs-container-runtime';
import type { ContainerRuntime } from '../ports/container-runtime';
import { tableWiringOnce } from './table';

let runtime: ContainerRuntime | undefined;

/** The instance's ECS runtime, made on first use from the configuration the table wiring read. */
export function ecsRuntimeOnce(): ContainerRuntime {
  if (!runtime) {
    const { config } = tableWiringOnce();
    runtime = new EcsContainerRuntime(createEcsClient({ endpoint: config.ECS_ENDPOINT }), {
      cluster: config.ECS_CLUSTER,
      subnets: config.ECS_SUBNETS,
      securityGroups: config.ECS_SECURITY_GROUPS,
      assignPublicIp: config.ECS_ASSIGN_PUBLIC_IP,
      executionRoleArn: config.ECS_EXECUTION_ROLE_ARN,
      taskRoleArn: config.ECS_TASK_ROLE_ARN,
      logGroup: config.ECS_LOG_GROUP,
      taskDefinitionFamilyPrefix: config.TASK_FAMILY_PREFIX,
    });
  }
  return runtime;
}
