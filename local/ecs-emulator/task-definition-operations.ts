import { clientError } from './errors';
import type { OperationContext, OperationHandler } from './operation-context';
import {
  deregisterTaskDefinitionSchema,
  describeTaskDefinitionSchema,
  parseInput,
  registerTaskDefinitionSchema,
} from './schemas';

type TaskDefinitionOperation =
  | 'RegisterTaskDefinition'
  | 'DeregisterTaskDefinition'
  | 'DescribeTaskDefinition';

export function taskDefinitionOperations(
  context: OperationContext,
): Record<TaskDefinitionOperation, OperationHandler> {
  const registry = context.taskDefinitions;
  return {
    RegisterTaskDefinition: (input) => {
      const record = registry.register(parseInput(registerTaskDefinitionSchema, input));
      return { taskDefinition: registry.view(record), tags: record.tags };
    },
    DeregisterTaskDefinition: (input) => {
      const { taskDefinition } = parseInput(deregisterTaskDefinitionSchema, input);
      return { taskDefinition: registry.view(registry.deregister(taskDefinition)) };
    },
    DescribeTaskDefinition: (input) => {
      const { taskDefinition, include } = parseInput(describeTaskDefinitionSchema, input);
      const record = registry.find(taskDefinition);
      if (record === undefined) throw clientError('Unable to describe task definition.');
      return {
        taskDefinition: registry.view(record),
        ...(include?.includes('TAGS') ? { tags: record.tags } : {}),
      };
    },
  };
}
