/** The contract's request shapes, checked at the edge before any I/O. */
import * as z from 'zod';
import { containerIdPattern } from '../domain/container-id';
import { containerStatuses } from '../domain/container-status';
import { operations } from '../domain/operations';
import { logSortKeys } from '../ports/container-repository';

const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'use 1-63 of a-z, 0-9 and -, not at either end');

export const idPath = z.object({ id: z.string().regex(containerIdPattern) });

export const operationPath = z.object({
  id: z.string().regex(containerIdPattern),
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
  .min(1)
  .max(255)
  .regex(
    /^[a-z0-9][a-z0-9._\-/:@]*$/i,
    'must be an image reference such as public.ecr.aws/docker/library/python:3.13',
  );

export const createContainerBody = z
  .strictObject({
    name: slug,
    image: imageReference,
    project_id: slug.default('default'),
    cpu_units: z
      .union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)])
      .default(256),
    memory_mb: z.number().int().optional(),
    command: z.array(z.string().max(4096)).max(64).nullable().default(null),
    // A JavaScript object cannot hold `__proto__` as data: the record would drop it without a word.
    environment: z
      .custom<unknown>(
        (value) => !(typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')),
        '__proto__ is a reserved name',
      )
      .pipe(
        z
          .record(
            z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'environment names are letters, digits and _'),
            z.string().max(4096),
          )
          .refine((environment) => Object.keys(environment).length <= 100, 'at most 100 variables'),
      )
      .default({}),
    idle_timeout_seconds: z.number().int().min(60).max(604_800).nullable().default(3600),
    start: z.boolean().default(true),
  })
  .transform((body, context) => {
    const allowed = fargateMemory[body.cpu_units] ?? [];
    const memory = body.memory_mb ?? allowed[0] ?? 512;
    if (!allowed.includes(memory)) {
      context.addIssue({
        code: 'custom',
        path: ['memory_mb'],
        message: `with cpu_units ${body.cpu_units}, memory_mb must be one of ${allowed.join(', ')}`,
      });
      return z.NEVER;
    }
    return { ...body, memory_mb: memory };
  });

const pageSize = z.coerce.number().int().min(1).max(100);
const pageNumber = z.coerce.number().int().min(1).max(10_000);
const sortOrder = z.enum(['asc', 'desc']).default('desc');

export const listContainersQuery = z
  .strictObject({
    status: z.enum(containerStatuses).optional(),
    project_id: slug.optional(),
    per_page: pageSize.optional(),
    limit: pageSize.optional(),
    cursor: z.string().min(1).max(2048).optional(),
    page: pageNumber.optional(),
    sort_order: sortOrder,
    owner_id: z.string().min(1).max(256).optional(),
  })
  .refine((query) => !(query.cursor && query.page), {
    message: 'use cursor or page, not both',
    path: ['page'],
  });

export const listStatusLogsQuery = z
  .strictObject({
    page: pageNumber.optional(),
    limit: pageSize.optional(),
    per_page: pageSize.optional(),
    sort_by: z.enum(logSortKeys).default('transition_time'),
    sort_order: sortOrder,
    cursor: z.string().min(1).max(2048).optional(),
  })
  .refine((query) => !(query.cursor && query.page), {
    message: 'use cursor or page, not both',
    path: ['page'],
  });
