/**
 * The local stack inside a test file: a fresh table in the run's DynamoDB Local, an ECS emulator,
 * ECS events delivered to the event function, and the gateway in front of the real handlers.
 * Tests drive it over HTTP exactly as a user would.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { type ClientOptions, ContainerLifecycleClient } from '../../client';
import { type EcsEmulator, type EcsEmulatorOptions, startEcsEmulator } from '../../local/ecs-emulator';
import { type BusEvent, createLocalEventBus, type LocalEventBus } from '../../local/event-bus';
import { type LocalEventBridge, startLocalEventBridge } from '../../local/eventbridge-endpoint';
import { type LocalGateway, startLocalGateway } from '../../local/gateway';
import { loadHttpRoutes } from '../../local/http-routes';
import {
  generateLocalJwtKeys,
  LOCAL_JWT_AUDIENCE,
  LOCAL_JWT_ISSUER,
  type LocalJwtKeys,
} from '../../local/jwt-keys';
import { localEventRules, localFunctionEnvironment, localStreamFunctions } from '../../local/local-functions';
import { type StreamPoller, startStreamPollers } from '../../local/stream-poller';
import { mintToken } from '../../local/tokens';
import { createTestTable } from './dynamodb';
import { createResponseValidator } from './openapi-validator';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON they assert on.
  readonly body: any;
}

export interface RequestOptions {
  readonly as?: string;
  readonly scope?: string;
  readonly token?: string | null;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /**
   * Every answer is checked against the OpenAPI document (openapi.json's source) and a mismatch
   * throws; false opts out, for the rare test that means to receive something off the contract.
   * @default true
   */
  readonly validateResponse?: boolean;
}

export interface LocalStack {
  readonly gateway: LocalGateway;
  readonly ecs: EcsEmulator;
  readonly bus: LocalEventBus;
  /** With `events: true`: the local PutEvents. */
  readonly eventBridge: LocalEventBridge | undefined;
  /** With `events` or `streams`: the pollers of the table's stream, one per stream function. */
  readonly streams: StreamPoller | undefined;
  /** With `events: true`: every event the local PutEvents put on the bus, in order. */
  readonly published: readonly BusEvent[];
  readonly dynamoDb: DynamoDBClient;
  readonly tableName: string;
  token(sub: string, scope?: string, ttlSeconds?: number): Promise<string>;
  api(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** Polls the container's status until it is `status` (or the time runs out). */
  waitForStatus(id: string, status: string, as?: string, timeoutMs?: number): Promise<ApiResponse>;
  /**
   * The typed client (client/) as `sub`, with a fresh token for every request. Its answers are
   * checked against the OpenAPI document; a mismatch is kept and fails `close()` (pass your own
   * `fetch` to opt out).
   */
  client(sub?: string, scope?: string, options?: Partial<ClientOptions>): ContainerLifecycleClient;
  close(): Promise<void>;
}

const readWrite = 'containers:read containers:write';

export async function startLocalStack(
  options: {
    emulator?: EcsEmulatorOptions;
    quota?: number;
    /**
     * Transitions and other platform events flow as in AWS: the table's stream to the publisher,
     * a local PutEvents onto the bus, the bus to the webhook deliveries. @default false
     */
    events?: boolean;
    /**
     * The table's stream feeds its functions as in AWS (the transition publisher, the task
     * definition release), whose ECS and PutEvents calls then come at any time. @default `events`
     */
    streams?: boolean;
  } = {},
): Promise<LocalStack> {
  const { client: dynamoDb, tableName } = await createTestTable();
  const ecs = await startEcsEmulator({
    startMs: 60,
    stopMs: 60,
    logger: { error: () => undefined },
    ...options.emulator,
  });
  let bus: LocalEventBus | undefined;
  const published: BusEvent[] = [];
  const eventBridge = options.events
    ? await startLocalEventBridge({
        put: (event) => {
          published.push(event);
          bus?.put(event);
        },
        log: () => undefined,
      })
    : undefined;
  Object.assign(
    process.env,
    localFunctionEnvironment({
      tableName,
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      ecs,
      ...(eventBridge ? { eventBridgeEndpoint: eventBridge.endpoint } : {}),
    }),
    {
      CONTAINER_QUOTA: String(options.quota ?? 5),
      LOG_LEVEL: 'SILENT',
    },
  );
  const localBus = createLocalEventBus(await localEventRules(), { log: () => undefined });
  bus = localBus;
  ecs.onTaskStateChange((event) => localBus.put(event));
  const streams =
    (options.streams ?? options.events)
      ? await startStreamPollers(
          {
            endpoint: inject('dynamoDbEndpoint'),
            tableName,
            region: ecs.region,
            retryDelayMs: 100,
            log: () => undefined,
          },
          await localStreamFunctions(),
        )
      : undefined;
  const keys: LocalJwtKeys = await generateLocalJwtKeys();
  const gateway = await startLocalGateway({
    routes: await loadHttpRoutes(),
    keys,
    issuer: LOCAL_JWT_ISSUER,
    audience: LOCAL_JWT_AUDIENCE,
    logger: { info: () => undefined, error: () => undefined },
  });

  const responses = createResponseValidator();
  const clientMismatches: string[] = [];
  /** `fetch` for the typed client: answers pass unchanged, mismatches are kept for `close()`. */
  const checkedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const mismatch = responses.check(
      init?.method ?? 'GET',
      url,
      response.status,
      text ? JSON.parse(text) : undefined,
    );
    if (mismatch) clientMismatches.push(mismatch);
    return response;
  };

  const token = (sub: string, scope = readWrite, ttlSeconds = 3600) =>
    mintToken({ keys, sub, scope, ttlSeconds, issuer: LOCAL_JWT_ISSUER, audience: LOCAL_JWT_AUDIENCE });

  async function api(method: string, path: string, request: RequestOptions = {}): Promise<ApiResponse> {
    const bearer =
      request.token === undefined ? await token(request.as ?? 'alice', request.scope) : request.token;
    const headers: Record<string, string> = { ...request.headers };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers,
      ...(request.body === undefined
        ? {}
        : { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) }),
    });
    const text = await response.text();
    const body = text ? JSON.parse(text) : undefined;
    if (request.validateResponse !== false) {
      const mismatch = responses.check(method, path, response.status, body);
      if (mismatch) throw new Error(`the answer is not what openapi.json documents: ${mismatch}`);
    }
    return { status: response.status, headers: response.headers, body };
  }

  async function waitForStatus(
    id: string,
    status: string,
    as = 'alice',
    timeoutMs = 10_000,
  ): Promise<ApiResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await api('GET', `/v1/containers/${id}/status`, { as });
      if (response.body?.data?.status === status) return response;
      if (Date.now() > deadline) {
        throw new Error(
          `container ${id} is ${response.body?.data?.status}, not ${status}, after ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  return {
    gateway,
    ecs,
    bus: localBus,
    eventBridge,
    streams,
    published,
    dynamoDb,
    tableName,
    token,
    api,
    waitForStatus,
    client: (sub = 'alice', scope = readWrite, clientOptions = {}) =>
      new ContainerLifecycleClient({
        baseUrl: gateway.url,
        getToken: () => token(sub, scope),
        fetch: checkedFetch,
        ...clientOptions,
      }),
    async close() {
      await gateway.close();
      await streams?.stop();
      await ecs.close();
      await localBus.drain();
      await eventBridge?.close();
      dynamoDb.destroy();
      if (clientMismatches.length > 0) {
        throw new Error(
          `the typed client received answers that openapi.json does not document:\n${clientMismatches.join('\n')}`,
        );
      }
    },
  };
}
