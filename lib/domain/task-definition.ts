/**
 * A container's task definition family, `<prefix>-<containerId>`: registered under it
 * (lib/adapters/ecs/ecs-requests.ts), and released only when an ARN names it
 * (lib/use-cases/release-task-definitions.ts).
 */
export function taskDefinitionFamily(prefix: string, containerId: string): string {
  return `${prefix}-${containerId}`;
}

/** `arn:aws:ecs:...:task-definition/<family>:<revision>` (or `<family>:<revision>`) to its family. */
export function familyOfTaskDefinition(taskDefinitionArn: string): string {
  const name = taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
  return name.split(':')[0] ?? '';
}
