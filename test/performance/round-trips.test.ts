/**
 * The round trips each request costs, counted by a middleware on the very clients the functions'
 * wiring built, while the real handlers run behind the local gateway against DynamoDB Local and
 * the ECS emulator. The numbers are pinned exactly: one more call anywhere fails here first.
 *
 * ECS events are held by the emulator and handed to the event function one at a time, so each
 * event's calls are counted alone and no event lands inside a request's count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wiringOnce } from '../../lib/wiring';
import { type LocalStack, startLocalStack } from '../support/local-stack';
import { logSdkCalls, type SdkCallLog, wiredClients } from '../support/sdk-calls';

interface Calls {
  readonly dynamoDb: string[];
  readonly ecs: string[];
}

let stack: LocalStack;
let dynamoDb: SdkCallLog;
let ecs: SdkCallLog;
let delivered = 0;
let id: string;

beforeAll(async () => {
  stack = await startLocalStack({ emulator: { startMs: 30, stopMs: 30 } });
  stack.ecs.events.pause();
  const clients = wiredClients(wiringOnce());
  dynamoDb = logSdkCalls(clients.dynamoDb);
  ecs = logSdkCalls(clients.ecs);
});

afterAll(async () => {
  await stack?.close();
});

function takeCalls(): Calls {
  return { dynamoDb: dynamoDb.take(), ecs: ecs.take() };
}

/** The calls of one request, and nothing else. */
async function callsOf(method: string, path: string, headers?: Record<string, string>) {
  takeCalls();
  const response = await stack.api(method, path, headers ? { headers } : {});
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status}`);
  return takeCalls();
}

/** Waits for the emulator to emit `lastStatus`, then delivers each held event alone: its status and calls. */
async function deliverEventsThrough(lastStatus: string) {
  const deadline = Date.now() + 5000;
  const pending = () => stack.ecs.events.emitted().slice(delivered);
  while (!pending().some((event) => event.detail.lastStatus === lastStatus)) {
    if (Date.now() > deadline) throw new Error(`the emulator emitted no ${lastStatus} event`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const events = pending();
  delivered += events.length;
  const perEvent: Array<{ lastStatus: string } & Calls> = [];
  for (const event of events) {
    takeCalls();
    stack.bus.put(event);
    await stack.bus.drain();
    perEvent.push({ lastStatus: event.detail.lastStatus, ...takeCalls() });
  }
  return perEvent;
}

const observation = { dynamoDb: ['GetItem', 'PutItem'], ecs: [] };
const settle = { dynamoDb: ['GetItem', 'TransactWriteItems'], ecs: [] };

describe('SDK round trips per request', () => {
  it('create costs a read of the owner (quota, ban), one transaction, one PutItem for the task ARN, and RegisterTaskDefinition + RunTask', async () => {
    takeCalls();
    const created = await stack.api('POST', '/v1/containers', { body: { name: 'bench', image: 'nginx' } });
    expect(created.status).toBe(201);
    id = created.body.data.id;
    expect(takeCalls()).toEqual({
      dynamoDb: ['GetItem', 'TransactWriteItems', 'PutItem'],
      ecs: ['RegisterTaskDefinition', 'RunTask'],
    });
  });

  it('an ECS event costs one read and one write: a PutItem before RUNNING, a transaction at RUNNING', async () => {
    expect(await deliverEventsThrough('RUNNING')).toEqual([
      { lastStatus: 'PROVISIONING', ...observation },
      { lastStatus: 'PENDING', ...observation },
      { lastStatus: 'ACTIVATING', ...observation },
      { lastStatus: 'RUNNING', ...settle },
    ]);
  });

  it('GET container and GET status cost one GetItem each', async () => {
    expect(await callsOf('GET', `/v1/containers/${id}`)).toEqual({ dynamoDb: ['GetItem'], ecs: [] });
    expect(await callsOf('GET', `/v1/containers/${id}/status`)).toEqual({ dynamoDb: ['GetItem'], ecs: [] });
  });

  it('list costs a Query and a GetItem of the owner counters for the total, sent together: one round trip', async () => {
    dynamoDb.takeRoundTrips();
    expect(await callsOf('GET', '/v1/containers')).toEqual({ dynamoDb: ['Query', 'GetItem'], ecs: [] });
    expect(dynamoDb.takeRoundTrips()).toBe(1);
  });

  it('status-logs costs a GetItem of the container (ownership, latest version), a Query of the page and one of its oldest entry still kept (total), sent together: one round trip', async () => {
    dynamoDb.takeRoundTrips();
    expect(await callsOf('GET', `/v1/containers/${id}/status-logs`)).toEqual({
      dynamoDb: ['Query', 'Query', 'GetItem'],
      ecs: [],
    });
    expect(dynamoDb.takeRoundTrips()).toBe(1);
  });

  it('activity within the minute costs one GetItem and no write', async () => {
    expect(await callsOf('POST', `/v1/containers/${id}/activity`)).toEqual({
      dynamoDb: ['GetItem'],
      ecs: [],
    });
  });

  it('stop costs one read, one transaction and one StopTask', async () => {
    expect(await callsOf('POST', `/v1/containers/${id}/stop`)).toEqual({
      dynamoDb: ['GetItem', 'TransactWriteItems'],
      ecs: ['StopTask'],
    });
  });

  it('each stop event costs one read and one write, the transaction at STOPPED', async () => {
    expect(await deliverEventsThrough('STOPPED')).toEqual([
      { lastStatus: 'RUNNING', ...observation },
      { lastStatus: 'DEACTIVATING', ...observation },
      { lastStatus: 'STOPPING', ...observation },
      { lastStatus: 'DEPROVISIONING', ...observation },
      { lastStatus: 'STOPPED', ...settle },
    ]);
  });

  it('start costs one read, one transaction, RunTask, and one PutItem for the task ARN', async () => {
    expect(await callsOf('POST', `/v1/containers/${id}/start`)).toEqual({
      dynamoDb: ['GetItem', 'TransactWriteItems', 'PutItem'],
      ecs: ['RunTask'],
    });
    await deliverEventsThrough('RUNNING');
  });

  it('an Idempotency-Key adds two PutItems to an operation: the claim and the answer', async () => {
    expect(await callsOf('POST', `/v1/containers/${id}/restart`, { 'idempotency-key': 'restart-1' })).toEqual(
      {
        dynamoDb: ['PutItem', 'GetItem', 'TransactWriteItems', 'PutItem'],
        ecs: ['StopTask'],
      },
    );
  });

  it("a restart's STOPPED event costs one read, two PutItems and RunTask; the new task's RUNNING one transaction", async () => {
    expect((await deliverEventsThrough('STOPPED')).at(-1)).toEqual({
      lastStatus: 'STOPPED',
      dynamoDb: ['GetItem', 'PutItem', 'PutItem'],
      ecs: ['RunTask'],
    });
    expect((await deliverEventsThrough('RUNNING')).at(-1)).toEqual({ lastStatus: 'RUNNING', ...settle });
  });

  it('GET operation costs one BatchGetItem (the container, its entry and the next, by key), however long it may wait', async () => {
    const logs = await stack.api('GET', `/v1/containers/${id}/status-logs?sort_order=desc&limit=2`);
    const restart = logs.body.data.status_logs[1];
    expect(restart.to_status).toBe('restarting');
    expect(await callsOf('GET', `/v1/operations/${restart.id}?wait=5`)).toEqual({
      dynamoDb: ['BatchGetItem'],
      ecs: [],
    });
  });

  it('GET container waiting for the status it is in costs one GetItem', async () => {
    expect(await callsOf('GET', `/v1/containers/${id}?wait_for=running&timeout=5`)).toEqual({
      dynamoDb: ['GetItem'],
      ecs: [],
    });
  });

  it('delete costs one read, one transaction and StopTask: the task definition is released from the stream', async () => {
    expect(await callsOf('DELETE', `/v1/containers/${id}`)).toEqual({
      dynamoDb: ['GetItem', 'TransactWriteItems'],
      ecs: ['StopTask'],
    });
  });
});
