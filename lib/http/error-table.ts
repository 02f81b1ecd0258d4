import type { ErrorCode } from '../domain/errors';

/** The one map from the contract's error codes to HTTP statuses and default messages. */
export const errorTable = {
  VALIDATION_ERROR: { status: 400, message: 'Request validation failed' },
  INVALID_ID_FORMAT: { status: 400, message: 'Container id must be 24 lowercase hexadecimal characters' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is invalid, expired or belongs to another query' },
  MISSING_TOKEN: { status: 401, message: 'A bearer token is required' },
  INVALID_TOKEN: { status: 401, message: 'The bearer token is invalid' },
  TOKEN_EXPIRED: { status: 401, message: 'The bearer token has expired' },
  INSUFFICIENT_PERMISSIONS: { status: 403, message: 'The token lacks the scope this request needs' },
  ACCOUNT_BANNED: { status: 403, message: 'This account is banned' },
  OPERATION_NOT_PERMITTED_ON_EXPIRED: { status: 403, message: 'The container has expired and is read-only' },
  QUOTA_EXCEEDED: { status: 403, message: 'Container limit reached' },
  CONTAINER_NOT_FOUND: { status: 404, message: 'Container not found' },
  OPERATION_NOT_FOUND: { status: 404, message: 'Operation not found' },
  SCHEDULE_NOT_FOUND: { status: 404, message: 'No schedule applies here' },
  WEBHOOK_NOT_FOUND: { status: 404, message: 'Webhook not found' },
  DELIVERY_NOT_FOUND: { status: 404, message: 'Delivery not found' },
  RUN_NOT_FOUND: { status: 404, message: 'Run not found' },
  OPERATION_STATE_CONFLICT: { status: 409, message: 'Operation not allowed in the current status' },
  PRECONDITION_FAILED: { status: 412, message: 'The container has changed since the version in If-Match' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'The idempotency key was used with a different request' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  INTERNAL_SERVER_ERROR: { status: 500, message: 'Internal server error' },
  EXTERNAL_SERVICE_ERROR: { status: 502, message: 'An upstream service failed; nothing was changed' },
  CAPACITY_UNAVAILABLE: { status: 503, message: 'No capacity is available to run the container' },
} as const satisfies Record<ErrorCode, { status: number; message: string }>;
