/** The contract's request shapes, checked at the edge before any I/O. */

import { containerIdPattern } from '../domain/container-id';
import { containerStatuses } from '../domain/container-status';
import { operations } from '../domain/operations';
import { logSortKeys } from '../ports/container-repository';
import * as z from '../zod';

const slug = z
  .string()
  .check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'use 1-63 of a-z, 0-9 and -, not at either end'));

export const idPath = z.object({ id: z.string().check(z.regex(containerIdPattern)) });

/** POST /v1/containers/{id}/snooze: seconds from now before which it is not stopped for idleness. */
export const snoozeBody = z.strictObject({
  seconds: z.number().check(z.int(), z.minimum(60), z.maximum(86_400)),
});

export const operationPath = z.object({
  id: z.string().check(z.regex(containerIdPattern)),
  operation: z.enum(operations),
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
    idle_timeout_seconds: z._default(
      z.nullable(z.number().check(z.int(), z.minimum(60), z.maximum(604_800))),
      3600,
    ),
    start: z._default(z.boolean(), true),
  }),
  z.transform((body, context) => {
    const allowed = fargateMemory[body.cpu_units] ?? [];
    const memory = body.memory_mb ?? allowed[0] ?? 512;
    if (!allowed.includes(memory)) {
      context.issues.push({
        code: 'custom',
        path: ['memory_mb'],
        message: `with cpu_units ${body.cpu_units}, memory_mb must be one of ${allowed.join(', ')}`,
        input: body,
      });
      return z.NEVER;
    }
    return { ...body, memory_mb: memory };
  }),
);

const pageSize = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100));
const pageNumber = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000));
const sortOrder = z._default(z.enum(['asc', 'desc']), 'desc');
const cursorText = z.string().check(z.minLength(1), z.maxLength(2048));
const cursorOrPage = z.refine<{ cursor?: string | undefined; page?: number | undefined }>(
  (query) => !(query.cursor && query.page),
  { message: 'use cursor or page, not both', path: ['page'] },
);

export const listContainersQuery = z
  .strictObject({
    status: z.optional(z.enum(containerStatuses)),
    project_id: z.optional(slug),
    per_page: z.optional(pageSize),
    limit: z.optional(pageSize),
    cursor: z.optional(cursorText),
    page: z.optional(pageNumber),
    sort_order: sortOrder,
    owner_id: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  })
  .check(cursorOrPage);

export const listStatusLogsQuery = z
  .strictObject({
    page: z.optional(pageNumber),
    limit: z.optional(pageSize),
    per_page: z.optional(pageSize),
    sort_by: z._default(z.enum(logSortKeys), 'transition_time'),
    sort_order: sortOrder,
    cursor: z.optional(cursorText),
  })
  .check(cursorOrPage);
