/**
 * Every setting the functions read, parsed from the environment once at cold start. A missing or
 * malformed variable fails there, with its name, not at the first request that needs it.
 */
import * as z from 'zod';

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

const environmentSchema = z.object({
  TABLE_NAME: z.string().min(1),
  CURSOR_SECRET: z.string().min(32, 'CURSOR_SECRET must be at least 32 characters'),
  CONTAINER_QUOTA: z.coerce.number().int().min(1).default(5),
  LOG_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  /** Seconds a transitional status may last before the reconciler asks ECS. */
  SETTLE_AFTER_SECONDS: z.coerce.number().int().min(10).default(300),
  /** Seconds before an auto-stop that `container.idle-warning` goes out; 0 sends none. */
  IDLE_WARNING_SECONDS: z.coerce.number().int().min(0).default(300),
  /** The EventBridge bus platform events go to; `log` writes them to the log instead (local). */
  EVENT_BUS_NAME: z.string().min(1).default('default'),
  /** Days a stopped container is kept before it expires. */
  RETENTION_DAYS: z.coerce.number().min(0.0001).default(30),
  ECS_CLUSTER: z.string().min(1),
  ECS_SUBNETS: list.refine((subnets) => subnets.length > 0, 'ECS_SUBNETS needs at least one subnet id'),
  ECS_SECURITY_GROUPS: list,
  ECS_ASSIGN_PUBLIC_IP: flag.default(true),
  ECS_EXECUTION_ROLE_ARN: z.string().min(1).optional(),
  ECS_TASK_ROLE_ARN: z.string().min(1).optional(),
  ECS_LOG_GROUP: z.string().min(1).optional(),
  TASK_FAMILY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('clc'),
  /** Local stack only: DynamoDB Local and the ECS emulator. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  ECS_ENDPOINT: z.url().optional(),
});

export type Config = z.infer<typeof environmentSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
