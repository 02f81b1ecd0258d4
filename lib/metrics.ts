/**
 * Metrics in CloudWatch's embedded metric format (EMF), written by Powertools for AWS Lambda's
 * Metrics: each is a JSON line on stdout that CloudWatch Logs turns into a metric, with no call
 * to CloudWatch (a request costs no round trip more). This is the one place that constructs it.
 *
 * Counts are summed during the invocation and published when it ends, one EMF line per metric and
 * set of dimensions: EMF applies every dimension set of a line to every metric in it, so metrics
 * with different dimensions cannot share a line.
 *
 * POWERTOOLS_METRICS_DISABLED=true (or POWERTOOLS_DEV=true) stops the output: the local stack and
 * the tests run that way unless asked.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger';
import { currentInvocation } from './observability/invocation';
import { acceptedOutcome, metricNames, metricsNamespace, serviceName } from './observability/names';

let metrics: Metrics | undefined;

/** Made at the first flush, so it reads the environment the function runs with, not a tool's. */
function metricsOnce(): Metrics {
  metrics ??= new Metrics({ namespace: metricsNamespace, serviceName });
  return metrics;
}

/** Adds to the invocation's count; outside an invocation (tests, local tools) there is none to add to. */
function count(name: string, dimensions: Readonly<Record<string, string>>, value = 1): void {
  const counts = currentInvocation()?.counts;
  if (!counts) return;
  const key = JSON.stringify([name, dimensions]);
  const counted = counts.get(key);
  if (counted) counted.value += value;
  else counts.set(key, { name, dimensions, value });
}

/** An HTTP request for a lifecycle operation: `accepted`, or the error code it was refused with. */
export function recordOperation(operation: string, outcome: string = acceptedOutcome): void {
  count(metricNames.operations, { operation, outcome });
}

/** A status change that was written. */
export function recordTransition(toStatus: string, triggeredBy: string): void {
  count(metricNames.transitions, { to_status: toStatus, triggered_by: triggeredBy });
}

/** Containers an auto-stop sweep stopped; counted even when none, so the graph shows the sweep ran. */
export function recordAutoStops(stopped: number): void {
  count(metricNames.autoStops, {}, stopped);
}

/** An ECS call that failed: `capacity` (nothing placed), `service` (an error), `unexpected-answer`. */
export function recordEcsFailure(kind: string): void {
  count(metricNames.ecsFailures, { kind });
}

/**
 * Publishes what the invocation counted, and on the instance's first call the ColdStart metric
 * (Powertools' own, by `function_name`). Never throws: a metric must not fail a request.
 */
export function flushMetrics(functionName?: string): void {
  try {
    const emf = metricsOnce();
    emf.captureColdStartMetric(functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME);
    const counts = currentInvocation()?.counts;
    const counted = [...(counts?.values() ?? [])];
    counts?.clear();
    for (const { name, dimensions, value } of counted) {
      for (const [dimension, dimensionValue] of Object.entries(dimensions)) {
        emf.addDimension(dimension, dimensionValue);
      }
      emf.addMetric(name, MetricUnit.Count, value);
      emf.publishStoredMetrics();
    }
  } catch (error) {
    logger.error('metrics not published', { error: error instanceof Error ? error.message : String(error) });
  }
}
