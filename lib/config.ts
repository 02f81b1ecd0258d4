/**
 * Every setting the functions read, parsed from the environment once at cold start. A missing or
 * malformed variable fails there, with its name, not at the first request that needs it.
 */
import * as z from './schema';

const list = z.pipe(
  z._default(z.string(), ''),
  z.transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
);
const flag = z.pipe(
  z.enum(['true', 'false']),
  z.transform((value) => value === 'true'),
);

const nonEmpty = z.string().check(z.minLength(1));

const environmentSchema = z.object({
  TABLE_NAME: nonEmpty,
  CURSOR_SECRET: z.string().check(z.minLength(32, 'CURSOR_SECRET must be at least 32 characters')),
  CONTAINER_QUOTA: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 5),
  LOG_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 90),
  /** Seconds a transitional status may last before the reconciler asks ECS. */
  SETTLE_AFTER_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(10)), 300),
  /** Seconds before an auto-stop that `container.idle-warning` goes out; 0 sends none. */
  IDLE_WARNING_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 300),
  /** The EventBridge bus platform events go to; `log` writes them to the log instead (local). */
  EVENT_BUS_NAME: z._default(nonEmpty, 'default'),
  /** Days a stopped container is kept before it expires. */
  RETENTION_DAYS: z._default(z.coerce.number().check(z.minimum(0.0001)), 30),
  ECS_CLUSTER: nonEmpty,
  ECS_SUBNETS: list.check(
    z.refine((subnets: string[]) => subnets.length > 0, 'ECS_SUBNETS needs at least one subnet id'),
  ),
  ECS_SECURITY_GROUPS: list,
  ECS_ASSIGN_PUBLIC_IP: z._default(flag, true),
  ECS_EXECUTION_ROLE_ARN: z.optional(nonEmpty),
  ECS_TASK_ROLE_ARN: z.optional(nonEmpty),
  ECS_LOG_GROUP: z.optional(nonEmpty),
  TASK_FAMILY_PREFIX: z._default(z.string().check(z.regex(/^[A-Za-z0-9_-]+$/)), 'clc'),
  /** The most weekly schedules (container and project ones together) an owner may have. */
  SCHEDULE_LIMIT: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 50),
  /** The most webhooks an owner may register. */
  WEBHOOK_LIMIT: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 10),
  /** Seconds to wait after each failed delivery attempt (comma-separated); one more attempt than entries. */
  WEBHOOK_RETRY_SCHEDULE_SECONDS: z.pipe(
    z._default(
      z.string().check(z.regex(/^\d+(,\d+)*$/, 'whole seconds, comma-separated')),
      '30,120,600,3600,21600',
    ),
    z.transform((value) => value.split(',').map(Number)),
  ),
  /** How long a webhook receiver has to answer. */
  WEBHOOK_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(10_000)), 5000),
  /** Local stack and tests only: webhooks may be http://127.0.0.1 and http://localhost. */
  WEBHOOK_ALLOW_LOOPBACK_HTTP: z._default(flag, false),
  /** Local stack only: the local EventBridge (PutEvents) endpoint. */
  EVENTBRIDGE_ENDPOINT: z.optional(nonEmpty),
  /** Local stack only: DynamoDB Local and the ECS emulator. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  ECS_ENDPOINT: z.optional(z.url()),
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

let loaded: Config | undefined;

/** The instance's configuration, parsed on first use (at a handler module's load: the cold start). */
export function configOnce(): Config {
  loaded ??= loadConfig();
  return loaded;
}
