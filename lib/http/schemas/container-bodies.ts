/** The bodies of the container routes: create, PATCH (the auto-stop policy) and snooze. */
import { containerKinds } from '../../domain/container';
import * as z from '../../schema';
import { slug } from './common';

/** POST /v1/containers/{id}/snooze: seconds from now before which it is not stopped for idleness. */
export const snoozeBody = z.strictObject({
  seconds: z.number().check(z.int(), z.minimum(60), z.maximum(86_400)),
});

/** Fargate's valid memory sizes (MiB) for each CPU size (units). */
export const fargateMemory: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, index) => from + index * step);
}

const imageReference = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(255),
    z.regex(
      /^[a-z0-9][a-z0-9._\-/:@]*$/i,
      'must be an image reference such as public.ecr.aws/docker/library/python:3.13',
    ),
  );

/** The auto-stop policy's fields, on create and on PATCH: null turns each off. */
const idleTimeoutSeconds = z.nullable(z.number().check(z.int(), z.minimum(60), z.maximum(604_800)));
const maxLifetimeSeconds = z.nullable(z.number().check(z.int(), z.minimum(300), z.maximum(2_592_000)));

/** PATCH /v1/containers/{id}: the auto-stop policy, at least one field of it. */
export const updatePolicyBody = z
  .strictObject({
    idle_timeout_seconds: z.optional(idleTimeoutSeconds),
    max_lifetime_seconds: z.optional(maxLifetimeSeconds),
  })
  .check(
    z.refine(
      (body) => body.idle_timeout_seconds !== undefined || body.max_lifetime_seconds !== undefined,
      'name at least one of idle_timeout_seconds, max_lifetime_seconds',
    ),
  );

export const createContainerBody = z.pipe(
  z.strictObject({
    name: slug,
    image: imageReference,
    project_id: z._default(slug, 'default'),
    cpu_units: z._default(
      z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]),
      256,
    ),
    memory_mb: z.optional(z.number().check(z.int())),
    command: z._default(
      z.nullable(z.array(z.string().check(z.maxLength(4096))).check(z.maxLength(64))),
      null,
    ),
    // A JavaScript object cannot hold `__proto__` as data: the record would drop it without a word.
    environment: z._default(
      z.pipe(
        z.custom<unknown>(
          (value) => !(typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')),
          '__proto__ is a reserved name',
        ),
        z
          .record(
            z
              .string()
              .check(
                z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'environment names are letters, digits and _'),
              ),
            z.string().check(z.maxLength(4096)),
          )
          .check(z.refine((environment) => Object.keys(environment).length <= 100, 'at most 100 variables')),
      ),
      {},
    ),
    // Default 3600 for a service; a job runs to completion, so its only allowed value is null.
    idle_timeout_seconds: z.optional(idleTimeoutSeconds),
    max_lifetime_seconds: z._default(maxLifetimeSeconds, null),
    start: z._default(z.boolean(), true),
    kind: z._default(z.enum(containerKinds), 'service'),
  }),
  z.transform((body, context) => {
    const allowed = fargateMemory[body.cpu_units] ?? [];
    const memory = body.memory_mb ?? allowed[0] ?? 512;
    const isJob = body.kind === 'job';
    const refusals: { path: string; message: string }[] = [];
    if (!allowed.includes(memory)) {
      refusals.push({
        path: 'memory_mb',
        message: `with cpu_units ${body.cpu_units}, memory_mb must be one of ${allowed.join(', ')}`,
      });
    }
    if (isJob && body.idle_timeout_seconds != null) {
      refusals.push({
        path: 'idle_timeout_seconds',
        message: 'a job runs to completion and is never stopped for idleness: leave it out or null',
      });
    }
    if (refusals.length > 0) {
      for (const { path, message } of refusals) {
        context.issues.push({ code: 'custom', path: [path], message, input: body });
      }
      return z.NEVER;
    }
    const defaultIdleTimeout = isJob ? null : 3600;
    return {
      ...body,
      memory_mb: memory,
      idle_timeout_seconds:
        body.idle_timeout_seconds === undefined ? defaultIdleTimeout : body.idle_timeout_seconds,
    };
  }),
);
