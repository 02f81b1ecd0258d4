/**
 * The real function handlers, loaded as `npm start` loads them (environment first, then the
 * modules, so the wiring is a cold start's), against a table in DynamoDB Local and an ECS
 * emulator whose events are held back and handed over on demand. Their SDK clients sit on an
 * {@link InMemoryIo}, so a bench can record real answers once and replay them.
 */
import { createTable } from '../local/create-table';
import { localDynamoDbClient } from '../local/dynamodb-local';
import { type EcsEmulator, startEcsEmulator, type TaskStateChangeEvent } from '../local/ecs-emulator';
import type { HttpHandler } from '../local/gateway';
import { loadHttpRoutes } from '../local/http-routes';
import { localFunctionEnvironment } from '../local/local-functions';
import { wiredClients } from '../test/support/sdk-calls';
import { InMemoryIo } from './in-memory-io';

export type TaskEventHandler = (event: TaskStateChangeEvent) => Promise<unknown>;

export interface FunctionsUnderTest {
  readonly http: Readonly<Record<string, HttpHandler>>;
  readonly taskEvent: TaskEventHandler;
  readonly io: InMemoryIo;
  readonly ecs: EcsEmulator;
  /** Waits for the emulator to emit `lastStatus`; returns the held events up to and including it. */
  eventsThrough(lastStatus: string): Promise<TaskStateChangeEvent[]>;
  close(): Promise<void>;
}

export async function loadFunctionsUnderTest(dynamoDbEndpoint: string): Promise<FunctionsUnderTest> {
  const client = localDynamoDbClient(dynamoDbEndpoint);
  const tableName = `bench-functions-${Date.now()}`;
  await createTable(client, tableName);
  client.destroy();
  const ecs = await startEcsEmulator({ startMs: 30, stopMs: 30, logger: { error: () => undefined } });
  ecs.events.pause();
  Object.assign(process.env, localFunctionEnvironment({ tableName, dynamoDbEndpoint, ecs }), {
    CONTAINER_QUOTA: '1000',
    LOG_LEVEL: 'SILENT',
  });
  const routes = await loadHttpRoutes();
  const { handler: taskEvent } = await import('../functions/events/ecs-task-state-change');
  const { wiringOnce } = await import('../lib/wiring');
  const io = new InMemoryIo();
  const clients = wiredClients(wiringOnce());
  io.install(clients.dynamoDb);
  io.install(clients.ecs);
  let taken = 0;
  return {
    http: Object.fromEntries(routes.map((route) => [route.functionName ?? route.routeKey, route.handler])),
    taskEvent: (event) => taskEvent(event as Parameters<typeof taskEvent>[0]),
    io,
    ecs,
    async eventsThrough(lastStatus) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const held = ecs.events.emitted().slice(taken);
        const last = held.findIndex((event) => event.detail.lastStatus === lastStatus);
        if (last >= 0) {
          taken += last + 1;
          return held.slice(0, last + 1);
        }
        if (Date.now() > deadline) throw new Error(`the emulator emitted no ${lastStatus} event`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => ecs.close(),
  };
}
