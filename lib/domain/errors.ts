/**
 * Errors the use cases throw, named by the contract's error codes. The domain says what went
 * wrong; lib/http/error-table.ts alone decides which HTTP status each code becomes.
 */
export const errorCodes = [
  'VALIDATION_ERROR',
  'INVALID_ID_FORMAT',
  'INVALID_CURSOR',
  'MISSING_TOKEN',
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'INSUFFICIENT_PERMISSIONS',
  'ACCOUNT_BANNED',
  'OPERATION_NOT_PERMITTED_ON_EXPIRED',
  'QUOTA_EXCEEDED',
  'CONTAINER_NOT_FOUND',
  // An extension of the contract: GET /v1/operations/{id} for an operation the caller cannot see.
  'OPERATION_NOT_FOUND',
  // An extension of the contract: no weekly schedule applies to the container or project.
  'SCHEDULE_NOT_FOUND',
  // Extensions of the contract: a webhook, or one of its deliveries, the caller cannot see.
  'WEBHOOK_NOT_FOUND',
  'DELIVERY_NOT_FOUND',
  // An extension of the contract: a job has no run of that run_id.
  'RUN_NOT_FOUND',
  'OPERATION_STATE_CONFLICT',
  // An extension of the contract: If-Match named a version the container has moved on from.
  'PRECONDITION_FAILED',
  'IDEMPOTENCY_KEY_REUSED',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
  'EXTERNAL_SERVICE_ERROR',
  'CAPACITY_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface DomainErrorOptions extends ErrorOptions {
  /** Shown to the caller under `error.details`: never anything internal. */
  readonly details?: unknown;
  /** Seconds the caller should wait before trying again (RATE_LIMITED, CAPACITY_UNAVAILABLE). */
  readonly retryAfterSeconds?: number;
}

/** An expected failure whose message and details are safe to show to the caller. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options);
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  constructor(details: readonly FieldIssue[], message = 'Request validation failed') {
    super('VALIDATION_ERROR', message, { details });
  }
}

export interface FieldIssue {
  /** Where the bad value is: `body.name`, `query.per_page`, `path.id`. */
  readonly field: string;
  readonly message: string;
}
