/**
 * X-Ray annotations reach the daemon as aws-xray-sdk-core would send them: one UDP datagram per
 * sampled invocation, a subsegment of Lambda's function segment. A daemon on 127.0.0.1 receives.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordOperation } from '../../../../lib/metrics';
import { appendLogKeys } from '../../../../lib/observability/invocation';
import { observed } from '../../../../lib/observability/observed';
import { traceTarget } from '../../../../lib/observability/trace';

const root = '1-6740c3f2-a1b2c3d4e5f60718a1b2c3d4';
const parent = '53995c3f42cd8ad8';

let daemon: Socket;
let received: string[];

beforeEach(async () => {
  received = [];
  daemon = createSocket('udp4');
  daemon.on('message', (message) => received.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', `127.0.0.1:${daemon.address().port}`);
  vi.stubEnv('LOG_LEVEL', 'SILENT');
});

afterEach(() => {
  daemon.close();
  vi.unstubAllEnvs();
});

const handler = observed(async (_event: unknown, _context?: { functionName: string }) => {
  appendLogKeys({ owner_id: 'alice', container_id: '6740c3f2a1b2c3d4e5f60718' });
  recordOperation('start', 'CAPACITY_UNAVAILABLE');
  return 'done';
});

async function datagrams(count: number, waitMs = 2000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  while (received.length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return received;
}

describe('X-Ray annotations', () => {
  it('sends a sampled invocation its subsegment, under Lambda’s segment, annotated with who, what and how it ended', async () => {
    // Prepare
    vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${root};Parent=${parent};Sampled=1`);

    // Act
    const answer = await handler({}, { functionName: 'operate-container' });

    // Assess
    expect(answer).toBe('done');
    const [datagram] = await datagrams(1);
    const [header, body] = (datagram ?? '').split('\n');
    expect(JSON.parse(header ?? '')).toEqual({ format: 'json', version: 1 });
    const subsegment = JSON.parse(body ?? '');
    expect(subsegment).toMatchObject({
      type: 'subsegment',
      trace_id: root,
      parent_id: parent,
      name: 'operate-container',
      annotations: {
        owner_id: 'alice',
        container_id: '6740c3f2a1b2c3d4e5f60718',
        function_name: 'operate-container',
        operation: 'start',
        outcome: 'CAPACITY_UNAVAILABLE',
      },
    });
    expect(subsegment.id).toMatch(/^[0-9a-f]{16}$/);
    expect(subsegment.end_time).toBeGreaterThanOrEqual(subsegment.start_time);
  });

  it('sends nothing for an invocation that is not sampled, or when no daemon is set', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${root};Parent=${parent};Sampled=0`);
    await handler({}, { functionName: 'operate-container' });
    expect(await datagrams(1, 300)).toEqual([]);
    expect(traceTarget({ _X_AMZN_TRACE_ID: `Root=${root};Parent=${parent};Sampled=1` })).toBeUndefined();
  });

  it('reads the daemon address in both of Lambda’s forms', () => {
    const header = `Root=${root};Parent=${parent};Sampled=1`;
    expect(traceTarget({ _X_AMZN_TRACE_ID: header, AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000' })).toEqual(
      {
        traceId: root,
        parentId: parent,
        host: '169.254.79.129',
        port: 2000,
      },
    );
    expect(
      traceTarget({
        _X_AMZN_TRACE_ID: header,
        AWS_XRAY_DAEMON_ADDRESS: 'tcp:10.0.0.1:2000 udp:10.0.0.2:2001',
      }),
    ).toMatchObject({ host: '10.0.0.2', port: 2001 });
  });
});
