import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EcsApiError, EcsErrorType } from './errors';
import type { FaultInjector } from './faults';
import type { EcsEmulatorLogger } from './logger';
import type { OperationHandler } from './operation-context';
import { operationOf, parseJson, readBody, sendError, sendJson } from './protocol';
import type { Scheduler } from './scheduler';

export interface HttpServerDeps {
  readonly port: number;
  readonly operations: Readonly<Record<string, OperationHandler>>;
  readonly faults: FaultInjector;
  readonly scheduler: Scheduler;
  readonly logger: EcsEmulatorLogger;
}

export interface RunningHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the ECS JSON protocol on 127.0.0.1 only. */
export async function startHttpServer(deps: HttpServerDeps): Promise<RunningHttpServer> {
  const implemented = new Set(Object.keys(deps.operations));
  const server = createServer((request, response) => {
    void handle(deps, implemented, request, response);
  });
  await listen(server, deps.port);
  return {
    port: (server.address() as AddressInfo).port,
    close: () => shutdown(server),
  };
}

async function handle(
  deps: HttpServerDeps,
  implemented: ReadonlySet<string>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const operation = operationOf(request, implemented);
    const body = await readBody(request);
    const { delayMs, error } = deps.faults.takeRequestFaults(operation);
    if (delayMs > 0) await deps.scheduler.sleep(delayMs);
    if (error !== undefined) throw error;
    const handler = deps.operations[operation];
    if (handler === undefined) throw new EcsApiError(EcsErrorType.UnknownOperationException, operation);
    answer(response, () => sendJson(response, 200, handler(parseJson(body)), requestId));
  } catch (error) {
    answer(response, () => sendError(response, asApiError(error, deps.logger), requestId));
  }
}

function answer(response: ServerResponse, send: () => void): void {
  if (!response.destroyed && !response.headersSent) send();
}

function asApiError(error: unknown, logger: EcsEmulatorLogger): EcsApiError {
  if (error instanceof EcsApiError) return error;
  logger.error('unexpected failure while answering a request', error);
  return new EcsApiError(EcsErrorType.ServerException, 'Internal emulator error', 500);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function shutdown(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    // Keep-alive sockets of SDK clients would otherwise hold close() open.
    server.closeAllConnections();
  });
}
