/**
 * Bundle budgets: every function's bundle (built by scripts/build.ts with the deployed esbuild
 * settings) at most 450 KiB, and its cold load within 1.15x of a "floor" bundle that only
 * constructs DynamoDBClient and ECSClient (bench/floor-entry.ts), measured in the same run.
 *
 * Cold load: a fresh `node` process per run times `await import(bundle)` with performance.now()
 * (node's own start-up is not counted). The environment is the deployed one, minus the network:
 * config parsed, clients constructed, nothing sent. Runs are interleaved across bundles, so
 * whatever else the machine does spreads over all of them; the median is reported.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildFunctions, bundle, projectRoot } from '../scripts/build';
import { formatTable, isMain, quantile } from './table';

const run = promisify(execFile);

export const budgets = { maxBundleKiB: 450, maxColdLoadRatio: 1.15 } as const;

export interface BundleFigure {
  readonly name: string;
  readonly kib: number;
  readonly coldLoadMs: number;
  readonly ratio: number;
}

export interface BundleReport {
  readonly floor: BundleFigure;
  readonly functions: readonly BundleFigure[];
  readonly runs: number;
  readonly slowest: BundleFigure;
  readonly sizeVerdict: string;
  readonly coldLoadVerdict: string;
}

/** What the functions read at cold start, as infra/ sets it; no endpoint, so the clients aim at AWS. */
const functionEnvironment = {
  TABLE_NAME: 'bench',
  CURSOR_SECRET: 'bench-cursor-secret-of-at-least-32-characters',
  ECS_CLUSTER: 'bench',
  ECS_SUBNETS: 'subnet-bench',
  ECS_SECURITY_GROUPS: 'sg-bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const importTimer =
  'const s = performance.now(); await import(process.env.BENCH_BUNDLE_URL); ' +
  'process.stdout.write(String(performance.now() - s));';

async function coldLoadMs(outfile: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', importTimer], {
    env: { PATH: process.env.PATH, ...functionEnvironment, BENCH_BUNDLE_URL: pathToFileURL(outfile).href },
  });
  return Number(stdout);
}

export async function benchBundles(
  runs = Number(process.env.BENCH_COLD_RUNS ?? 31),
  log: (line: string) => void = console.error,
): Promise<BundleReport> {
  log('[bench] building the function bundles and the floor...');
  const built = await buildFunctions();
  const floorFile = join(projectRoot, 'dist', 'bench', 'floor', 'index.mjs');
  const floorBuilt = {
    name: 'floor (DynamoDBClient + ECSClient)',
    outfile: floorFile,
    ...(await bundle('bench/floor-entry.ts', floorFile)),
  };
  const all = [floorBuilt, ...built];
  const samples = new Map<string, number[]>(all.map(({ name }) => [name, []]));
  log(`[bench] cold loads: ${runs} fresh node processes per bundle...`);
  for (let round = 0; round < runs; round += 1) {
    for (const { name, outfile } of all) samples.get(name)?.push(await coldLoadMs(outfile));
  }
  const median = (name: string) => quantile(samples.get(name) ?? [], 0.5);
  const floorMs = median(floorBuilt.name);
  const figure = ({ name, bytes }: { name: string; bytes: number }): BundleFigure => ({
    name,
    kib: bytes / 1024,
    coldLoadMs: median(name),
    ratio: median(name) / floorMs,
  });
  const functions = built.map(figure);
  const slowest = functions.reduce((a, b) => (b.coldLoadMs > a.coldLoadMs ? b : a));
  const oversize = functions.filter((fn) => fn.kib > budgets.maxBundleKiB);
  return {
    floor: figure(floorBuilt),
    functions,
    runs,
    slowest,
    sizeVerdict:
      oversize.length === 0
        ? `MET: every bundle is at most ${budgets.maxBundleKiB} KiB`
        : `MISSED: ${oversize.length} of ${functions.length} bundles exceed ${budgets.maxBundleKiB} KiB (${oversize.map((fn) => fn.name).join(', ')})`,
    coldLoadVerdict:
      slowest.ratio <= budgets.maxColdLoadRatio
        ? `MET: slowest ${slowest.name} at ${slowest.ratio.toFixed(2)}x the floor (target ${budgets.maxColdLoadRatio}x)`
        : `MISSED: slowest ${slowest.name} at ${slowest.ratio.toFixed(2)}x the floor (target ${budgets.maxColdLoadRatio}x)`,
  };
}

export function bundleTable(report: BundleReport): string {
  const rows = [report.floor, ...report.functions].map((fn) => [
    fn.name,
    fn.kib.toFixed(1),
    fn.kib <= budgets.maxBundleKiB ? 'ok' : 'OVER',
    fn.coldLoadMs.toFixed(1),
    `${fn.ratio.toFixed(2)}x`,
  ]);
  return [
    formatTable(
      [
        'bundle',
        'KiB (min)',
        `<= ${budgets.maxBundleKiB}`,
        `cold load ms (median of ${report.runs})`,
        'vs floor',
      ],
      rows,
    ),
    '',
    `size budget: ${report.sizeVerdict}`,
    `cold-load budget: ${report.coldLoadVerdict}`,
  ].join('\n');
}

if (isMain(import.meta.url)) console.log(bundleTable(await benchBundles()));
