/**
 * The fault table: each fault is injected while containers are driven over HTTP; after it, and at
 * most one reconciler pass, every container's status matches its ECS task, its history is valid and
 * gap-free, and no task runs that no container owns. The table of outcomes is printed at the end.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ContainerRuntime } from '../../lib/ports/container-runtime';
import { wiringOnce } from '../../lib/wiring';
import { consistencyProblems, reconcileOnce, settle } from '../load/consistency';
import { type ApiResponse, type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';

interface Row {
  readonly fault: string;
  readonly tried: number;
  readonly answers: string;
  readonly reconciler: string;
  readonly outcome: string;
}

/** Fails the next `times` calls of one DynamoDB command with `error`, before the SDK sends them. */
function dynamoDbFaults(client: DynamoDBClient) {
  const pending: { command: string; times: number; error: () => Error }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fault = pending.find((candidate) => candidate.command === context.commandName);
      if (fault) {
        fault.times -= 1;
        if (fault.times <= 0) pending.splice(pending.indexOf(fault), 1);
        throw fault.error();
      }
      return next(args);
    },
    { step: 'initialize', name: 'faultSuiteInjection' },
  );
  return {
    inject(command: string, error: () => Error, times = 1) {
      pending.push({ command, times, error });
    },
    clear: () => pending.splice(0),
    remove: () => client.middlewareStack.remove('faultSuiteInjection'),
  };
}

const throttled = () =>
  new ProvisionedThroughputExceededException({
    message: 'Rate of requests exceeds the allowed throughput',
    $metadata: {},
  });
const cancelled = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
  });

describe('the fault table: every fault ends consistent within one reconciler pass', () => {
  let stack: LocalStack;
  let runtime: ContainerRuntime;
  let dynamo: ReturnType<typeof dynamoDbFaults>;
  const ids: string[] = [];
  const rows: Row[] = [];
  let counter = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 100, emulator: { startMs: 40, stopMs: 40 } });
    await stack.api('GET', '/v1/containers');
    const wiring = wiringOnce();
    runtime = wiring.deps.runtime;
    dynamo = dynamoDbFaults(wiring.dynamoDb);
  });
  afterAll(async () => {
    dynamo.remove();
    console.info(table(rows));
    await stack.close();
  });

  async function create(start: boolean): Promise<string> {
    counter += 1;
    const created = await stack.api('POST', '/v1/containers', {
      body: { name: `fault-${counter}`, image, start },
    });
    expect(created.status).toBe(201);
    ids.push(created.body.data.id);
    return created.body.data.id;
  }

  async function running(count: number): Promise<string[]> {
    const made = await Promise.all(Array.from({ length: count }, () => create(true)));
    for (const id of made) await stack.waitForStatus(id, 'running');
    return made;
  }

  /**
   * Settles, checks, reconciles once only if needed, checks again; records the row and returns the
   * problems left (expected empty).
   */
  async function judge(
    fault: string,
    answers: readonly ApiResponse[],
    afterPass: () => Promise<void> = async () => undefined,
  ): Promise<string[]> {
    const settled = await settle(stack, ids, { timeoutMs: 1_500, quietMs: 300 });
    const before = settled ? await consistencyProblems(stack, ids) : ['not settled'];
    let reconciler = 'not needed';
    let after = before;
    if (before.length > 0) {
      const summary = await reconcileOnce(stack);
      await afterPass();
      await settle(stack, ids, { timeoutMs: 3_000, quietMs: 300 });
      after = await consistencyProblems(stack, ids);
      reconciler = `settled ${summary.settled}, failed ${summary.failed}`;
    }
    const codes = answers.map((answer) => answer.body?.error?.code ?? String(answer.status));
    rows.push({
      fault,
      tried: answers.length,
      answers: summarize(codes),
      reconciler,
      outcome: after.length === 0 ? 'consistent' : `${after.length} problem(s)`,
    });
    return after;
  }

  it('ECS throttling past the retries on RunTask: 502, nothing started', async () => {
    // Prepare
    const made = await Promise.all([create(false), create(false)]);
    const fault = stack.ecs.faults.inject({ operation: 'RunTask', kind: 'throttle', times: 6 });

    // Act
    const answers = await Promise.all(made.map((id) => stack.api('POST', `/v1/containers/${id}/start`)));
    fault.clear();

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([502, 502]);
    expect(await judge('ECS throttle (RunTask)', answers)).toEqual([]);
  });

  it('ECS 500s on StopTask: the stops are undone, the tasks keep running', async () => {
    // Prepare
    const made = await running(2);
    const fault = stack.ecs.faults.inject({ operation: 'StopTask', kind: 'serverError', times: 6 });

    // Act
    const answers = await Promise.all(made.map((id) => stack.api('POST', `/v1/containers/${id}/pause`)));
    fault.clear();

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([502, 502]);
    expect(await judge('ECS 500 (StopTask)', answers)).toEqual([]);
  });

  it('a RunTask that outlives the client timeout is retried once, with the same client token: one task', async () => {
    // Prepare
    const id = await create(false);
    stack.ecs.faults.inject({ operation: 'RunTask', kind: 'delay', delayMs: 5_300 });

    // Act
    const answer = await stack.api('POST', `/v1/containers/${id}/start`);

    // Assess
    expect([202, 502]).toContain(answer.status);
    expect(await judge('ECS delay past the 5 s timeout (RunTask)', [answer])).toEqual([]);
  }, 30_000);

  it('no Fargate capacity on start and resume: 503 with Retry-After, undone', async () => {
    // Prepare
    const [paused] = await running(1);
    const stopped = await create(false);
    await stack.api('POST', `/v1/containers/${paused}/pause`);
    await stack.waitForStatus(paused ?? '', 'paused');
    stack.ecs.faults.inject({ kind: 'capacityUnavailable', times: 2 });

    // Act
    const answers = [
      await stack.api('POST', `/v1/containers/${paused}/resume`),
      await stack.api('POST', `/v1/containers/${stopped}/start`),
    ];

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([503, 503]);
    expect(await judge('no capacity (RunTask failures[])', answers)).toEqual([]);
  });

  it('tasks that crash on their own, and tasks that fail to start: error, and no task left', async () => {
    // Prepare
    const made = await running(2);
    stack.ecs.faults.inject({ kind: 'failToStart', times: 1 });

    // Act
    for (const id of made) {
      const status = await stack.api('GET', `/v1/containers/${id}/status`);
      stack.ecs.crashTask(status.body.data.task.arn, { exitCode: 137, reason: 'OutOfMemoryError' });
    }
    const failing = await stack.api('POST', '/v1/containers', { body: { name: 'fails-to-start', image } });
    ids.push(failing.body.data.id);

    // Assess
    expect(failing.status).toBe(201);
    expect(await judge('task crash / fail to start', [failing])).toEqual([]);
  });

  it('duplicated, late and reordered ECS events: each transition once', async () => {
    // Prepare
    const made = await running(3);
    stack.ecs.events.configure({ duplicate: true, delayMs: { min: 0, max: 150 }, reorder: 0.5, seed: 3 });

    // Act
    const answers = await Promise.all([
      stack.api('POST', `/v1/containers/${made[0]}/restart`),
      stack.api('POST', `/v1/containers/${made[1]}/pause`),
      stack.api('POST', `/v1/containers/${made[2]}/stop`),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await stack.ecs.events.idle();
    stack.ecs.events.reset();

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(await judge('duplicate + late + out-of-order events', answers)).toEqual([]);
  });

  it('lost ECS events: the reconciler settles the containers; the events that come late change nothing', async () => {
    // Prepare
    const made = await running(2);
    const fresh = await create(false);
    stack.ecs.events.pause();

    // Act
    const answers = await Promise.all([
      stack.api('POST', `/v1/containers/${made[0]}/stop`),
      stack.api('POST', `/v1/containers/${made[1]}/restart`),
      stack.api('POST', `/v1/containers/${fresh}/start`),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stuck = await consistencyProblems(stack, ids);
    // The held events are lost to the reconciler's pass; afterwards they arrive late and reversed,
    // and the events of what the pass itself launched flow as usual.
    const problems = await judge('lost events (then delivered late, reversed)', answers, async () => {
      await stack.ecs.events.flush({ order: 'reverse' });
      await stack.ecs.events.resume();
      await stack.bus.drain();
    });

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(stuck.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('DynamoDB throttling on the transition write: refused, nothing half-done', async () => {
    // Prepare
    const [id] = await running(1);
    const stopped = await create(false);
    dynamo.inject('TransactWriteItemsCommand', throttled, 2);

    // Act
    const answers = [
      await stack.api('POST', `/v1/containers/${id}/stop`),
      await stack.api('POST', `/v1/containers/${stopped}/start`),
    ];
    dynamo.clear();

    // Assess
    for (const answer of answers) expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(await judge('DynamoDB throttled (TransactWriteItems)', answers)).toEqual([]);
  });

  it('a cancelled DynamoDB transaction on the transition write: refused or retried, nothing half-done', async () => {
    // Prepare
    const [id] = await running(1);
    dynamo.inject('TransactWriteItemsCommand', cancelled, 1);

    // Act
    const answer = await stack.api('POST', `/v1/containers/${id}/restart`);
    dynamo.clear();

    // Assess
    expect(await judge('DynamoDB transaction cancelled', [answer])).toEqual([]);
  });

  it('a crash between the DynamoDB write and the ECS call: the reconciler ends the launch that never happened', async () => {
    // Prepare: RunTask is never sent, and the instance dies (a plain error, so nothing is undone).
    const id = await create(false);
    vi.spyOn(runtime, 'runTask').mockRejectedValueOnce(new Error('Runtime.ExitError: the instance died'));

    // Act
    const answer = await stack.api('POST', `/v1/containers/${id}/start`);

    // Assess
    expect(answer.status).toBe(500);
    expect(await judge('crash after the write, before RunTask', [answer])).toEqual([]);
  });

  it('a crash just after RunTask, before its answer is recorded: the task is adopted or stopped, never orphaned', async () => {
    // Prepare
    const id = await create(false);
    const real = runtime.runTask.bind(runtime);
    vi.spyOn(runtime, 'runTask').mockImplementationOnce(async (request) => {
      await real(request);
      throw new Error('Runtime.ExitError: the instance died');
    });

    // Act
    const answer = await stack.api('POST', `/v1/containers/${id}/start`);

    // Assess
    expect(answer.status).toBe(500);
    expect(await judge('crash after RunTask, before its answer is saved', [answer])).toEqual([]);
  });
});

function summarize(codes: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].map(([code, count]) => `${count}×${code}`).join(' ');
}

function table(rows: readonly Row[]): string {
  const header = ['fault', 'tried', 'answers', 'reconciler pass', 'outcome'];
  const cells = rows.map((row) => [row.fault, String(row.tried), row.answers, row.reconciler, row.outcome]);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...cells.map((cell) => cell[index]?.length ?? 0)),
  );
  const line = (cell: readonly string[]) =>
    `| ${cell.map((text, index) => text.padEnd(widths[index] ?? 0)).join(' | ')} |`;
  return ['', line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
