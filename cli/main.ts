/**
 * `container-lifecycle`: the everyday verbs of the API from a terminal, over the typed client.
 * Tables for people, `--json` for scripts; errors as one line on stderr and a non-zero exit code.
 */
import { parseArgs } from 'node:util';
import {
  type Container,
  ContainerApiError,
  type ContainerKind,
  ContainerLifecycleClient,
  type ContainerStatus,
  type CpuUnits,
  type CreateContainerRequest,
  containerStatuses,
  isAtRest,
  type JobRun,
  type Operation,
  operations,
  type StatusLog,
  WaitForStatusError,
} from '../client';
import { details, duration, table, text, time } from './format';
import { type ProgressStream, progressLine } from './progress';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const exitCodes = { ok: 0, failure: 1, usage: 2, waitFailed: 3 } as const;

const defaultUrl = 'http://127.0.0.1:3000';
/** The CLI polls for at most this long at a time, so that the progress line moves through each status. */
const pollSeconds = 5;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An operation that ended in `failed`: its reason is the message. */
class OperationFailedError extends Error {
  override readonly name = 'OperationFailedError';
}

type Values = Record<string, string | boolean | string[] | undefined>;

interface Context {
  readonly api: ContainerLifecycleClient;
  readonly values: Values;
  readonly args: readonly string[];
  readonly json: boolean;
  readonly io: CliIo;
  print(output: string): void;
  printJson(value: unknown): void;
}

interface Verb {
  readonly summary: string;
  readonly usage: string;
  readonly options?: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  /** Names of the positional arguments, all required. */
  readonly positionals?: readonly string[];
  run(context: Context): Promise<number>;
}

const connection = `Connection (every verb):
  --url <url>      the API (env CLC_API_URL; default ${defaultUrl}, where npm start listens)
  --token <jwt>    a bearer token (env CLC_TOKEN; npm run token prints one for the local stack).
                   Prefer the environment: a flag is visible to other users in the process list.
  --json           print the API's JSON for scripts instead of a table
  -h, --help       this help`;

const operationVerbs = Object.fromEntries(
  operations.map((operation): [string, Verb] => [
    operation,
    {
      summary: `${operation} a container`,
      usage: `container-lifecycle ${operation} <id> [--wait] [--timeout <s>] [--json]

Asks for ${operation}; answers once it is accepted. With --wait, follows the operation until it has
succeeded or failed, with a progress line on stderr.

  --wait           wait until the operation has ended
  --timeout <s>    give up waiting after s seconds (default 300)`,
      options: { wait: { type: 'boolean' }, timeout: { type: 'string' } },
      positionals: ['id'],
      run: (context) => runOperation(context, operation),
    },
  ]),
);

const verbs: Readonly<Record<string, Verb>> = {
  list: {
    summary: 'list your containers',
    usage: `container-lifecycle list [--status <status>] [--project <project>] [--json]

Every container you own (all pages), newest first.

  --status <status>    only containers in this status (${containerStatuses.join(', ')})
  --project <project>  only containers of this project`,
    options: { status: { type: 'string' }, project: { type: 'string' } },
    run: runList,
  },
  create: {
    summary: 'create a container, and start it',
    usage: `container-lifecycle create --name <name> --image <image> [options] [--json]

  --name <name>          1-63 of a-z, 0-9 and - (required)
  --image <image>        an image reference, e.g. public.ecr.aws/docker/library/python:3.13 (required)
  --project <project>    its project (default: default)
  --kind <kind>          service (runs until stopped; the default) or job (runs to completion:
                         succeeded or failed by its exit code; each start a run, see 'runs')
  --command <arg>        the command, one argument per flag: --command sh --command -c ...
  --env KEY=VALUE        an environment variable; repeat for more
  --idle-timeout <s>     stop it after s seconds without use (60-604800, or never; default 3600;
                         a job has none)
  --cpu <units>          256, 512, 1024, 2048 or 4096 (default 256)
  --memory <MiB>         valid for the cpu, as Fargate defines (default: the smallest)
  --no-start             create it stopped
  --wait                 wait until it is running (or, with --no-start, stopped)`,
    options: {
      name: { type: 'string' },
      image: { type: 'string' },
      project: { type: 'string' },
      kind: { type: 'string' },
      command: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      'idle-timeout': { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      'no-start': { type: 'boolean' },
      wait: { type: 'boolean' },
      timeout: { type: 'string' },
    },
    run: runCreate,
  },
  runs: {
    summary: "a job's runs, newest first",
    usage: `container-lifecycle runs <job_id> [--project <project>] [--json]

Every run of a job (each start is one): its status, exit code and when it started and finished.

  --project <project>    the job's project (default: default)`,
    options: { project: { type: 'string' } },
    positionals: ['job_id'],
    run: runRuns,
  },
  status: {
    summary: "a container's status, allowed operations and task",
    usage: 'container-lifecycle status <id> [--json]',
    positionals: ['id'],
    run: runStatus,
  },
  ...operationVerbs,
  delete: {
    summary: 'stop (if needed) and delete a container',
    usage: `container-lifecycle delete <id> [--wait] [--json]

Deletion is done when the API answers; --wait is accepted for symmetry and waits for nothing more.`,
    options: { wait: { type: 'boolean' } },
    positionals: ['id'],
    run: runDelete,
  },
  logs: {
    summary: "a container's status history",
    usage: `container-lifecycle logs <id> [--limit <n>] [--json]

The container's transitions, oldest first.

  --limit <n>    only the latest n (1-100)`,
    options: { limit: { type: 'string' } },
    positionals: ['id'],
    run: runLogs,
  },
  wait: {
    summary: 'wait until a container is in a status',
    usage: `container-lifecycle wait <id> <status> [--timeout <s>] [--json]

Waits (by the API's long poll) until the container is in <status>, with a progress line on stderr.
Exit code 3 when the time runs out, or when the container settles in another status that it will
not leave by itself (a failed start in error). A running job is waited on until it ends.

  --timeout <s>    give up after s seconds (default 300)`,
    options: { timeout: { type: 'string' } },
    positionals: ['id', 'status'],
    run: runWait,
  },
};

function overview(): string {
  const width = Math.max(...Object.keys(verbs).map((name) => name.length));
  return `Usage: container-lifecycle <verb> [arguments] [--json]

Verbs:
${Object.entries(verbs)
  .map(([name, verb]) => `  ${name.padEnd(width)}  ${verb.summary}`)
  .join('\n')}

Run 'container-lifecycle <verb> --help' for a verb's options.

${connection}

Exit codes: 0 done, 1 the API refused or failed, 2 bad usage, 3 a wait ended without the status.
`;
}

/** Runs one command line; resolves to the exit code. Never prints the token. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(overview());
    return exitCodes.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return exitCodes.ok;
  }
  const verb = verbs[name];
  try {
    if (!verb) throw new UsageError(`unknown verb '${name}'`);
    const { values, positionals } = parse(verb, rest);
    if (values.help) {
      io.stdout.write(`Usage: ${verb.usage}\n\n${connection}\n`);
      return exitCodes.ok;
    }
    const json = values.json === true;
    return await verb.run({
      api: clientFrom(values, io.env),
      values,
      args: positionals,
      json,
      io,
      print: (output) => io.stdout.write(`${output}\n`),
      printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    });
  } catch (error) {
    return reportError(error, name, io);
  }
}

function parse(verb: Verb, args: readonly string[]): { values: Values; positionals: string[] } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        ...verb.options,
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }) as { values: Values; positionals: string[] };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const expected = verb.positionals ?? [];
  if (!parsed.values.help && parsed.positionals.length !== expected.length) {
    throw new UsageError(
      expected.length === 0
        ? `unexpected argument '${parsed.positionals[0]}'`
        : `expected ${expected.map((name) => `<${name}>`).join(' ')}`,
    );
  }
  return parsed;
}

function clientFrom(values: Values, env: CliIo['env']): ContainerLifecycleClient {
  const url = stringOption(values, 'url') ?? env.CLC_API_URL ?? defaultUrl;
  const token = stringOption(values, 'token') ?? env.CLC_TOKEN;
  if (!token) {
    throw new UsageError(
      'no token: set CLC_TOKEN (npm run token prints one for the local stack) or pass --token',
    );
  }
  if (!URL.canParse(url)) throw new UsageError('the API URL (--url or CLC_API_URL) is not a URL');
  return new ContainerLifecycleClient({ baseUrl: url, token, userAgent: 'container-lifecycle-cli' });
}

function reportError(error: unknown, verb: string, io: CliIo): number {
  const line = (code: string, message: string) => io.stderr.write(`error: ${code}: ${message}\n`);
  if (error instanceof UsageError) {
    io.stderr.write(`container-lifecycle: ${error.message}\n`);
    io.stderr.write(
      verbs[verb]
        ? `Run 'container-lifecycle ${verb} --help' for usage.\n`
        : "Run 'container-lifecycle --help'.\n",
    );
    return exitCodes.usage;
  }
  if (error instanceof ContainerApiError) {
    line(error.code, `${error.message}${fieldIssues(error.details)}`);
    return exitCodes.failure;
  }
  if (error instanceof WaitForStatusError) {
    line(error.reason === 'timeout' ? 'WAIT_TIMEOUT' : 'UNEXPECTED_STATUS', error.message);
    return exitCodes.waitFailed;
  }
  if (error instanceof OperationFailedError) {
    line('OPERATION_FAILED', error.message);
    return exitCodes.failure;
  }
  line('CLI_ERROR', error instanceof Error ? error.message : String(error));
  return exitCodes.failure;
}

/** A validation error's fields, on the same line: ` (body.name: use 1-63 of a-z...; ...)`. */
function fieldIssues(details: unknown): string {
  if (!Array.isArray(details)) return '';
  const issues = details
    .filter((issue): issue is { field: string; message: string } => typeof issue?.field === 'string')
    .map((issue) => `${issue.field}: ${issue.message}`);
  return issues.length === 0 ? '' : ` (${issues.join('; ')})`;
}

async function runList(context: Context): Promise<number> {
  const status = stringOption(context.values, 'status');
  if (status !== undefined) statusArgument(status);
  const project = stringOption(context.values, 'project');
  const containers: Container[] = [];
  let quota = { limit: 0, used: 0 };
  let cursor: string | undefined;
  do {
    const page = await context.api.list({
      per_page: 100,
      ...(status ? { status: status as ContainerStatus } : {}),
      ...(project ? { project_id: project } : {}),
      ...(cursor ? { cursor } : {}),
    });
    containers.push(...page.containers);
    quota = page.quota;
    cursor = page.pagination.has_next_page ? (page.pagination.cursor ?? undefined) : undefined;
  } while (cursor);
  if (context.json) {
    context.printJson(containers);
    return exitCodes.ok;
  }
  if (containers.length > 0) {
    context.print(
      table(
        ['ID', 'NAME', 'PROJECT', 'STATUS', 'IDLE', 'CREATED', 'IMAGE'],
        containers.map((container) => [
          container.id,
          container.name,
          container.project_id,
          container.status,
          container.status === 'running' ? duration(container.idle_seconds) : '-',
          time(container.created_at),
          container.image,
        ]),
      ),
    );
  }
  context.print(
    `${containers.length} container${containers.length === 1 ? '' : 's'}; quota ${quota.used} of ${quota.limit}`,
  );
  return exitCodes.ok;
}

async function runCreate(context: Context): Promise<number> {
  const { values } = context;
  const name = stringOption(values, 'name');
  const image = stringOption(values, 'image');
  if (!name || !image) throw new UsageError('--name and --image are required');
  const cpu = numberOption(values, 'cpu');
  const memory = numberOption(values, 'memory');
  const project = stringOption(values, 'project');
  const kind = kindOption(stringOption(values, 'kind'));
  const request: CreateContainerRequest = {
    name,
    image,
    ...(project ? { project_id: project } : {}),
    ...(kind ? { kind } : {}),
    ...(values.command ? { command: [values.command].flat().map(String) } : {}),
    ...(values.env ? { environment: environment(values.env) } : {}),
    ...idleTimeout(stringOption(values, 'idle-timeout')),
    ...(cpu === undefined ? {} : { cpu_units: cpu as CpuUnits }),
    ...(memory === undefined ? {} : { memory_mb: memory }),
    ...(values['no-start'] ? { start: false } : {}),
  };
  const created = await context.api.create(request);
  if (values.wait) {
    await follow(
      context,
      created.operation_id,
      `${created.id} to be ${values['no-start'] ? 'stopped' : 'running'}`,
    );
    const container = await context.api.get(created.id);
    if (context.json) context.printJson(container);
    else context.print(describeContainer(container));
    return exitCodes.ok;
  }
  if (context.json) context.printJson(created);
  else context.print(describeContainer(created));
  return exitCodes.ok;
}

async function runRuns(context: Context): Promise<number> {
  const jobId = idArgument(context);
  const project = stringOption(context.values, 'project') ?? 'default';
  const runs: JobRun[] = [];
  for await (const run of context.api.listJobRunsAll(project, jobId)) runs.push(run);
  if (context.json) {
    context.printJson(runs);
    return exitCodes.ok;
  }
  if (runs.length > 0) {
    context.print(
      table(
        ['RUN', 'STATUS', 'EXIT', 'STARTED', 'FINISHED', 'REASON'],
        runs.map((run) => [
          run.run_id,
          run.status,
          text(run.exit_code),
          time(run.started_at),
          time(run.finished_at),
          text(run.status_reason),
        ]),
      ),
    );
  }
  context.print(`${runs.length} run${runs.length === 1 ? '' : 's'} of ${jobId}`);
  return exitCodes.ok;
}

async function runStatus(context: Context): Promise<number> {
  const summary = await context.api.status(idArgument(context));
  if (context.json) {
    context.printJson(summary);
    return exitCodes.ok;
  }
  context.print(
    details([
      ['id', summary.id],
      ['status', summary.status],
      ['reason', summary.status_reason],
      ['version', summary.version],
      ['since', time(summary.last_transition_at)],
      ['allowed', summary.allowed_operations],
      [
        'pending',
        summary.pending_operation &&
          `${summary.pending_operation.operation} (requested ${time(summary.pending_operation.requested_at)})`,
      ],
      ['task', summary.task && `${summary.task.last_status} (desired ${summary.task.desired_status})`],
      ['task arn', summary.task?.arn],
    ]),
  );
  return exitCodes.ok;
}

async function runOperation(context: Context, operation: Operation): Promise<number> {
  const id = idArgument(context);
  const accepted = await context.api.operate(id, operation);
  const { transition } = accepted;
  if (!context.values.wait) {
    if (context.json) context.printJson(accepted);
    else
      context.print(
        `${operation} accepted: ${id} ${transition.from_status} -> ${transition.to_status} (operation ${accepted.operation_id})`,
      );
    return exitCodes.ok;
  }
  const ended = await follow(context, accepted.operation_id, `${operation} of ${id}`);
  const container = await context.api.get(id);
  if (context.json) context.printJson({ operation: ended, container });
  else context.print(`${operation} succeeded: ${id} is ${container.status}`);
  return exitCodes.ok;
}

async function runDelete(context: Context): Promise<number> {
  const deleted = await context.api.delete(idArgument(context));
  if (context.json) context.printJson(deleted);
  else context.print(`deleted ${deleted.id}`);
  return exitCodes.ok;
}

async function runLogs(context: Context): Promise<number> {
  const id = idArgument(context);
  const limit = numberOption(context.values, 'limit');
  let logs: StatusLog[];
  if (limit === undefined) {
    logs = [];
    for await (const log of context.api.statusLogsAll(id, { sort_order: 'asc' })) logs.push(log);
  } else {
    if (limit < 1 || limit > 100) throw new UsageError('--limit must be 1 to 100');
    // The latest n, shown oldest first like the rest.
    logs = [...(await context.api.statusLogs(id, { sort_order: 'desc', limit })).status_logs].reverse();
  }
  if (context.json) {
    context.printJson(logs);
    return exitCodes.ok;
  }
  context.print(
    table(
      ['VERSION', 'TIME', 'FROM', 'TO', 'BY', 'REASON'],
      logs.map((log) => [
        `v${log.version}`,
        time(log.transition_time),
        text(log.from_status),
        log.to_status,
        log.triggered_by,
        text(log.reason),
      ]),
    ),
  );
  return exitCodes.ok;
}

async function runWait(context: Context): Promise<number> {
  const id = idArgument(context);
  const status = statusArgument(context.args[1] ?? '');
  const timeoutMs = (numberOption(context.values, 'timeout') ?? 300) * 1000;
  const waitingFor = `waiting for ${id} to be ${status}`;
  let container = await context.api.get(id);
  if (container.status !== status) {
    const progress = progressLine(context.io.stderr);
    try {
      // A container at rest elsewhere ends the wait at once (WaitForStatusError): nothing to show.
      if (!isAtRest(container)) {
        progress.update(`${waitingFor}: ${container.status}`);
      }
      container = await context.api.waitFor(id, status, {
        timeoutMs,
        pollSeconds,
        onProgress: ({ container: seen }) => progress.update(`${waitingFor}: ${seen.status}`),
      });
    } finally {
      progress.done();
    }
  }
  if (context.json) context.printJson(container);
  else context.print(`${id} is ${container.status}`);
  return exitCodes.ok;
}

/** Follows an operation to its end with a progress line; a failed one throws with its reason. */
async function follow(context: Context, operationId: string, what: string) {
  let operation = await context.api.getOperation(operationId);
  if (operation.status === 'pending') {
    const progress = progressLine(context.io.stderr);
    try {
      progress.update(`waiting for ${what}: pending`);
      operation = await context.api.waitForOperation(operationId, {
        timeoutMs: (numberOption(context.values, 'timeout') ?? 300) * 1000,
        pollSeconds,
      });
    } finally {
      progress.done();
    }
  }
  if (operation.status === 'failed') {
    throw new OperationFailedError(operation.reason ?? `${operation.operation} failed`);
  }
  return operation;
}

function describeContainer(container: Container & { operation_id?: string }): string {
  return details([
    ['id', container.id],
    ['name', container.name],
    ['project', container.project_id],
    ['kind', container.kind],
    ['status', container.status],
    ['reason', container.status_reason],
    ...(container.kind === 'job'
      ? ([
          ['run', container.run_id],
          ['exit code', container.exit_code],
        ] as const)
      : []),
    ['image', container.image],
    ['resources', `${container.resources.cpu_units} cpu units, ${container.resources.memory_mb} MiB`],
    ['environment', container.environment_names],
    ['idle timeout', duration(container.idle_timeout_seconds)],
    ['ip address', container.ip_address],
    ['version', container.version],
    ['created', time(container.created_at)],
    ...(container.operation_id ? [['operation', container.operation_id] as const] : []),
  ]);
}

function idArgument(context: Context): string {
  return context.args[0] ?? '';
}

function statusArgument(status: string): ContainerStatus {
  if (!(containerStatuses as readonly string[]).includes(status)) {
    throw new UsageError(`'${status}' is not a status: use one of ${containerStatuses.join(', ')}`);
  }
  return status as ContainerStatus;
}

function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function numberOption(values: Values, name: string): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} expects a whole number, got '${value}'`);
  return Number(value);
}

function environment(pairs: string | boolean | string[]): Record<string, string> {
  const list = Array.isArray(pairs) ? pairs : [String(pairs)];
  return Object.fromEntries(
    list.map((pair) => {
      const equals = pair.indexOf('=');
      // The value is not echoed: it may be a secret.
      if (equals < 1) throw new UsageError('--env expects KEY=VALUE');
      return [pair.slice(0, equals), pair.slice(equals + 1)];
    }),
  );
}

function kindOption(value: string | undefined): ContainerKind | undefined {
  if (value === undefined || value === 'service' || value === 'job') return value;
  throw new UsageError(`--kind expects service or job, got '${value}'`);
}

function idleTimeout(value: string | undefined): Pick<CreateContainerRequest, 'idle_timeout_seconds'> {
  if (value === undefined) return {};
  if (value === 'never') return { idle_timeout_seconds: null };
  if (!/^\d+$/.test(value)) throw new UsageError(`--idle-timeout expects seconds or never, got '${value}'`);
  return { idle_timeout_seconds: Number(value) };
}
