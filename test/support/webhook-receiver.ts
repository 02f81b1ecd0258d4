/**
 * A webhook receiver for tests, on 127.0.0.1: it records every POST with its headers and body,
 * and answers with the statuses it is told to, per path (200 when told nothing).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly receivedAt: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON they assert on.
  readonly json: any;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** The next answers for a path, in order; after them, `always` or 200. */
  answer(path: string, statuses: readonly number[], always?: number): void;
  /** Resolves with the requests to `path` once `predicate` holds for them, or throws after `timeoutMs`. */
  waitFor(
    path: string,
    predicate: (requests: readonly ReceivedRequest[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const scripted = new Map<string, { queue: number[]; always: number }>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      requests.push({ path, headers: request.headers, body, receivedAt: Date.now(), json: JSON.parse(body) });
      const script = scripted.get(path);
      response.writeHead(script?.queue.shift() ?? script?.always ?? 200);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(path, statuses, always = 200) {
      scripted.set(path, { queue: [...statuses], always });
    },
    async waitFor(path, predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = requests.filter((request) => request.path === path);
        if (predicate(matching)) return matching;
        if (Date.now() > deadline) {
          throw new Error(`${path} received ${matching.length} requests, not what was awaited`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
