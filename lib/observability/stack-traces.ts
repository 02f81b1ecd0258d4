/**
 * Stack traces that name the TypeScript sources, read through the bundle's source map only when an
 * error is logged or leaves a handler.
 *
 * Why not Node's `--enable-source-maps`: it reads and parses every bundle's map at each cold start,
 * about 7 ms of a 45 ms load (the floor and create-container alike, `npm run bench`), for stack
 * traces that only errors print. Here the map is read at the first error an instance logs, and kept.
 *
 * A frame keeps its function's name as the bundle has it (minified); its file, line and column are
 * the source's. Frames of a file with no map beside it (Node's own, the Lambda runtime's, or the
 * TypeScript sources under tsx and vitest) are left as they are.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A line of a stack trace that is a frame, not the message. */
const frameLine = /^\s+at /;

/** A frame's location in a bundle: its file (a file URL or an absolute path), line and column. */
const bundleLocation = /((?:file:\/\/)?\/[^\s():]+\.m?js):(\d+):(\d+)/g;

/** Each bundle's map, read once; `undefined` when there is none or it cannot be read. */
const maps = new Map<string, SourceMap | undefined>();

/** A function is one bundle; more files than this are not looked up (nor kept). */
const maxFiles = 16;

function mapBeside(bundlePath: string): SourceMap | undefined {
  if (!maps.has(bundlePath)) {
    if (maps.size >= maxFiles) return undefined;
    maps.set(bundlePath, readMap(`${bundlePath}.map`));
  }
  return maps.get(bundlePath);
}

function readMap(mapPath: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * `stack` with each frame's bundle location replaced by its source's, where the bundle's map knows
 * it. The error's own first line, `header` (`Name: message`), is kept as it is: a message may hold
 * anything, and no path in it is looked up. Never throws: at worst, the stack comes back unchanged.
 */
export function sourceMappedStack(stack: string, header = ''): string {
  const start = header !== '' && stack.startsWith(header) ? header.length : 0;
  const frames = stack
    .slice(start)
    .split('\n')
    .map((line) => (frameLine.test(line) ? line.replace(bundleLocation, sourceLocation) : line));
  return stack.slice(0, start) + frames.join('\n');
}

/** One frame's location in its source, or as it was when it cannot be read as one. */
function sourceLocation(location: string, file: string, line: string, column: string): string {
  try {
    const bundlePath = file.startsWith('file:') ? fileURLToPath(file) : file;
    // Stack frames count from 1, the map from 0.
    const entry = mapBeside(bundlePath)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (entry === undefined || !('originalSource' in entry)) return location;
    const source = new URL(entry.originalSource, pathToFileURL(`${bundlePath}.map`));
    const sourcePath = source.protocol === 'file:' ? fileURLToPath(source) : source.href;
    return `${sourcePath}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  } catch {
    return location;
  }
}

/**
 * The stack of `error`, source-mapped, or undefined when it has none that is a string. Never throws
 * (a stack getter may).
 */
export function mappedStackOf(error: Error): string | undefined {
  try {
    const { stack } = error;
    return typeof stack === 'string'
      ? sourceMappedStack(stack, `${error.name}: ${error.message}`)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error with its stack source-mapped, for one that leaves a handler: the Lambda runtime logs
 * its `stack` as it is. An error whose stack cannot be replaced (frozen, a getter) is left as it is.
 */
export function withSourceMappedStack(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const stack = mappedStackOf(error);
  try {
    if (stack !== undefined) error.stack = stack;
  } catch {
    // Read-only: the runtime logs the bundle's lines.
  }
  return error;
}
