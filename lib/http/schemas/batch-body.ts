import { batchOperations } from '../../domain/batch';
import { containerStatuses } from '../../domain/container-status';
import * as z from '../../schema';
import { slug } from './common';

/**
 * POST /v1/containers/batch. The selector must name at least one criterion, so that no request
 * acts on every container by accident.
 */
export const batchBody = z.strictObject({
  operation: z.enum(batchOperations),
  selector: z
    .strictObject({
      status: z.optional(z.enum(containerStatuses)),
      project_id: z.optional(slug),
      idle_seconds_gt: z.optional(z.number().check(z.int(), z.minimum(0))),
    })
    .check(
      z.refine(
        (selector) =>
          selector.status !== undefined ||
          selector.project_id !== undefined ||
          selector.idle_seconds_gt !== undefined,
        'name at least one of status, project_id, idle_seconds_gt',
      ),
    ),
  dry_run: z._default(z.boolean(), false),
  limit: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(100)), 100),
});
