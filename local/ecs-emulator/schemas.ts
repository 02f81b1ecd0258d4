import * as z from 'zod';
import { invalidParameterError } from './errors';

/*
 * Request schemas of the emulated operations. Objects are not strict: the SDK and callers may send
 * members the emulator does not model, and ECS ignores what it does not know either.
 */

const nonEmpty = z.string().min(1);

const tags = z.array(z.object({ key: nonEmpty, value: z.string() })).max(50);

const containerDefinition = z.looseObject({
  name: nonEmpty,
  image: nonEmpty,
  essential: z.boolean().optional(),
  cpu: z.number().int().min(0).optional(),
  memory: z.number().int().min(1).optional(),
});

export const registerTaskDefinitionSchema = z.object({
  family: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'family must be 1-255 letters, digits, - or _'),
  containerDefinitions: z.array(containerDefinition).min(1),
  taskRoleArn: z.string().optional(),
  executionRoleArn: z.string().optional(),
  networkMode: z.enum(['bridge', 'host', 'awsvpc', 'none']).optional(),
  requiresCompatibilities: z.array(z.string()).optional(),
  cpu: z.string().optional(),
  memory: z.string().optional(),
  volumes: z.array(z.unknown()).optional(),
  placementConstraints: z.array(z.unknown()).optional(),
  runtimePlatform: z.looseObject({}).optional(),
  ephemeralStorage: z.looseObject({ sizeInGiB: z.number().int() }).optional(),
  tags: tags.optional(),
});
export type RegisterTaskDefinitionInput = z.infer<typeof registerTaskDefinitionSchema>;

const include = z.array(z.string()).optional();

export const describeTaskDefinitionSchema = z.object({ taskDefinition: nonEmpty, include });

export const deregisterTaskDefinitionSchema = z.object({ taskDefinition: nonEmpty });

const containerOverride = z.looseObject({
  name: z.string().optional(),
  cpu: z.number().int().optional(),
  memory: z.number().int().optional(),
});

export const runTaskSchema = z.object({
  cluster: z.string().optional(),
  taskDefinition: nonEmpty,
  count: z.number().int().min(1).max(10).optional(),
  startedBy: z
    .string()
    .regex(/^[A-Za-z0-9_/-]{1,128}$/, 'startedBy allows up to 128 letters, digits, -, / and _')
    .optional(),
  group: z.string().min(1).max(255).optional(),
  launchType: z.string().optional(),
  capacityProviderStrategy: z.array(z.looseObject({ capacityProvider: nonEmpty })).optional(),
  networkConfiguration: z
    .looseObject({
      awsvpcConfiguration: z
        .looseObject({
          subnets: z.array(nonEmpty),
          securityGroups: z.array(z.string()).optional(),
          assignPublicIp: z.enum(['ENABLED', 'DISABLED']).optional(),
        })
        .optional(),
    })
    .optional(),
  overrides: z
    .looseObject({
      containerOverrides: z.array(containerOverride).optional(),
      cpu: z.string().optional(),
      memory: z.string().optional(),
    })
    .optional(),
  clientToken: z.string().min(1).max(64).optional(),
  enableExecuteCommand: z.boolean().optional(),
  tags: tags.optional(),
});
export type RunTaskInput = z.infer<typeof runTaskSchema>;

export const stopTaskSchema = z.object({
  cluster: z.string().optional(),
  task: nonEmpty,
  reason: z.string().max(255).optional(),
});

export const describeTasksSchema = z.object({
  cluster: z.string().optional(),
  tasks: z.array(nonEmpty).min(1, 'Tasks cannot be empty.').max(100),
  include,
});

export const listTasksSchema = z.object({
  cluster: z.string().optional(),
  family: z.string().optional(),
  startedBy: z.string().optional(),
  serviceName: z.string().optional(),
  containerInstance: z.string().optional(),
  desiredStatus: z.enum(['RUNNING', 'PENDING', 'STOPPED']).optional(),
  launchType: z.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES']).optional(),
  maxResults: z.number().int().min(1).max(100).optional(),
  nextToken: z.string().optional(),
});

/** Parses an operation's input, answering InvalidParameterException like ECS on a bad request. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  throw invalidParameterError(`${where}${issue?.message ?? 'invalid request'}`);
}
