/**
 * Structured JSON log lines, one per call, at or above LOG_LEVEL (default INFO). Callers pass
 * identifiers and outcomes, never tokens, bodies or environment values.
 */
const levels = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 99 } as const;
type Level = Exclude<keyof typeof levels, 'SILENT'>;

function threshold(): number {
  const configured = (process.env.LOG_LEVEL ?? 'INFO').toUpperCase();
  return configured in levels ? levels[configured as keyof typeof levels] : levels.INFO;
}

function write(level: Level, message: string, fields: Readonly<Record<string, unknown>>): void {
  if (levels[level] < threshold()) return;
  const line = JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...fields });
  if (levels[level] >= levels.WARN) console.error(line);
  else console.log(line);
}

export const logger = {
  info: (message: string, fields: Readonly<Record<string, unknown>> = {}) => write('INFO', message, fields),
  warn: (message: string, fields: Readonly<Record<string, unknown>> = {}) => write('WARN', message, fields),
  error: (message: string, fields: Readonly<Record<string, unknown>> = {}) => write('ERROR', message, fields),
};
