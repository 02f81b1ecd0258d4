/**
 * What each function's bundle may contain (issue 6): only the SDK clients its access in
 * infra/function-access.ts lets it call, and neither zod nor middy (lib/schema.ts and
 * lib/http/middleware.ts stand in for them: each cost more cold load than the budget leaves). Each
 * is built as `npm run build` builds it, in memory, and its esbuild metafile is read, so a stray
 * import (a reading function reaching the ECS wiring, a module importing zod) fails here, long
 * before `npm run bench` shows the cold load it costs. The size budget (450 KiB) is held here too:
 * a size is the same on every machine, unlike a time.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { budgets } from '../../bench/bundles';
import {
  type BackgroundFunctionName,
  backgroundFunctions,
  type FunctionAccess,
  type HttpFunctionName,
  httpFunctionAccess,
} from '../../infra/function-access';
import { lambdaBundling } from '../../lib/build/bundling';
import type { ContainerRepository } from '../../lib/ports/container-repository';
import { bundle, functionEntries, projectRoot } from '../../scripts/build';

const access: Record<string, FunctionAccess> = { ...httpFunctionAccess, ...backgroundFunctions };

interface BuiltBundle {
  /** The inputs that put bytes in the bundle. */
  readonly inputs: string[];
  /** Bytes of the minified bundle, as `npm run build` writes it (less its one-line map comment). */
  readonly bytes: number;
}

async function built(entry: string): Promise<BuiltBundle> {
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
  const inputs = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  return { inputs, bytes: result.outputFiles.reduce((sum, file) => sum + file.contents.length, 0) };
}

const builds = new Map<string, Promise<BuiltBundle>>();

/** Each entry is built once for all the tests that read its bundle. */
function builtOnce(entry: string): Promise<BuiltBundle> {
  const bundle = builds.get(entry) ?? built(entry);
  builds.set(entry, bundle);
  return bundle;
}

async function inputsOf(entry: string): Promise<string[]> {
  return (await builtOnce(entry)).inputs;
}

const from = (inputs: string[], directory: string) => inputs.filter((path) => path.includes(directory));

/** The routes whose body is a container's (create, PATCH, snooze); the create body is the largest schema. */
const routesWithContainerBodies = new Set(['create-container', 'update-container', 'snooze-container']);

const ecsCommandModule = /node_modules\/@aws-sdk\/client-ecs\/dist-es\/commands\/(\w+)Command\.js$/;

/** The ECS commands whose SDK modules (and so schemas) made it into the bundle, sorted. */
const ecsCommands = (inputs: string[]) =>
  inputs.flatMap((path) => ecsCommandModule.exec(path)?.[1] ?? []).sort();

type DynamoDbCommand = 'GetItem' | 'PutItem' | 'DeleteItem' | 'Query' | 'BatchGetItem' | 'TransactWriteItems';

/** The command each call of the container repository sends (lib/adapters/dynamodb/table-calls.ts). */
const repositoryCommands = {
  getContainer: 'GetItem',
  getOwner: 'GetItem',
  getJobRun: 'GetItem',
  saveWithoutTransition: 'PutItem',
  createContainer: 'TransactWriteItems',
  saveTransition: 'TransactWriteItems',
  deleteContainer: 'TransactWriteItems',
  listContainers: 'Query',
  listStatusLogs: 'Query',
  firstStoredStatusLogVersion: 'Query',
  listJobRuns: 'Query',
  listDueForAutoStop: 'Query',
  listSettling: 'Query',
  listResting: 'Query',
  getTransitionRecord: 'BatchGetItem',
} as const satisfies Record<Exclude<keyof ContainerRepository, 'scheduleShards'>, DynamoDbCommand>;

/** The table's other stores are classes: each brings every command it sends. */
const storeCommands = {
  /** The Idempotency-Key records of the writing routes: claimed and completed, released on failure. */
  idempotency: ['PutItem', 'DeleteItem'],
  schedules: ['GetItem', 'PutItem', 'TransactWriteItems', 'Query', 'BatchGetItem'],
  webhooks: ['GetItem', 'PutItem', 'TransactWriteItems', 'Query'],
  outbox: ['PutItem'],
} as const satisfies Record<string, readonly DynamoDbCommand[]>;

interface TableUse {
  /** The repository calls the function binds (lib/wiring/table.ts `tableRepository`). */
  readonly repository?: readonly (keyof typeof repositoryCommands)[];
  readonly stores?: readonly (keyof typeof storeCommands)[];
}

const operates = ['getContainer', 'saveTransition', 'saveWithoutTransition'] as const;
const recordsUse = ['getContainer', 'saveWithoutTransition'] as const;
const lists = ['listContainers', 'getOwner'] as const;

/** How each function reaches the table: what it sends is what these send, and nothing else. */
const tableUse = {
  'get-health': {},
  'get-openapi': {},
  'list-containers': { repository: lists },
  'list-project-containers': { repository: lists },
  'get-container': { repository: ['getContainer'] },
  'get-container-status': { repository: ['getContainer'] },
  'get-container-idle': { repository: ['getContainer'] },
  'list-status-logs': { repository: ['listStatusLogs', 'firstStoredStatusLogVersion', 'getContainer'] },
  'list-job-runs': { repository: ['getContainer', 'listJobRuns', 'getJobRun'] },
  'get-operation': { repository: ['getTransitionRecord', 'getContainer'] },
  'create-container': { repository: [...operates, 'getOwner', 'createContainer'], stores: ['idempotency'] },
  'delete-container': { repository: ['getContainer', 'deleteContainer'], stores: ['idempotency'] },
  'operate-container': { repository: operates, stores: ['idempotency'] },
  'batch-operate-containers': {
    repository: [...operates, 'listContainers', 'deleteContainer'],
    stores: ['idempotency'],
  },
  'update-container': { repository: recordsUse },
  'record-activity': { repository: recordsUse },
  'snooze-container': { repository: recordsUse },
  'put-container-schedule': { repository: ['getContainer'], stores: ['schedules'] },
  'get-container-schedule': { repository: ['getContainer'], stores: ['schedules'] },
  'delete-container-schedule': { repository: ['getContainer'], stores: ['schedules', 'idempotency'] },
  'preview-container-schedule': { repository: ['getContainer'], stores: ['schedules'] },
  'put-project-schedule': { repository: ['getContainer'], stores: ['schedules'] },
  'get-project-schedule': { repository: ['getContainer'], stores: ['schedules'] },
  'delete-project-schedule': { repository: ['getContainer'], stores: ['schedules', 'idempotency'] },
  'preview-project-schedule': { repository: ['getContainer'], stores: ['schedules'] },
  'create-webhook': { stores: ['webhooks', 'idempotency'] },
  'list-webhooks': { stores: ['webhooks'] },
  'get-webhook': { stores: ['webhooks'] },
  'delete-webhook': { stores: ['webhooks', 'idempotency'] },
  'list-webhook-deliveries': { stores: ['webhooks'] },
  'redeliver-webhook-delivery': { stores: ['webhooks', 'idempotency'] },
  'ecs-task-state-change': { repository: operates },
  'auto-stop': {
    repository: [...operates, 'listDueForAutoStop', 'listContainers'],
    stores: ['schedules', 'outbox'],
  },
  reconcile: { repository: [...operates, 'listSettling', 'listResting'] },
  'publish-transitions': {},
  // Deletes a deleted container's own schedule with its definition.
  'release-task-definitions': { stores: ['schedules'] },
  'deliver-webhooks': { stores: ['webhooks'] },
  'retry-webhook-deliveries': { stores: ['webhooks'] },
} as const satisfies Record<HttpFunctionName | BackgroundFunctionName, TableUse>;

function sentCommands(use: TableUse): string[] {
  const commands = [
    ...(use.repository ?? []).map((call) => repositoryCommands[call]),
    ...(use.stores ?? []).flatMap((store) => storeCommands[store]),
  ];
  return [...new Set(commands)].sort();
}

const dynamoDbCommandModule = /node_modules\/@aws-sdk\/client-dynamodb\/dist-es\/commands\/(\w+)Command\.js$/;

/**
 * The DynamoDB commands whose SDK modules (and so schemas) made it into the bundle, sorted.
 * DescribeEndpoints is left out: the client itself brings it, for endpoint discovery.
 */
const dynamoDbCommands = (inputs: string[]) =>
  inputs
    .flatMap((path) => dynamoDbCommandModule.exec(path)?.[1] ?? [])
    .filter((command) => command !== 'DescribeEndpoints')
    .sort();

describe('function bundles', () => {
  it.each(functionEntries())('$name holds only the clients it may call, and no zod or middy', async (fn) => {
    const granted = access[fn.name];
    if (!granted) throw new Error(`${fn.name} has no entry in infra/function-access.ts`);
    const inputs = await inputsOf(fn.entry);

    if (granted.ecs.length === 0) expect(from(inputs, 'node_modules/@aws-sdk/client-ecs/')).toEqual([]);
    if (!granted.publishesEvents)
      expect(from(inputs, 'node_modules/@aws-sdk/client-eventbridge/')).toEqual([]);
    if (granted.table === 'none') expect(from(inputs, 'node_modules/@aws-sdk/client-dynamodb/')).toEqual([]);
    expect(from(inputs, 'node_modules/zod/')).toEqual([]);
    expect(from(inputs, 'node_modules/@middy/')).toEqual([]);
  });

  // The SDK schemas of the five ECS commands differ in size (RegisterTaskDefinition's are the
  // largest): a function that imports the whole runtime instead of binding its own calls
  // (lib/wiring/ecs.ts) bundles commands its role may not even send.
  it.each(functionEntries())('$name bundles exactly the ECS commands its access grants', async (fn) => {
    const granted = access[fn.name];
    if (!granted) throw new Error(`${fn.name} has no entry in infra/function-access.ts`);

    const inputs = await inputsOf(fn.entry);

    expect(ecsCommands(inputs)).toEqual([...granted.ecs].sort());
  });

  // A class's methods cannot be tree-shaken: a function that imports the whole container
  // repository (lib/adapters/dynamodb/dynamodb-container-repository.ts) instead of binding its own
  // calls bundles the command of every call and the item mapping of every item type.
  it.each(functionEntries())('$name bundles exactly the DynamoDB commands it sends', async (fn) => {
    const use: TableUse | undefined = (tableUse as Record<string, TableUse>)[fn.name];
    if (!use) throw new Error(`${fn.name} has no entry in tableUse`);

    const inputs = await inputsOf(fn.entry);

    expect(dynamoDbCommands(inputs)).toEqual(sentCommands(use));
  });

  // The middleware is given to httpHandler by the routes that take the key, not built inside it: a
  // GET bundles none of it.
  it.each(functionEntries())(
    '$name bundles the Idempotency-Key middleware only if it keeps keys',
    async (fn) => {
      const use: TableUse | undefined = (tableUse as Record<string, TableUse>)[fn.name];
      const keepsKeys = use?.stores?.includes('idempotency') ?? false;

      const inputs = await inputsOf(fn.entry);

      expect(from(inputs, 'lib/http/idempotency.ts')).toEqual(keepsKeys ? ['lib/http/idempotency.ts'] : []);
    },
  );

  // lib/http/schemas/index.ts re-exports every request schema, and each is built at load: a
  // function that imported it would bundle and build all of them (measured: 0.7 ms of cold load
  // for operate-container).
  it.each(functionEntries())(
    '$name bundles no request schema module but those of its own route',
    async (fn) => {
      const inputs = await inputsOf(fn.entry);

      expect(from(inputs, 'lib/http/schemas/index.ts')).toEqual([]);
      if (!routesWithContainerBodies.has(fn.name))
        expect(from(inputs, 'lib/http/schemas/container-bodies.ts')).toEqual([]);
    },
  );
});

describe('the size of function bundles', () => {
  // Issue 6's size budget; `npm run bench` prints each size beside its cold load.
  it.each(functionEntries())(`$name is at most ${budgets.maxBundleKiB} KiB minified`, async (fn) => {
    const { bytes } = await builtOnce(fn.entry);

    expect(bytes / 1024).toBeLessThanOrEqual(budgets.maxBundleKiB);
  });
});

describe('the source maps of function bundles', () => {
  const outfile = join(projectRoot, 'dist', 'bundle-contents', 'source-map', 'index.mjs');
  const fixtureLine = 'test/performance/fixtures/throws-in-handler.ts:7:';

  /** Loads the bundle in a fresh node process (the functions' NODE_OPTIONS: none), then runs `script`. */
  async function inFreshNode(script: string): Promise<{ stdout: string; stderr: string }> {
    return promisify(execFile)(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const fn = await import(process.argv[1]); ${script}`,
        pathToFileURL(outfile).href,
      ],
      { env: { PATH: process.env.PATH, POWERTOOLS_LOG_LEVEL: 'ERROR' } },
    );
  }

  beforeAll(async () => {
    await bundle('test/performance/fixtures/throws-in-handler.ts', outfile);
  });

  it("carry no sources' text: a stack trace needs only the mappings", async () => {
    const map = JSON.parse(await readFile(`${outfile}.map`, 'utf8'));

    expect(map.sourcesContent).toBeUndefined();
    expect(map.mappings.length).toBeGreaterThan(0);
  });

  it('name the TypeScript file and line of an error that leaves a handler, as the Lambda runtime logs it', async () => {
    const { stdout } = await inFreshNode('await fn.handler({}).catch((e) => console.log(e.stack));');

    expect(stdout).toContain('Error: failed: in the handler');
    expect(stdout).toContain(fixtureLine);
    expect(stdout).not.toContain('index.mjs:');
  });

  it('name the TypeScript file and line in the stack of a logged error', async () => {
    const { stderr } = await inFreshNode('fn.logFailure();');
    const line = JSON.parse(stderr);

    expect(line).toMatchObject({ level: 'ERROR', error: { name: 'Error', message: 'failed: logged' } });
    expect(line.error.stack).toContain(fixtureLine);
    expect(line.error.stack).not.toContain('index.mjs:');
  });

  it("are not read at load: with the map taken away after the import, a stack trace keeps the bundle's lines", async () => {
    // Node's --enable-source-maps would have read the map at the import, costing every cold start.
    const moved = `${outfile}.map.moved`;
    const { stdout } = await inFreshNode(
      `const { renameSync } = await import('node:fs'); renameSync('${outfile}.map', '${moved}'); ` +
        `try { await fn.handler({}).catch((e) => console.log(e.stack)); } finally { renameSync('${moved}', '${outfile}.map'); }`,
    );

    expect(stdout).toContain('Error: failed: in the handler');
    expect(stdout).toContain('index.mjs:');
    expect(stdout).not.toContain(fixtureLine);
  });
});
