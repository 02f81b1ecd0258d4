/**
 * `npm start`: the whole stack on this machine, in one process. DynamoDB Local with the table,
 * the ECS emulator, ECS task events delivered to the event functions, the scheduled functions on
 * a timer, and the gateway on PORT. Ctrl-C or SIGTERM stops all of it, the Java process included.
 */
import { createTable } from './create-table';
import { loadDocsPages } from './docs';
import { localDynamoDbClient, startDynamoDbLocal } from './dynamodb-local';
import { startEcsEmulator } from './ecs-emulator';
import { createLocalEventBus, type LocalEventBus } from './event-bus';
import { startLocalEventBridge } from './eventbridge-endpoint';
import { startLocalGateway } from './gateway';
import { loadHttpRoutes } from './http-routes';
import { loadOrCreateLocalJwtKeys, resolveLocalJwtAudience, resolveLocalJwtIssuer } from './jwt-keys';
import {
  localEventRules,
  localFunctionEnvironment,
  localScheduledJobs,
  localStreamFunctions,
} from './local-functions';
import { startLocalScheduler } from './scheduler';
import { startStreamPollers } from './stream-poller';
import { mintToken } from './tokens';

// Node 20 is this project's local runtime; the SDK's notice about it would open every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = parsePort(process.env.PORT ?? '3000');
const tableName = process.env.TABLE_NAME ?? 'container-lifecycle-local';
const stoppers: Array<() => Promise<void>> = [];

function progress(line: string): void {
  console.error(`[start] ${line}`);
}

function parsePort(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    console.error(`PORT must be a whole number from 1 to 65535, not ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return parsed;
}

async function start(): Promise<void> {
  progress('starting DynamoDB Local...');
  const dynamoDb = await startDynamoDbLocal();
  stoppers.push(() => dynamoDb.stop());
  const dynamoDbClient = localDynamoDbClient(dynamoDb.endpoint);
  await createTable(dynamoDbClient, tableName);
  dynamoDbClient.destroy();
  progress(`DynamoDB Local on ${dynamoDb.endpoint}, table ${tableName}`);

  progress('starting the ECS emulator...');
  const ecs = await startEcsEmulator();
  stoppers.push(() => ecs.close());
  progress(`ECS emulator on ${ecs.endpoint}`);

  // Platform events (transitions, idle warnings) go through a local PutEvents onto the local bus.
  let bus: LocalEventBus | undefined;
  const eventBridge = await startLocalEventBridge({ put: (event) => bus?.put(event), log: progress });
  stoppers.push(() => eventBridge.close());

  // The functions read their configuration from the environment, as in Lambda.
  Object.assign(
    process.env,
    localFunctionEnvironment({
      tableName,
      dynamoDbEndpoint: dynamoDb.endpoint,
      ecs,
      eventBridgeEndpoint: eventBridge.endpoint,
    }),
  );

  bus = createLocalEventBus(await localEventRules(), { log: progress });
  stoppers.push(() => bus?.drain() ?? Promise.resolve());

  // The table's stream, read as Lambda's event source mappings read it: every transition goes
  // out, and every deleted container's task definition is released.
  const streamPoller = await startStreamPollers(
    { endpoint: dynamoDb.endpoint, tableName, region: ecs.region, log: progress },
    await localStreamFunctions(),
  );
  stoppers.push(() => streamPoller.stop());
  const unsubscribe = ecs.onTaskStateChange((event) => bus?.put(event));
  stoppers.push(async () => unsubscribe());

  const scheduler = startLocalScheduler(await localScheduledJobs(), progress);
  stoppers.push(() => scheduler.stop());

  const keys = await loadOrCreateLocalJwtKeys();
  const issuer = resolveLocalJwtIssuer();
  const audience = resolveLocalJwtAudience();
  // The same stage throttling infra/ deploys (50 requests a second, bursts of 100).
  const gateway = await startLocalGateway({
    port,
    routes: await loadHttpRoutes(),
    keys,
    issuer,
    audience,
    throttle: { rateLimit: 50, burstLimit: 100 },
    // Swagger UI over openapi.json at /docs, from node_modules (no CDN).
    pages: await loadDocsPages(),
  });
  stoppers.push(() => gateway.close());

  await checkGatewayAnswers(gateway.url, await mintToken({ keys, issuer, audience, sub: 'start-check' }));
  progress(`API docs on ${gateway.url}/docs`);
  console.log(`listening on ${gateway.url}`);
}

async function checkGatewayAnswers(url: string, token: string): Promise<void> {
  const response = await fetch(`${url}/v1/health`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) {
    throw new Error(
      `the gateway answered its health check with ${response.status}: ${await response.text()}`,
    );
  }
}

let stopping = false;
async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  progress('stopping...');
  // Last started, first stopped: the gateway goes before what it calls.
  for (const stopOne of stoppers.reverse()) {
    await stopOne().catch((error: unknown) => progress(`while stopping: ${String(error)}`));
  }
  process.exit(exitCode);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

start().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  void stop(1);
});
