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
import { configOnce } from '../config';

let target: EcsTarget | undefined;

/**
 * The instance's ECS client and runtime configuration, made on first use from the instance's
 * configuration. Not through the table wiring: a function that called ECS alone would otherwise
 * build a DynamoDB client and bundle it.
 */
export function ecsTargetOnce(): EcsTarget {
  if (!target) {
    const config = configOnce();
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

type SharedCall = (input: never) => Promise<unknown>;

let runtime: Record<string, SharedCall> | undefined;

/**
 * A runtime of the given calls (from lib/adapters/ecs/ecs-task-runner.ts and
 * ecs-task-definitions.ts) over the instance's one ECS client. Call it at module scope.
 *
 * The instance has one runtime object of every call bound so far, and a function's runtime is a
 * view of its own calls onto it, by name: a Lambda instance runs one function, so the object holds
 * that function's calls only, while a process that loads several (the local stack, the tests)
 * shares one, which lib/wiring.ts's whole view exposes, so a fault injected there reaches every
 * function. A call already bound is kept: a function loaded later never replaces it.
 */
export function ecsRuntime<Calls extends EcsCalls>(calls: Calls): BoundEcsCalls<Calls> {
  const shared: Record<string, SharedCall> = sharedEcsRuntime(calls);
  const view = Object.keys(calls).map((name) => [
    name,
    (input: never) => {
      const call = shared[name];
      if (!call) throw new Error(`ECS call ${name} is not bound on the instance's runtime`);
      return call(input);
    },
  ]);
  return Object.fromEntries(view) as BoundEcsCalls<Calls>;
}

/**
 * The instance's runtime object itself, with the given calls bound onto it where they are not yet:
 * lib/wiring.ts's whole view, on which a test's spy or fault reaches every function's view.
 */
export function sharedEcsRuntime<Calls extends EcsCalls>(calls: Calls): BoundEcsCalls<Calls> {
  runtime ??= {};
  const shared = runtime;
  for (const [name, call] of Object.entries(bindEcsCalls(ecsTargetOnce(), calls))) {
    shared[name] ??= call as SharedCall;
  }
  return shared as BoundEcsCalls<Calls>;
}
