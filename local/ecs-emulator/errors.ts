/**
 * Error types of the emulator. `EcsApiError` is an answer to an HTTP client in the ECS JSON error
 * shape; the other classes are thrown at the programmatic API (options, faults, crashTask).
 */

/** ECS error type names the emulator answers with; the SDK maps each to its exception class. */
export const EcsErrorType = {
  ClientException: 'ClientException',
  InvalidParameterException: 'InvalidParameterException',
  ClusterNotFoundException: 'ClusterNotFoundException',
  ServiceNotFoundException: 'ServiceNotFoundException',
  ConflictException: 'ConflictException',
  ServerException: 'ServerException',
  ThrottlingException: 'ThrottlingException',
  UnknownOperationException: 'UnknownOperationException',
  SerializationException: 'SerializationException',
} as const;

/** An error answered as `{ "__type": errorType, "message": ... }` with the given HTTP status. */
export class EcsApiError extends Error {
  override readonly name = 'EcsApiError';

  constructor(
    readonly errorType: string,
    message: string,
    readonly statusCode = 400,
    /** Extra members of the error body, e.g. `resourceIds` on ConflictException. */
    readonly members: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const clientError = (message: string): EcsApiError =>
  new EcsApiError(EcsErrorType.ClientException, message);

export const invalidParameterError = (message: string): EcsApiError =>
  new EcsApiError(EcsErrorType.InvalidParameterException, message);

/** Invalid emulator options or environment variables. */
export class EmulatorConfigError extends Error {
  override readonly name = 'EmulatorConfigError';
}

/** A fault specification that cannot be honoured (bad `times`, negative delay...). */
export class InvalidFaultError extends Error {
  override readonly name = 'InvalidFaultError';
}

/** `crashTask` was given an ARN the emulator does not know (or no longer keeps). */
export class TaskNotFoundError extends Error {
  override readonly name = 'TaskNotFoundError';
  constructor(readonly taskArn: string) {
    super(`No task ${taskArn} in the emulator`);
  }
}

/** `crashTask` named a container the task does not have. */
export class ContainerNotFoundError extends Error {
  override readonly name = 'ContainerNotFoundError';
  constructor(
    readonly taskArn: string,
    readonly containerName: string,
  ) {
    super(`Task ${taskArn} has no container named ${containerName}`);
  }
}

/** `crashTask` was asked to crash a task that is not RUNNING. */
export class TaskNotRunningError extends Error {
  override readonly name = 'TaskNotRunningError';
  constructor(
    readonly taskArn: string,
    readonly lastStatus: string,
  ) {
    super(`Task ${taskArn} is ${lastStatus}, only a RUNNING task can crash`);
  }
}
