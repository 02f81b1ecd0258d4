/**
 * What each function's bundle may contain (issue 6): only the SDK clients its access in
 * infra/function-access.ts lets it call, and neither zod nor middy (lib/schema.ts and
 * lib/http/middleware.ts stand in for them: each cost more cold load than the budget leaves). Each
 * is built as `npm run build` builds it, in memory, and its esbuild metafile is read, so a stray
 * import (a reading function reaching the ECS wiring, a module importing zod) fails here, long
 * before `npm run bench` shows the cold load it costs.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { backgroundFunctions, type FunctionAccess, httpFunctionAccess } from '../../infra/function-access';
import { lambdaBundling } from '../../lib/build/bundling';
import { functionEntries, projectRoot } from '../../scripts/build';

const access: Record<string, FunctionAccess> = { ...httpFunctionAccess, ...backgroundFunctions };

async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    ...lambdaBundling,
    mainFields: [...lambdaBundling.mainFields],
    external: [...lambdaBundling.external],
    sourcemap: false,
    absWorkingDir: projectRoot,
    entryPoints: [join(projectRoot, entry)],
    outfile: join(projectRoot, 'dist', 'bundle-contents', 'index.mjs'),
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}

const from = (inputs: string[], directory: string) => inputs.filter((path) => path.includes(directory));

describe('function bundles', () => {
  it.each(functionEntries())('$name holds only the clients it may call, and no zod or middy', async (fn) => {
    const granted = access[fn.name];
    if (!granted) throw new Error(`${fn.name} has no entry in infra/function-access.ts`);
    const inputs = await bundledInputs(fn.entry);

    if (granted.ecs.length === 0) expect(from(inputs, 'node_modules/@aws-sdk/client-ecs/')).toEqual([]);
    if (!granted.publishesEvents)
      expect(from(inputs, 'node_modules/@aws-sdk/client-eventbridge/')).toEqual([]);
    if (granted.table === 'none') expect(from(inputs, 'node_modules/@aws-sdk/client-dynamodb/')).toEqual([]);
    expect(from(inputs, 'node_modules/zod/')).toEqual([]);
    expect(from(inputs, 'node_modules/@middy/')).toEqual([]);
  });
});
