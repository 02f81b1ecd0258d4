/**
 * The TaskDefinitions calls of the ECS adapter: RegisterTaskDefinition and
 * DeregisterTaskDefinition, one function each (see ecs-calls.ts). Their SDK schemas are the
 * largest of the five, which is why the functions that only run and stop tasks leave them out.
 */
import { DeregisterTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { ContainerSpec } from '../../ports/container-runtime';
import type { EcsTarget } from './ecs-calls';
import { attempt, isGoneTaskDefinition, serviceFailure, unexpectedAnswer } from './ecs-failures';
import { registerTaskDefinitionInput } from './ecs-requests';

/** Registers family `<prefix>-<containerId>`: FARGATE, awsvpc, ARM64, one essential container `main`. */
export async function registerTaskDefinition(ecs: EcsTarget, spec: ContainerSpec): Promise<string> {
  const answer = await attempt('RegisterTaskDefinition', async () => {
    const input = registerTaskDefinitionInput(spec, ecs.config, await logRegion(ecs));
    return ecs.client.send(new RegisterTaskDefinitionCommand(input));
  });
  const arn = answer.taskDefinition?.taskDefinitionArn;
  if (arn === undefined) throw unexpectedAnswer('RegisterTaskDefinition', 'no task definition ARN');
  return arn;
}

export async function deregisterTaskDefinition(ecs: EcsTarget, taskDefinitionArn: string): Promise<void> {
  try {
    await ecs.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
  } catch (error) {
    if (!isGoneTaskDefinition(error)) throw serviceFailure('DeregisterTaskDefinition', error);
  }
}

/** Logs go to the region the tasks run in unless the config names another. */
async function logRegion(ecs: EcsTarget): Promise<string | undefined> {
  if (ecs.config.logGroup === undefined) return undefined;
  return ecs.config.region ?? (await ecs.client.config.region());
}
