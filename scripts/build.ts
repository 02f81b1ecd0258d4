/**
 * `npm run build`: one bundle per Lambda function in dist/functions/<name>/index.mjs, with the
 * esbuild settings of lib/build/bundling.ts, the same ones infra/ hands to NodejsFunction, so
 * what is measured here is what is deployed.
 *
 * `npm run build -- --analyze` also writes each bundle's esbuild metafile beside it (meta.json)
 * and prints what takes the bytes in each, largest first.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeMetafile, build, type Metafile } from 'esbuild';
import { backgroundFunctions } from '../infra/function-access';
import { lambdaBundling } from '../lib/build/bundling';
import { httpRoutes } from '../lib/http/routes';

export const projectRoot = fileURLToPath(new URL('../', import.meta.url));
export const functionsDir = join(projectRoot, 'dist', 'functions');

export interface FunctionEntry {
  /** The Lambda function's name suffix: a route's functionName or a background function's key. */
  readonly name: string;
  /** The handler's source, relative to the repository root. */
  readonly entry: string;
}

export interface BuiltBundle extends FunctionEntry {
  /** The bundle, dist/functions/<name>/index.mjs. */
  readonly outfile: string;
  /** Bytes of the minified bundle (the source map beside it not counted). */
  readonly bytes: number;
  readonly metafile: Metafile;
}

/** Every function infra/ deploys: the HTTP routes, then the background functions. */
export function functionEntries(): FunctionEntry[] {
  return [
    ...httpRoutes.map((route) => ({
      name: route.functionName,
      entry: `functions/http/${route.functionName}.ts`,
    })),
    ...Object.entries(backgroundFunctions).map(([name, { entry }]) => ({ name, entry })),
  ];
}

/** Bundles one entry as NodejsFunction does: the shared settings, `bundle`, one `.mjs` file. */
export async function bundle(entry: string, outfile: string): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({
    ...lambdaBundling,
    mainFields: [...lambdaBundling.mainFields],
    external: [...lambdaBundling.external],
    absWorkingDir: projectRoot,
    entryPoints: [join(projectRoot, entry)],
    outfile,
    bundle: true,
    metafile: true,
    logLevel: 'warning',
  });
  const output =
    result.metafile.outputs[Object.keys(result.metafile.outputs).find((path) => path.endsWith('.mjs')) ?? ''];
  if (output === undefined) throw new Error(`esbuild wrote no .mjs for ${entry}`);
  return { bytes: output.bytes, metafile: result.metafile };
}

export async function buildFunctions(outDir = functionsDir): Promise<BuiltBundle[]> {
  await rm(outDir, { recursive: true, force: true });
  const built: BuiltBundle[] = [];
  for (const fn of functionEntries()) {
    const outfile = join(outDir, fn.name, 'index.mjs');
    built.push({ ...fn, outfile, ...(await bundle(fn.entry, outfile)) });
  }
  return built;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildFunctions();
  if (process.argv.includes('--analyze')) {
    for (const { name, outfile, metafile } of built) {
      await writeFile(join(outfile, '..', 'meta.json'), JSON.stringify(metafile));
      console.log(`${name}:${await analyzeMetafile(metafile)}`);
    }
  }
  for (const { name, bytes } of built) console.log(`${name.padEnd(24)} ${(bytes / 1024).toFixed(1)} KiB`);
  console.log(`${built.length} bundles in dist/functions/`);
}
