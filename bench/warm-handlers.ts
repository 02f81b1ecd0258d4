/**
 * Warm handler time per endpoint: the real handler modules, invoked in-process many times in a
 * row (after a warm-up), with every DynamoDB and ECS answer replayed from memory (recorded once
 * from DynamoDB Local and the ECS emulator, see in-memory-io.ts). What is timed is our code plus
 * the SDK's client stack, without the network: the floor a warm Lambda adds to the I/O.
 */
import { performance } from 'node:perf_hooks';
import type { Context } from 'aws-lambda';
import { systemClock } from '../lib/ports/clock';
import { httpEvent, lambdaContext } from '../test/support/http-events';
import type { FunctionsUnderTest } from './functions-under-test';
import type { Recording } from './in-memory-io';
import { formatTable, quantile } from './table';

export interface WarmFigure {
  readonly endpoint: string;
  readonly sdkCalls: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly invocations: number;
}

interface Scenario {
  readonly endpoint: string;
  readonly recording: Recording;
  readonly invoke: () => Promise<unknown>;
  /** What the recorded invocation answered: an HTTP status, or an event outcome's kind. */
  readonly answer: string;
  /** When it was recorded: replays run at this time, as a decision may depend on it. */
  readonly recordedAt: number;
}

/** Enough of an answer to tell that a replay did what the recording did. */
function answerOf(result: unknown): string {
  const value = result as { statusCode?: number; kind?: string } | undefined;
  return String(value?.statusCode ?? value?.kind ?? 'nothing');
}

const context = lambdaContext as Context;

/** Records each endpoint's answers in a realistic order: create, its events, reads, then a stop. */
export async function recordScenarios(
  fns: FunctionsUnderTest,
): Promise<{ containerId: string; scenarios: Scenario[] }> {
  const http = (name: string) => {
    const handler = fns.http[name];
    if (!handler) throw new Error(`no handler ${name}`);
    return handler;
  };
  const scenario = async (endpoint: string, invoke: () => Promise<unknown>): Promise<Scenario> => {
    let answer = '';
    const recording = await fns.io.record(async () => {
      const result = (await invoke()) as { statusCode?: number; body?: string } | undefined;
      if (result?.statusCode !== undefined && result.statusCode >= 300) {
        throw new Error(`${endpoint} answered ${result.statusCode}: ${result.body}`);
      }
      answer = answerOf(result);
    });
    return { endpoint, recording, invoke, answer, recordedAt: Date.now() };
  };

  const createEvent = httpEvent({
    routeKey: 'POST /v1/containers',
    body: JSON.stringify({ name: 'bench', image: 'public.ecr.aws/docker/library/nginx:latest' }),
  });
  let id = '';
  const create = await scenario('POST /containers (create)', async () => {
    const result = (await http('create-container')(createEvent, context)) as {
      statusCode: number;
      body: string;
    };
    id ||= JSON.parse(result.body).data.id;
    return result;
  });
  const events = await fns.eventsThrough('RUNNING');
  const running = events.pop();
  if (!running) throw new Error('no RUNNING event');
  for (const event of events) await fns.taskEvent(event);
  const taskEvent = await scenario('ECS event RUNNING (settles starting)', () => fns.taskEvent(running));

  const idPath = { pathParameters: { id } };
  const get = (endpoint: string, name: string, routeKey: string, extra = {}) =>
    scenario(endpoint, () => http(name)(httpEvent({ routeKey, ...idPath, ...extra }), context));
  const reads = [
    await get('GET /containers/{id}', 'get-container', 'GET /v1/containers/{id}'),
    await get('GET /containers/{id}/status', 'get-container-status', 'GET /v1/containers/{id}/status'),
    await get('GET /containers (list)', 'list-containers', 'GET /v1/containers'),
    await get('GET /containers/{id}/status-logs', 'list-status-logs', 'GET /v1/containers/{id}/status-logs'),
    await get('POST /containers/{id}/activity', 'record-activity', 'POST /v1/containers/{id}/activity'),
  ];
  const stopEvent = httpEvent({
    routeKey: 'POST /v1/containers/{id}/{operation}',
    pathParameters: { id, operation: 'stop' },
  });
  const stop = await scenario('POST /containers/{id}/stop', () =>
    http('operate-container')(stopEvent, context),
  );
  return { containerId: id, scenarios: [create, taskEvent, ...reads, stop] };
}

async function benchScenario(
  { endpoint, recording, invoke, answer, recordedAt }: Scenario,
  fns: FunctionsUnderTest,
  invocations: number,
): Promise<WarmFigure> {
  fns.io.replay(recording);
  // The functions' clock stands at the recording's time: a replay a minute later would otherwise
  // take another path (record-activity writes once its 60 s throttle has run out) and find no
  // recorded answer for it.
  systemClock.now = () => new Date(recordedAt);
  const timings: number[] = [];
  for (let index = 0; index < invocations + 200; index += 1) {
    fns.io.rewind();
    const started = performance.now();
    const result = await invoke();
    if (index >= 200) timings.push(performance.now() - started);
    // A replay that answers otherwise than the recording would time some other path.
    if (answerOf(result) !== answer) {
      throw new Error(`${endpoint} answered ${answerOf(result)} on replay, ${answer} when recorded`);
    }
  }
  return {
    endpoint,
    sdkCalls: [...recording.values()].reduce((sum, answers) => sum + answers.length, 0),
    p50Ms: quantile(timings, 0.5),
    p99Ms: quantile(timings, 0.99),
    invocations,
  };
}

export async function benchWarmHandlers(
  scenarios: readonly Scenario[],
  fns: FunctionsUnderTest,
  invocations = Number(process.env.BENCH_WARM_INVOCATIONS ?? 10_000),
): Promise<WarmFigure[]> {
  const figures: WarmFigure[] = [];
  const realNow = systemClock.now;
  try {
    for (const scenario of scenarios) figures.push(await benchScenario(scenario, fns, invocations));
  } finally {
    systemClock.now = realNow;
  }
  fns.io.passThrough();
  return figures;
}

export function warmTable(figures: readonly WarmFigure[]): string {
  return formatTable(
    ['endpoint (warm, I/O replayed from memory)', 'SDK calls', 'p50 ms', 'p99 ms', 'invocations'],
    figures.map((figure) => [
      figure.endpoint,
      String(figure.sdkCalls),
      figure.p50Ms.toFixed(3),
      figure.p99Ms.toFixed(3),
      String(figure.invocations),
    ]),
  );
}
