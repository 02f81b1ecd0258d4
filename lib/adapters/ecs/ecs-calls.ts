/**
 * The ECS adapter is a set of functions, one per ECS call (ecs-task-runner.ts,
 * ecs-task-definitions.ts), rather than one class: a function binds the calls it makes and its
 * bundle holds those SDK commands only, where a class would bring the schemas of all five
 * (cold load, issue 6).
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import { checkEcsRuntimeConfig, type EcsRuntimeConfig } from './ecs-runtime-config';

/** The client and the configuration every call is made with. */
export interface EcsTarget {
  readonly client: ECSClient;
  readonly config: EcsRuntimeConfig;
}

/** Throws at once when `config` cannot work (no subnet, empty cluster, bad family prefix). */
export function ecsTarget(client: ECSClient, config: EcsRuntimeConfig): EcsTarget {
  checkEcsRuntimeConfig(config);
  return { client, config };
}

/** One call of the adapter: an ECS API call made with `ecs`, its failures turned into RuntimeError. */
export type EcsCall<Input, Output> = (ecs: EcsTarget, input: Input) => Promise<Output>;

/** Calls of the adapter, named as the ContainerRuntime methods they implement. */
export type EcsCalls = Readonly<Record<string, EcsCall<never, unknown>>>;

/** The calls with their target bound: a runtime of these methods and no other. */
export type BoundEcsCalls<Calls extends EcsCalls> = {
  readonly [Name in keyof Calls]: Calls[Name] extends EcsCall<infer Input, infer Output>
    ? (input: Input) => Promise<Output>
    : never;
};

/** `bindEcsCalls(ecs, { runTask, stopTask })` is a `Pick<ContainerRuntime, 'runTask' | 'stopTask'>`. */
export function bindEcsCalls<Calls extends EcsCalls>(ecs: EcsTarget, calls: Calls): BoundEcsCalls<Calls> {
  const bound = Object.entries(calls).map(([name, call]) => [name, (input: never) => call(ecs, input)]);
  return Object.fromEntries(bound) as BoundEcsCalls<Calls>;
}
