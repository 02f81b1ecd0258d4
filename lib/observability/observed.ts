/**
 * The one wrapper every function's handler runs in (httpHandler applies it to the HTTP ones): the
 * invocation's log keys (`function_name`, `function_request_id`, `xray_trace_id`, `cold_start`),
 * and, when it ends, whether it returned or threw, its X-Ray annotations (./trace.ts) and metrics.
 * An error that leaves the handler does so with its stack source-mapped (./stack-traces.ts), as the
 * Lambda runtime logs it.
 */
import type { Context } from 'aws-lambda';
import { flushMetrics } from '../metrics';
import { currentInvocation, inInvocation } from './invocation';
import { withSourceMappedStack } from './stack-traces';
import { sendTrace } from './trace';

export function observed<TArgs extends [event: unknown, context?: Partial<Context>], TResult>(
  handler: (...args: TArgs) => Promise<TResult>,
): (...args: TArgs) => Promise<TResult> {
  return (...args) => {
    const context = args[1];
    const functionName = context?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
    return inInvocation(invocationKeys(functionName, context?.awsRequestId), async () => {
      const startMs = Date.now();
      try {
        return await handler(...args);
      } catch (error) {
        throw withSourceMappedStack(error);
      } finally {
        // The trace first: it reads the counts that publishing the metrics clears.
        const invocation = currentInvocation();
        if (invocation) await sendTrace(invocation, functionName ?? 'container-lifecycle', startMs);
        flushMetrics(functionName);
      }
    });
  };
}

function invocationKeys(functionName: string | undefined, requestId: string | undefined) {
  const traceId = xrayTraceId();
  return {
    ...(functionName === undefined ? {} : { function_name: functionName }),
    ...(requestId === undefined ? {} : { function_request_id: requestId }),
    ...(traceId === undefined ? {} : { xray_trace_id: traceId }),
  };
}

/** The Root of the trace Lambda sets for each invocation when tracing is on: what links a line to X-Ray. */
function xrayTraceId(): string | undefined {
  const header = process.env._X_AMZN_TRACE_ID;
  return header?.match(/Root=([^;]+)/)?.[1];
}
