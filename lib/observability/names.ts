/**
 * The names the functions publish metrics under and the dashboard reads them by: one place, so a
 * renamed metric or dimension cannot leave a widget graphing nothing. No Powertools import here:
 * infra/ reads it at synth.
 */
export const metricsNamespace = 'ContainerLifecycle';

/** The `service` dimension of every metric and the `service` key of every log line. */
export const serviceName = 'container-lifecycle';

export const metricNames = {
  /** An HTTP request for a lifecycle operation, by `operation` and `outcome`. */
  operations: 'Operations',
  /** A status change written to the table, by `to_status` and `triggered_by`. */
  transitions: 'Transitions',
  /** Containers the auto-stop sweep stopped. */
  autoStops: 'AutoStops',
  /** An ECS call that failed past the SDK's retries or placed nothing, by `kind`. */
  ecsFailures: 'EcsFailures',
  /** Powertools' own cold-start metric, by `function_name`. */
  coldStart: 'ColdStart',
} as const;

/** The `outcome` of an operation that was accepted; a refused one carries its error code. */
export const acceptedOutcome = 'accepted';
