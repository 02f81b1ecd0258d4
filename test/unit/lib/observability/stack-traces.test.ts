/**
 * A stack trace read through the map beside its bundle (lib/observability/stack-traces.ts): each
 * frame in a bundle that has a map names the source's file, line and column; any other frame, and
 * any frame whose map cannot be read, is left as it was. Maps are written by hand into a temporary
 * directory (bundle-contents.test.ts reads a real bundle's).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mappedStackOf,
  sourceMappedStack,
  withSourceMappedStack,
} from '../../../../lib/observability/stack-traces';

let directory: string;
let bundle: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'stack-traces-'));
  bundle = join(directory, 'fn', 'index.mjs');
  await mkdir(join(directory, 'fn'));
  // Generated line 1 column 1 is src/a.ts 1:1; generated line 2 column 1 is src/a.ts 5:3.
  const map = { version: 3, sources: ['../src/a.ts'], names: [], mappings: 'AAAA;AAIE' };
  await writeFile(`${bundle}.map`, JSON.stringify(map));
  await writeFile(join(directory, 'corrupt.mjs.map'), '{ not json');
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('sourceMappedStack', () => {
  it('names the source file, line and column of a frame given by file URL or by path', () => {
    const stack = [
      'Error: failed',
      `    at Xe (${pathToFileURL(bundle).href}:2:1)`,
      `    at ${bundle}:1:1`,
    ].join('\n');

    expect(sourceMappedStack(stack)).toBe(
      [
        'Error: failed',
        `    at Xe (${join(directory, 'src', 'a.ts')}:5:3)`,
        `    at ${join(directory, 'src', 'a.ts')}:1:1`,
      ].join('\n'),
    );
  });

  it("looks up no path in the error's message, even on a line of it that reads like a frame", () => {
    const header = `SyntaxError: cannot open ${bundle}:2:1\n    at ${bundle}:2:1 said the input`;
    const stack = `${header}\n    at ${bundle}:2:1`;

    expect(sourceMappedStack(stack, header)).toBe(`${header}\n    at ${join(directory, 'src', 'a.ts')}:5:3`);
  });

  it('never throws: a location it cannot read as a path stays as it was, and the other frames are still mapped', () => {
    const unreadable = ['    at x (file:///tmp/a%2Fb.mjs:1:1)', '    at y (file:///tmp/a%E0.mjs:1:1)'];
    const stack = ['Error: failed', ...unreadable, `    at z (${bundle}:2:1)`].join('\n');

    expect(sourceMappedStack(stack)).toBe(
      ['Error: failed', ...unreadable, `    at z (${join(directory, 'src', 'a.ts')}:5:3)`].join('\n'),
    );
  });

  it("leaves Node's frames, frames of files without a map, and frames of a corrupt map as they are", () => {
    const stack = [
      'TypeError: x is not a function',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      `    at run (${join(directory, 'no-map.mjs')}:3:7)`,
      `    at ${join(directory, 'corrupt.mjs')}:1:1`,
      '    at load (/work/main/lib/config.ts:12:9)',
    ].join('\n');

    expect(sourceMappedStack(stack)).toBe(stack);
  });
});

describe('mappedStackOf', () => {
  it('maps the stack of an error and skips its message; a stack that is not a string is none', () => {
    const error = new Error(`at ${bundle}:2:1`);
    error.stack = `Error: at ${bundle}:2:1\n    at ${bundle}:2:1`;
    const odd = Object.assign(new Error('odd'), { stack: 42 });

    expect(mappedStackOf(error)).toBe(
      `Error: at ${bundle}:2:1\n    at ${join(directory, 'src', 'a.ts')}:5:3`,
    );
    expect(mappedStackOf(odd as unknown as Error)).toBeUndefined();
  });
});

describe('withSourceMappedStack', () => {
  it('rewrites the stack of an Error it is given and returns the same error; anything else passes unchanged', () => {
    const error = new Error('failed');
    error.stack = `Error: failed\n    at ${bundle}:2:1`;

    expect(withSourceMappedStack(error)).toBe(error);
    expect(error.stack).toBe(`Error: failed\n    at ${join(directory, 'src', 'a.ts')}:5:3`);
    expect(withSourceMappedStack('a string')).toBe('a string');
  });

  it('hands on a frozen error as it is, without throwing in its place', () => {
    const error = new Error('failed');
    error.stack = `Error: failed\n    at ${bundle}:2:1`;
    Object.freeze(error);

    expect(withSourceMappedStack(error)).toBe(error);
    expect(error.stack).toBe(`Error: failed\n    at ${bundle}:2:1`);
  });
});
