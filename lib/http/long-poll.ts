/**
 * The long polls: GET /v1/operations/{id}?wait=N and GET /v1/containers/{id}?wait_for=<status>,
 * their request shapes and the header that says to ask again.
 */
import { containerStatuses } from '../domain/container-status';
import { transitionIdPattern } from '../domain/transition-id';
import * as z from '../schema';

/** Long polls end below API Gateway's 30 s integration limit, with time left to answer. */
export const maxWaitSeconds = 25;

const waitSeconds = z.coerce.number().check(z.int(), z.minimum(0), z.maximum(maxWaitSeconds));

export const operationIdPath = z.object({ id: z.string().check(z.regex(transitionIdPattern)) });

export const getOperationQuery = z.strictObject({ wait: z._default(waitSeconds, 0) });

/** Not strict, unlike the list queries: this route took no query before, and ignored any it got. */
export const getContainerQuery = z
  .object({
    wait_for: z.optional(z.enum(containerStatuses)),
    timeout: z.optional(waitSeconds),
  })
  .check(
    z.refine((query) => query.timeout === undefined || query.wait_for !== undefined, {
      message: 'timeout goes with wait_for',
      path: ['timeout'],
    }),
  );

/** Said by a long poll that ran out of time before what it waited for happened: ask again in a second. */
export function retryAfterWhile(waiting: boolean): Record<string, string> {
  return waiting ? { 'retry-after': '1' } : {};
}
