/** The query strings of the list routes: containers, status logs, job runs, webhook deliveries. */
import { containerStatuses } from '../../domain/container-status';
import { runIdPattern } from '../../domain/job';
import { logSortKeys } from '../../ports/container-repository';
import * as z from '../../schema';
import { ownerId, slug } from './common';

const pageSize = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100));
const pageNumber = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000));
const sortOrder = z._default(z.enum(['asc', 'desc']), 'desc');
const cursorText = z.string().check(z.minLength(1), z.maxLength(2048));
const cursorOrPage = z.refine<{ cursor?: string | undefined; page?: number | undefined }>(
  (query) => !(query.cursor && query.page),
  { message: 'use cursor or page, not both', path: ['page'] },
);

/** GET /v1/projects/{project_id}/containers: GET /v1/containers?project_id= with the project in the path. */
export const listProjectContainersQuery = z
  .strictObject({
    status: z.optional(z.enum(containerStatuses)),
    per_page: z.optional(pageSize),
    limit: z.optional(pageSize),
    cursor: z.optional(cursorText),
    page: z.optional(pageNumber),
    sort_order: sortOrder,
    owner_id: z.optional(ownerId),
  })
  .check(cursorOrPage);

export const jobRunsQuery = z.strictObject({
  run_id: z.optional(
    z.string().check(z.regex(runIdPattern, 'must be run_ and a whole number, such as run_2')),
  ),
  limit: z.optional(pageSize),
  cursor: z.optional(cursorText),
});

export const listContainersQuery = z
  .strictObject({
    status: z.optional(z.enum(containerStatuses)),
    project_id: z.optional(slug),
    per_page: z.optional(pageSize),
    limit: z.optional(pageSize),
    cursor: z.optional(cursorText),
    page: z.optional(pageNumber),
    sort_order: sortOrder,
    owner_id: z.optional(ownerId),
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

export const listDeliveriesQuery = z.strictObject({
  limit: z.optional(pageSize),
  cursor: z.optional(cursorText),
});
