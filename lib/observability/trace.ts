/**
 * X-Ray annotations without the X-Ray SDK: at the end of a sampled invocation, one subsegment
 * under Lambda's own function segment, carrying the invocation's identifiers and outcomes as
 * annotations (searchable: `annotation.container_id = "..."`), sent to the X-Ray daemon Lambda
 * runs beside every traced function, over its UDP protocol, as aws-xray-sdk-core does.
 *
 * Why not Powertools' Tracer: it brings aws-xray-sdk-core, 122 KiB and about 18 ms of cold load
 * in every function (measured beside the floor bundle), far past issue 6's budget. node:dgram is
 * loaded only when a subsegment is sent. Nothing here may fail an invocation.
 */
import type { Invocation } from './invocation';

/** The log keys that become annotations, with the dimensions of what the invocation counted. */
const annotatedKeys = ['owner_id', 'container_id', 'function_name'] as const;

export interface TraceTarget {
  readonly traceId: string;
  readonly parentId: string;
  readonly host: string;
  readonly port: number;
}

/** Where to send, from the trace header and daemon address Lambda sets; none when not sampled. */
export function traceTarget(environment: NodeJS.ProcessEnv = process.env): TraceTarget | undefined {
  const header = environment._X_AMZN_TRACE_ID;
  const address = environment.AWS_XRAY_DAEMON_ADDRESS;
  if (!header || !address) return undefined;
  const fields = Object.fromEntries(header.split(';').map((part) => part.split('=') as [string, string]));
  if (fields.Sampled !== '1' || !fields.Root || !fields.Parent) return undefined;
  // "host:port", or "udp:host:port tcp:host:port".
  const udp =
    address
      .split(' ')
      .find((part) => part.startsWith('udp:'))
      ?.slice(4) ?? address;
  const separator = udp.lastIndexOf(':');
  const port = Number(udp.slice(separator + 1));
  if (separator < 1 || !Number.isInteger(port)) return undefined;
  return { traceId: fields.Root, parentId: fields.Parent, host: udp.slice(0, separator), port };
}

/** The invocation's annotations: X-Ray keys are letters, digits and _, values at most 1,000 characters. */
export function annotationsOf(invocation: Invocation): Record<string, string | number | boolean> {
  const annotations: Record<string, string | number | boolean> = {};
  const add = (key: string, value: unknown) => {
    if (typeof value === 'string') annotations[key.replace(/\W/g, '_')] = value.slice(0, 1000);
    else if (typeof value === 'number' || typeof value === 'boolean')
      annotations[key.replace(/\W/g, '_')] = value;
  };
  for (const key of annotatedKeys) add(key, invocation.keys[key]);
  add('cold_start', invocation.keys.cold_start);
  for (const { dimensions } of invocation.counts.values()) {
    for (const [key, value] of Object.entries(dimensions)) add(key, value);
  }
  return annotations;
}

/** The daemon's datagram: its header line, then the subsegment document. */
export function subsegmentDatagram(
  target: TraceTarget,
  name: string,
  startMs: number,
  endMs: number,
  annotations: Readonly<Record<string, string | number | boolean>>,
  id: string,
): string {
  const subsegment = {
    type: 'subsegment',
    id,
    trace_id: target.traceId,
    parent_id: target.parentId,
    name,
    start_time: startMs / 1000,
    end_time: endMs / 1000,
    annotations,
  };
  return `{"format":"json","version":1}\n${JSON.stringify(subsegment)}`;
}

/** Sends the invocation's subsegment when this invocation is sampled; never throws. */
export async function sendTrace(invocation: Invocation, name: string, startMs: number): Promise<void> {
  try {
    const target = traceTarget();
    if (!target) return;
    const { randomBytes } = await import('node:crypto');
    const datagram = subsegmentDatagram(
      target,
      name,
      startMs,
      Date.now(),
      annotationsOf(invocation),
      randomBytes(8).toString('hex'),
    );
    const { createSocket } = await import('node:dgram');
    const socket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => {
      socket.send(datagram, target.port, target.host, () => resolve());
    });
    socket.close();
  } catch {
    // A trace must never fail the request it describes.
  }
}
