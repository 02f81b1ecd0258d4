/**
 * The one wrapper every function's handler runs in (httpHandler applies it to the HTTP ones): the
 * invocation's log keys (`function_name`, `function_request_id`, `xray_trace_id`, `cold_start`),
 * and its metrics published when it ends, whether it returned or threw.
 */
import type { Context } from 'aws-lambda';
import { flushMetrics } from '../metrics';
import { inInvocation } from './invocation';

export function observed<TArgs extends [event: unknown, context?: Partial<Context>], TResult>(
  handler: (...args: TArgs) => Promise<TResult>,
): (...args: TArgs) => Promise<TResult> {
  return (...args) => {
    const context = args[1];
    const functionName = context?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
    return inInvocation(invocationKeys(functionName, context?.awsRequestId), async () => {
      try {
        return await handler(...args);
      } finally {
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
