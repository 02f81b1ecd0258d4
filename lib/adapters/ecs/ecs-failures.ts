import type { Failure } from '@aws-sdk/client-ecs';
import { recordEcsFailure } from '../../metrics';
import { RuntimeError, runtimeFailures } from '../../ports/container-runtime';

// Each failure is counted (EcsFailures, by kind) where it is made: every one the adapter throws
// comes from these three, and what ECS does not count as failing (a task already gone) does not.

/**
 * A call that failed after the SDK's own retries. Only the error's name goes into the message:
 * ECS messages can carry account ids and role ARNs; the SDK error stays reachable as `cause`.
 */
export function serviceFailure(operation: string, error: unknown): RuntimeError {
  recordEcsFailure('service');
  return new RuntimeError(runtimeFailures.service, `ECS ${operation} failed: ${errorLabel(error)}`, {
    cause: error,
  });
}

/** Makes one ECS call; whatever the SDK could not get past with its retries becomes {@link serviceFailure}. */
export async function attempt<Output>(operation: string, call: () => Promise<Output>): Promise<Output> {
  try {
    return await call();
  } catch (error) {
    throw serviceFailure(operation, error);
  }
}

/** ECS answered, but not in a shape the adapter can use. */
export function unexpectedAnswer(operation: string, what: string): RuntimeError {
  recordEcsFailure('unexpected-answer');
  return new RuntimeError(runtimeFailures.service, `ECS ${operation} answered ${what}`);
}

/** RunTask placed nothing: `failures[]` says why (RESOURCE:MEMORY, no Fargate capacity...). */
export function placementFailure(failures: readonly Failure[]): RuntimeError {
  recordEcsFailure('capacity');
  const reasons = [...new Set(failures.map((failure) => failure.reason ?? 'no reason given'))];
  return new RuntimeError(runtimeFailures.capacity, `ECS could not place the task: ${reasons.join('; ')}`);
}

/** StopTask of a task ECS no longer keeps (stopped long ago, or never existed). */
export function isUnknownTask(error: unknown): boolean {
  return isNamed(error, ['InvalidParameterException']) && /\btask\b.*\bnot found\b/i.test(error.message);
}

/** DeregisterTaskDefinition of a revision that is already INACTIVE, deleted or never existed. */
export function isGoneTaskDefinition(error: unknown): boolean {
  return (
    isNamed(error, ['ClientException', 'InvalidParameterException']) &&
    /does not exist|not found|inactive|not active|unable to describe/i.test(error.message)
  );
}

function isNamed(error: unknown, names: readonly string[]): error is Error {
  return error instanceof Error && names.includes(error.name);
}

/** The error's name, with the system code of a network error (`Error (ECONNREFUSED)`). */
function errorLabel(error: unknown): string {
  if (!(error instanceof Error)) return 'UnknownError';
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== error.name ? `${error.name} (${code})` : error.name;
}
