import type { ClientErrorCode, Container, ContainerStatus, ErrorCode, OperationState } from './types';

/** A code this client knows, or one a newer server added (`string & {}` keeps the known ones suggested). */
export type ApiErrorCode = ErrorCode | ClientErrorCode | (string & {});

export interface ContainerApiErrorOptions extends ErrorOptions {
  /** HTTP status; 0 when no answer came (a network error). */
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details?: unknown;
  readonly requestId?: string | undefined;
  /** The answer's Retry-After, in seconds, when it had one. */
  readonly retryAfterSeconds?: number | undefined;
}

/** A request the API refused or could not answer, as the contract's `{"error": {...}}` says. */
export class ContainerApiError extends Error {
  override readonly name = 'ContainerApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: ContainerApiErrorOptions) {
    super(message, options);
    this.status = options.status;
    this.code = options.code;
    this.details = options.details;
    this.requestId = options.requestId;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * waitFor() ended without the status: the time ran out (`timeout`), or the container came to rest
 * in another status that it will not leave by itself (`settled`, e.g. `error` after a failed start).
 */
export class WaitForStatusError extends Error {
  override readonly name = 'WaitForStatusError';

  constructor(
    readonly reason: 'timeout' | 'settled',
    readonly expected: ContainerStatus,
    /** The container as last read. */
    readonly container: Container,
  ) {
    super(
      reason === 'timeout'
        ? `container ${container.id} is ${container.status}, not ${expected}, after waiting`
        : `container ${container.id} settled in ${container.status}${container.status_reason ? ` (${container.status_reason})` : ''} and will not become ${expected} by itself`,
    );
  }
}

/** waitForOperation() ran out of time while the operation was still pending. */
export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError';

  constructor(readonly operation: OperationState) {
    super(`operation ${operation.id} (${operation.operation}) is still pending after waiting`);
  }
}
