import { EmulatorConfigError } from './errors';
import type { EventDeliveryOptions } from './events';
import { consoleLogger, type EcsEmulatorLogger } from './logger';

/** Options of {@link startEcsEmulator}; every one is optional. */
export interface EcsEmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Region used in ARNs and events (default `us-east-1`). */
  readonly region?: string;
  /** 12-digit account id used in ARNs and events (default `123456789012`). */
  readonly accountId?: string;
  /** Total time from RunTask to RUNNING (default env `ECS_EMULATOR_START_MS`, else 3000). */
  readonly startMs?: number;
  /** Total time from the stop request to STOPPED (default env `ECS_EMULATOR_STOP_MS`, else 2000). */
  readonly stopMs?: number;
  /** How long a STOPPED task stays describable (default env `ECS_EMULATOR_STOPPED_RETENTION_MS`, else 1 hour). */
  readonly stoppedRetentionMs?: number;
  /**
   * When true (the default) any cluster name is accepted and created on first use. When false only
   * `default` and {@link clusters} exist and others answer ClusterNotFoundException, as ECS does.
   */
  readonly autoCreateClusters?: boolean;
  /** Clusters that exist from the start besides `default`. */
  readonly clusters?: readonly string[];
  /** Initial event delivery modes, see {@link EventDeliveryControls.configure}. */
  readonly events?: EventDeliveryOptions;
  /** Receives errors the emulator survives (listener failures); defaults to console.error. */
  readonly logger?: EcsEmulatorLogger;
}

export interface ResolvedOptions {
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  readonly startMs: number;
  readonly stopMs: number;
  readonly stoppedRetentionMs: number;
  readonly autoCreateClusters: boolean;
  readonly clusters: readonly string[];
  readonly events: EventDeliveryOptions;
  readonly logger: EcsEmulatorLogger;
}

export const EnvVar = {
  StartMs: 'ECS_EMULATOR_START_MS',
  StopMs: 'ECS_EMULATOR_STOP_MS',
  StoppedRetentionMs: 'ECS_EMULATOR_STOPPED_RETENTION_MS',
} as const;

const defaults = {
  region: 'us-east-1',
  accountId: '123456789012',
  startMs: 3000,
  stopMs: 2000,
  stoppedRetentionMs: 60 * 60 * 1000,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

export function resolveOptions(options: EcsEmulatorOptions, env: Env = process.env): ResolvedOptions {
  return {
    port: checkPort(options.port ?? 0),
    region: checkRegion(options.region ?? defaults.region),
    accountId: checkAccountId(options.accountId ?? defaults.accountId),
    startMs: duration('startMs', options.startMs, env, EnvVar.StartMs, defaults.startMs),
    stopMs: duration('stopMs', options.stopMs, env, EnvVar.StopMs, defaults.stopMs),
    stoppedRetentionMs: duration(
      'stoppedRetentionMs',
      options.stoppedRetentionMs,
      env,
      EnvVar.StoppedRetentionMs,
      defaults.stoppedRetentionMs,
    ),
    autoCreateClusters: options.autoCreateClusters ?? true,
    clusters: options.clusters ?? [],
    events: options.events ?? {},
    logger: options.logger ?? consoleLogger,
  };
}

function duration(
  name: string,
  value: number | undefined,
  env: Env,
  envVar: string,
  fallback: number,
): number {
  if (value !== undefined) return checkDuration(name, value);
  const fromEnv = env[envVar];
  if (fromEnv === undefined || fromEnv.trim() === '') return fallback;
  return checkDuration(envVar, Number(fromEnv));
}

function checkDuration(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new EmulatorConfigError(`${name} must be a finite number of milliseconds >= 0, got ${value}`);
  }
  return value;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmulatorConfigError(`port must be an integer between 0 and 65535, got ${port}`);
  }
  return port;
}

function checkRegion(region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new EmulatorConfigError(`region must look like us-east-1, got ${region}`);
  }
  return region;
}

function checkAccountId(accountId: string): string {
  if (!/^\d{12}$/.test(accountId)) {
    throw new EmulatorConfigError(`accountId must be 12 digits, got ${accountId}`);
  }
  return accountId;
}
