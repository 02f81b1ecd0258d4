/**
 * A local stand-in for EventBridge's PutEvents, so the functions' real `@aws-sdk/client-eventbridge`
 * runs unchanged against it (EVENTBRIDGE_ENDPOINT): every entry goes onto the local event bus, as
 * an event on the project's bus reaches its rules. Serves 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BusEvent } from './event-bus';

export interface LocalEventBridge {
  readonly endpoint: string;
  /** Makes the next `count` entries fail, as PutEvents reports a partial failure. */
  failNextEntries(count: number): void;
  close(): Promise<void>;
}

interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
}

export async function startLocalEventBridge(options: {
  /** Where accepted events go: the local bus's `put`. */
  readonly put: (event: BusEvent & { readonly id: string; readonly time: string }) => void;
  readonly log?: (line: string) => void;
}): Promise<LocalEventBridge> {
  let failures = 0;
  const server = createServer((request, response) => {
    void answer(request, response);
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = request.headers['x-amz-target'];
    if (target !== 'AWSEvents.PutEvents') {
      return send(response, 400, {
        __type: 'UnknownOperationException',
        message: `${String(target)} is not served`,
      });
    }
    let entries: PutEventsEntry[];
    try {
      entries =
        (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEventsEntry[] }).Entries ?? [];
    } catch {
      return send(response, 400, { __type: 'ValidationException', message: 'the body is not JSON' });
    }
    const results = entries.map((entry) => {
      if (failures > 0) {
        failures -= 1;
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'injected by the local event bridge' };
      }
      const id = randomUUID();
      const detail: unknown = JSON.parse(entry.Detail ?? '{}');
      options.log?.(`event published: ${entry.DetailType ?? ''} ${entry.Detail ?? ''}`);
      options.put({
        id,
        time: new Date().toISOString(),
        source: entry.Source ?? '',
        'detail-type': entry.DetailType ?? '',
        detail,
      });
      return { EventId: id };
    });
    send(response, 200, {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    failNextEntries(count) {
      failures = count;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
