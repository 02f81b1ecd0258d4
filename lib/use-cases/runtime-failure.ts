import { DomainError } from '../domain/errors';
import { RuntimeError } from '../ports/container-runtime';

/** Seconds a caller should wait after ECS had no capacity. */
const capacityRetryAfterSeconds = 30;

/**
 * The contract error for a failed runtime call; anything else is rethrown as it is. When the call
 * belonged to an accepted operation (now undone), `details.operation_id` names it, so that the
 * caller can read with GET /v1/operations/{id} that it failed, and why.
 */
export function runtimeFailure(error: unknown, containerId: string, operationId?: string): DomainError {
  if (!(error instanceof RuntimeError)) throw error;
  const operation = operationId === undefined ? {} : { operation_id: operationId };
  if (error.kind === 'CAPACITY_UNAVAILABLE') {
    return new DomainError(
      'CAPACITY_UNAVAILABLE',
      'No capacity is available to run the container; try again later',
      {
        details: { container_id: containerId, ...operation, reason: error.message },
        retryAfterSeconds: capacityRetryAfterSeconds,
        cause: error,
      },
    );
  }
  return new DomainError(
    'EXTERNAL_SERVICE_ERROR',
    'The container runtime failed; the container was left as it was',
    {
      details: { container_id: containerId, ...operation },
      cause: error,
    },
  );
}
