/**
 * Structured JSON log lines, one per call, at or above the log level, in the shape of Powertools
 * for AWS Lambda's Logger (`level`, `message`, `timestamp`, `service`, `cold_start`,
 * `function_name`, `function_request_id`, `xray_trace_id`), so that Logs Insights queries written
 * for Powertools work here. Each line also carries the keys of its invocation (the HTTP functions
 * add `request_id`, `owner_id` and `container_id`). Callers pass identifiers and outcomes, never
 * tokens, bodies or environment values.
 *
 * Why not @aws-lambda-powertools/logger itself: it adds 20.7 KiB and about a millisecond of cold
 * load to every bundle (measured beside the floor bundle with `npx tsx bench/bundles.ts`), which
 * issue 6's budget cannot spare (lib/metrics.ts says the same of the metrics package). This keeps
 * its output and its variables instead.
 *
 * The level is read at each call, from POWERTOOLS_LOG_LEVEL, else LOG_LEVEL (default INFO);
 * POWERTOOLS_DEV=true pretty-prints, as Powertools does.
 */
import { currentInvocation } from './observability/invocation';
import { serviceName } from './observability/names';
import { mappedStackOf } from './observability/stack-traces';

const levels = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 99 } as const;
type Level = Exclude<keyof typeof levels, 'SILENT'>;
type Fields = Readonly<Record<string, unknown>>;

function threshold(): number {
  const configured = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'INFO').toUpperCase();
  return configured in levels ? levels[configured as keyof typeof levels] : levels.INFO;
}

function write(level: Level, message: string, fields: Fields): void {
  if (levels[level] < threshold()) return;
  const entry = {
    level,
    message,
    timestamp: new Date().toISOString(),
    service: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
    ...currentInvocation()?.keys,
    ...fields,
  };
  const line = process.env.POWERTOOLS_DEV === 'true' ? JSON.stringify(entry, null, 2) : JSON.stringify(entry);
  if (levels[level] >= levels.WARN) console.error(line);
  else console.log(line);
}

export const logger = {
  info: (message: string, fields: Fields = {}) => write('INFO', message, fields),
  warn: (message: string, fields: Fields = {}) => write('WARN', message, fields),
  error: (message: string, fields: Fields = {}) => write('ERROR', message, fields),
};

/**
 * An error as a log line carries it: its name, message and stack, the stack source-mapped. A thrown
 * value that is not an Error is named by its type only: it may hold anything, a body included.
 */
export function loggedError(error: unknown): unknown {
  if (!(error instanceof Error)) return { thrown: error === null ? 'null' : typeof error };
  return { name: error.name, message: error.message, stack: mappedStackOf(error) };
}
