/**
 * The ECS runtime of the functions that call ECS (infra/function-access.ts). Each function binds
 * the calls it makes, `ecsRuntime({ runTask, stopTask })`, so that its bundle holds those SDK
 * commands only: the schemas of the other ones would cost cold load for nothing.
 */
import {
  type BoundEcsCalls,
  bindEcsCalls,
  type EcsCalls,
  type EcsTarget,
  ecsTarget,
} from '../adapters/ecs/ecs-calls';
import { createEcsClient } from '../adapters/ecs/ecs-client';
import { tableWiringOnce } from './table';

let target: EcsTarget | undefined;

/** The instance's ECS client and runtime configuration, made on first use from the configuration the table wiring read. */
export function ecsTargetOnce(): EcsTarget {
  if (!target) {
    const { config } = tableWiringOnce();
    target = ecsTarget(createEcsClient({ endpoint: config.ECS_ENDPOINT }), {
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
  return target;
}

let runtime: Record<string, unknown> | undefined;

/**
 * A runtime of the given calls (from lib/adapters/ecs/ecs-task-runner.ts and
 * ecs-task-definitions.ts) over the instance's one ECS client. Call it at module scope.
 *
 * The instance has one runtime object, and each call binds its calls onto it: a Lambda instance
 * runs one function, so it holds that function's calls only, while a process that loads several
 * (the local stack, the tests) shares one runtime, which lib/wiring.ts's whole view exposes, so
 * a fault injected there reaches every function.
 */
export function ecsRuntime<Calls extends EcsCalls>(calls: Calls): BoundEcsCalls<Calls> {
  runtime ??= {};
  Object.assign(runtime, bindEcsCalls(ecsTargetOnce(), calls));
  return runtime as BoundEcsCalls<Calls>;
}
