/**
 * Metrics in CloudWatch's embedded metric format (EMF): each is a JSON line on stdout that
 * CloudWatch Logs turns into a metric, with no call to CloudWatch (a request costs no round trip
 * more). The lines are the ones Powertools for AWS Lambda's Metrics writes (namespace, `service`
 * dimension, `ColdStart` by `function_name` on an instance's first on-demand invocation), written
 * here in thirty lines: the package itself put 13 KiB and about a millisecond into every bundle,
 * and four functions over issue 6's cold-load budget (measured with `npx tsx bench/bundles.ts`).
 *
 * Counts are summed during the invocation and published when it ends, one EMF line per metric and
 * set of dimensions: EMF applies every dimension set of a line to every metric in it, so metrics
 * with different dimensions cannot share a line.
 *
 * POWERTOOLS_METRICS_DISABLED=true (or POWERTOOLS_DEV=true) stops the output, as in Powertools: the
 * local stack and the tests run that way unless asked.
 */
import { logger } from './logger';
import { currentInvocation } from './observability/invocation';
import { acceptedOutcome, metricNames, metricsNamespace, serviceName } from './observability/names';

function metricsDisabled(): boolean {
  return process.env.POWERTOOLS_METRICS_DISABLED === 'true' || process.env.POWERTOOLS_DEV === 'true';
}

/** One EMF line: one metric (a count) under one set of dimensions, `service` first. */
function emfLine(name: string, dimensions: Readonly<Record<string, string>>, value: number): string {
  const all = { service: serviceName, ...dimensions };
  return JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: metricsNamespace,
          Dimensions: [Object.keys(all)],
          Metrics: [{ Name: name, Unit: 'Count' }],
        },
      ],
    },
    ...all,
    [name]: value,
  });
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
 * Publishes what the invocation counted, and on the instance's first on-demand call the ColdStart
 * metric by `function_name`. Never throws: a metric must not fail a request.
 */
export function flushMetrics(functionName?: string): void {
  try {
    const invocation = currentInvocation();
    const counts = invocation?.counts;
    const counted = [...(counts?.values() ?? [])];
    counts?.clear();
    // The invocation knows whether it is the instance's first (lib/observability/invocation.ts).
    const firstCall = invocation?.keys.cold_start === true;
    if (metricsDisabled()) return;
    const lines: string[] = [];
    const name = functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
    if (firstCall && name && process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency') {
      lines.push(emfLine('ColdStart', { function_name: name }, 1));
    }
    for (const { name: metric, dimensions, value } of counted) lines.push(emfLine(metric, dimensions, value));
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    logger.error('metrics not published', { error: error instanceof Error ? error.message : String(error) });
  }
}
