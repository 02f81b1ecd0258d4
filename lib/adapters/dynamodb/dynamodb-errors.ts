/** What the DynamoDB adapters make of the SDK's errors, in one place. */
import { DomainError } from '../../domain/errors';
import type { Item } from './attribute-values';

/** DynamoDB failing past the SDK's retries: an upstream failure, not a bug of ours. */
const serviceFailures = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** DynamoDB failing, to the caller: EXTERNAL_SERVICE_ERROR (502). */
export function databaseUnavailable(cause?: unknown): DomainError {
  return new DomainError(
    'EXTERNAL_SERVICE_ERROR',
    'The database is unavailable; nothing was changed',
    cause === undefined ? undefined : { cause },
  );
}

/** The request's answer, or EXTERNAL_SERVICE_ERROR when DynamoDB itself failed. */
export async function unlessUnavailable<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (serviceFailures.has(errorName(error))) throw databaseUnavailable(error);
    throw error;
  }
}

/** Why each part of a cancelled TransactWriteItems failed, in order; undefined for any other error. */
export function cancellationReasons(error: unknown): Array<{ Code?: string; Item?: Item }> | undefined {
  if (errorName(error) !== 'TransactionCanceledException') return undefined;
  return (error as { CancellationReasons?: Array<{ Code?: string; Item?: Item }> }).CancellationReasons ?? [];
}
