/**
 * Stack traces that name the TypeScript sources, read through the bundle's source map only when an
 * error is logged or leaves a handler.
 *
 * Why not Node's `--enable-source-maps`: it reads and parses every bundle's map at each cold start,
 * about 7 ms of a 45 ms load (the floor and create-container alike, `npm run bench`), for stack
 * traces that only errors print. Here the map is read at the first error an instance logs, and kept.
 *
 * A frame keeps its function's name as the bundle has it (minified); its file, line and column are
 * the source's. Frames outside a bundle with a map beside it (Node's own, or the TypeScript sources
 * under tsx and vitest) are left as they are.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A frame's location in a bundle: its file (a file URL or an absolute path), line and column. */
const bundleLocation = /((?:file:\/\/)?\/[^\s():]+\.m?js):(\d+):(\d+)/g;

/** Each bundle's map, read once; `undefined` when there is none or it cannot be read. */
const maps = new Map<string, SourceMap | undefined>();

function mapBeside(bundlePath: string): SourceMap | undefined {
  if (!maps.has(bundlePath)) maps.set(bundlePath, readMap(`${bundlePath}.map`));
  return maps.get(bundlePath);
}

function readMap(mapPath: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')));
  } catch {
    return undefined;
  }
}

/** `stack` with each bundle location replaced by its source's, where the bundle's map knows it. */
export function sourceMappedStack(stack: string): string {
  return stack.replace(bundleLocation, (location, file: string, line: string, column: string) => {
    const bundlePath = file.startsWith('file:') ? fileURLToPath(file) : file;
    // Stack frames count from 1, the map from 0.
    const entry = mapBeside(bundlePath)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (entry === undefined || !('originalSource' in entry)) return location;
    const source = new URL(entry.originalSource, pathToFileURL(`${bundlePath}.map`));
    const sourcePath = source.protocol === 'file:' ? fileURLToPath(source) : source.href;
    return `${sourcePath}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

/**
 * The error with its stack source-mapped, for one that leaves a handler: the Lambda runtime logs
 * its `stack` as it is.
 */
export function withSourceMappedStack(error: unknown): unknown {
  if (error instanceof Error && typeof error.stack === 'string') error.stack = sourceMappedStack(error.stack);
  return error;
}
