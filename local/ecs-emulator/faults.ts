import { EcsApiError, EcsErrorType, InvalidFaultError } from './errors';

/** The operations the emulator implements; faults can target one of them. */
export const EcsOperation = {
  RegisterTaskDefinition: 'RegisterTaskDefinition',
  DeregisterTaskDefinition: 'DeregisterTaskDefinition',
  DescribeTaskDefinition: 'DescribeTaskDefinition',
  RunTask: 'RunTask',
  StopTask: 'StopTask',
  DescribeTasks: 'DescribeTasks',
  ListTasks: 'ListTasks',
} as const;
export type EcsOperation = (typeof EcsOperation)[keyof typeof EcsOperation];

/** The reason ECS gives when Fargate has no capacity for a task. */
export const FARGATE_CAPACITY_REASON =
  'Capacity is unavailable at this time. Please try again later or in a different availability zone';

interface Repeat {
  /** How many requests the fault affects (default 1); `Infinity` until cleared. */
  readonly times?: number;
}

interface Targeted extends Repeat {
  /** The operation to disturb; every operation when absent. */
  readonly operation?: EcsOperation;
}

/**
 * A fault to inject. Request faults (`throttle`, `serverError`, `error`, `delay`) disturb the HTTP
 * answer of the targeted operation; RunTask faults change what the next RunTask calls do.
 */
export type FaultSpec =
  /** HTTP 400 ThrottlingException "Rate exceeded": the SDK retries it as throttling. */
  | (Targeted & { readonly kind: 'throttle' })
  /** HTTP 500 ServerException: the SDK retries it as a transient server error. */
  | (Targeted & { readonly kind: 'serverError' })
  /** Any error type, e.g. AccessDeniedException; HTTP 400 unless `statusCode` says otherwise. */
  | (Targeted & {
      readonly kind: 'error';
      readonly errorType: string;
      readonly message?: string;
      readonly statusCode?: number;
    })
  /** Answers (normally) only after `delayMs`. */
  | (Targeted & { readonly kind: 'delay'; readonly delayMs: number })
  /** RunTask places nothing and reports `failures[]` with reason `RESOURCE:<resource>`. */
  | (Repeat & { readonly kind: 'insufficientResources'; readonly resource?: 'MEMORY' | 'CPU' })
  /** RunTask places nothing and reports the Fargate "Capacity is unavailable" failure. */
  | (Repeat & { readonly kind: 'capacityUnavailable' })
  /** RunTask's tasks stop before RUNNING with stopCode TaskFailedToStart and this reason. */
  | (Repeat & { readonly kind: 'failToStart'; readonly reason?: string });

export type FaultKind = FaultSpec['kind'];

/** A fault in force; `remaining` counts down with each affected request. */
export interface InjectedFault {
  readonly id: number;
  readonly spec: FaultSpec;
  readonly remaining: number;
  /** Removes the fault before it is used up. */
  clear(): void;
}

/** Switches faults on and off from a test or a dev script. */
export interface FaultControls {
  inject(spec: FaultSpec): InjectedFault;
  /** Removes every fault. */
  clear(): void;
  /** Faults still in force, in injection order. */
  active(): readonly InjectedFault[];
}

/** What a RunTask call must do instead of placing tasks normally. */
export type RunTaskFault =
  | { readonly kind: 'placementFailure'; readonly reason: string }
  | { readonly kind: 'failToStart'; readonly reason: string };

export interface RequestFaults {
  readonly delayMs: number;
  readonly error?: EcsApiError;
}

const runTaskKinds = new Set<FaultKind>(['insufficientResources', 'capacityUnavailable', 'failToStart']);

const defaultFailToStartReason =
  'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref: not found';

interface FaultEntry {
  readonly id: number;
  readonly spec: FaultSpec;
  remaining: number;
}

export class FaultInjector implements FaultControls {
  private entries: FaultEntry[] = [];
  private nextId = 1;

  inject(spec: FaultSpec): InjectedFault {
    const entry: FaultEntry = { id: this.nextId++, spec, remaining: checkSpec(spec) };
    this.entries.push(entry);
    return this.handle(entry);
  }

  clear(): void {
    this.entries = [];
  }

  active(): readonly InjectedFault[] {
    return this.entries.map((entry) => this.handle(entry));
  }

  /** Uses up the request faults that hit this call: every matching delay, then the first error. */
  takeRequestFaults(operation: string): RequestFaults {
    const matching = this.entries.filter(
      (entry) => !runTaskKinds.has(entry.spec.kind) && targets(entry.spec, operation),
    );
    const delays = matching.filter((entry) => entry.spec.kind === 'delay');
    const failing = matching.find((entry) => entry.spec.kind !== 'delay');
    for (const entry of failing === undefined ? delays : [...delays, failing]) this.use(entry);
    return {
      delayMs: delays.reduce(
        (total, entry) => total + (entry.spec.kind === 'delay' ? entry.spec.delayMs : 0),
        0,
      ),
      ...(failing === undefined ? {} : { error: toApiError(failing.spec) }),
    };
  }

  /** Uses up the first RunTask fault, if any. */
  takeRunTaskFault(): RunTaskFault | undefined {
    const entry = this.entries.find((candidate) => runTaskKinds.has(candidate.spec.kind));
    if (entry === undefined) return undefined;
    this.use(entry);
    return toRunTaskFault(entry.spec);
  }

  private use(entry: FaultEntry): void {
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.remove(entry.id);
  }

  private remove(id: number): void {
    this.entries = this.entries.filter((entry) => entry.id !== id);
  }

  private handle(entry: FaultEntry): InjectedFault {
    return {
      id: entry.id,
      spec: entry.spec,
      get remaining() {
        return entry.remaining;
      },
      clear: () => this.remove(entry.id),
    };
  }
}

function targets(spec: FaultSpec, operation: string): boolean {
  return !('operation' in spec) || spec.operation === undefined || spec.operation === operation;
}

function checkSpec(spec: FaultSpec): number {
  const times = spec.times ?? 1;
  if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) {
    throw new InvalidFaultError(`times must be a positive integer or Infinity, got ${times}`);
  }
  if (spec.kind === 'delay' && !(Number.isFinite(spec.delayMs) && spec.delayMs >= 0)) {
    throw new InvalidFaultError(`delayMs must be a finite number >= 0, got ${spec.delayMs}`);
  }
  if (
    'operation' in spec &&
    spec.operation !== undefined &&
    !Object.values(EcsOperation).includes(spec.operation)
  ) {
    throw new InvalidFaultError(`unknown operation ${spec.operation}`);
  }
  return times;
}

function toApiError(spec: FaultSpec): EcsApiError {
  switch (spec.kind) {
    case 'throttle':
      return new EcsApiError(EcsErrorType.ThrottlingException, 'Rate exceeded', 400);
    case 'serverError':
      return new EcsApiError(
        EcsErrorType.ServerException,
        'Service Unavailable. Please try again later.',
        500,
      );
    case 'error':
      return new EcsApiError(spec.errorType, spec.message ?? spec.errorType, spec.statusCode ?? 400);
    default:
      throw new InvalidFaultError(`${spec.kind} is not a request fault`);
  }
}

function toRunTaskFault(spec: FaultSpec): RunTaskFault {
  switch (spec.kind) {
    case 'insufficientResources':
      return { kind: 'placementFailure', reason: `RESOURCE:${spec.resource ?? 'MEMORY'}` };
    case 'capacityUnavailable':
      return { kind: 'placementFailure', reason: FARGATE_CAPACITY_REASON };
    case 'failToStart':
      return { kind: 'failToStart', reason: spec.reason ?? defaultFailToStartReason };
    default:
      throw new InvalidFaultError(`${spec.kind} is not a RunTask fault`);
  }
}
