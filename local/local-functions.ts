import { randomBytes } from 'node:crypto';
import { releaseFilter } from '../lib/adapters/dynamodb/stream-records';
import { eventSource } from '../lib/adapters/eventbridge/eventbridge-publisher';
import { webhookEventTypes } from '../lib/domain/webhook';
import type { EventRule } from './event-bus';
import type { ScheduledJob } from './scheduler';
import type { StreamFunction } from './stream-poller';

/**
 * The non-HTTP functions `npm start` runs, as infra/ wires them in AWS: EventBridge rules (ECS
 * task state changes to the event function, our platform events to the webhook deliveries), the
 * table's stream (to the transition publisher and the task definition release) and schedules (the
 * auto-stop sweep, the reconciler and the webhook retries). Loaded after the environment is set,
 * like a cold start.
 */
export async function localEventRules(): Promise<EventRule[]> {
  const { handler } = await import('../functions/events/ecs-task-state-change');
  const webhooks = await import('../functions/events/deliver-webhooks');
  return [
    {
      name: 'ecs-task-state-change',
      pattern: { source: ['aws.ecs'], detailType: ['ECS Task State Change'] },
      target: (event) => handler(event as Parameters<typeof handler>[0]),
    },
    {
      name: 'deliver-webhooks',
      pattern: { source: [eventSource], detailType: [...webhookEventTypes] },
      target: (event) => webhooks.handler(event as Parameters<typeof webhooks.handler>[0]),
    },
  ];
}

/**
 * The table stream's functions, each with the filters of its event source mapping in infra/ (the
 * local stream pollers hand each its own copy of the records).
 */
export async function localStreamFunctions(): Promise<StreamFunction[]> {
  const publisher = await import('../functions/streams/publish-transitions');
  const release = await import('../functions/streams/release-task-definitions');
  return [
    { name: 'publish-transitions', handler: publisher.handler },
    { name: 'release-task-definitions', handler: release.handler, filters: [releaseFilter] },
  ];
}

/** What a scheduled function gets locally for its time budget: one interval. */
const scheduledContext = (intervalMs: number) => ({ getRemainingTimeInMillis: () => intervalMs + 10_000 });

export async function localScheduledJobs(intervalMs = autoStopIntervalMs()): Promise<ScheduledJob[]> {
  const autoStop = await import('../functions/scheduled/auto-stop');
  const reconcile = await import('../functions/scheduled/reconcile');
  const webhookRetries = await import('../functions/scheduled/retry-webhook-deliveries');
  return [
    {
      name: 'retry-webhook-deliveries',
      intervalMs,
      run: async () => void (await webhookRetries.handler({}, scheduledContext(intervalMs))),
    },
    {
      name: 'auto-stop',
      intervalMs,
      run: async () => void (await autoStop.handler({}, scheduledContext(intervalMs))),
    },
    {
      name: 'reconcile',
      intervalMs,
      run: async () => void (await reconcile.handler({}, scheduledContext(intervalMs))),
    },
  ];
}

/** `AUTO_STOP_INTERVAL_MS`, how often the scheduled functions run locally. @default 5000 */
export function autoStopIntervalMs(): number {
  const value = Number(process.env.AUTO_STOP_INTERVAL_MS ?? 5000);
  if (!Number.isInteger(value) || value < 100) {
    throw new Error(`AUTO_STOP_INTERVAL_MS must be a whole number of milliseconds, at least 100`);
  }
  return value;
}

/**
 * The environment the functions get locally: what infra/ sets in AWS, pointed at DynamoDB Local
 * and the ECS emulator. The cursor secret is new at every start, so old cursors stop working.
 */
export function localFunctionEnvironment(options: {
  tableName: string;
  dynamoDbEndpoint: string;
  ecs: { endpoint: string; region: string };
  /** The local PutEvents endpoint; without it, platform events are only logged. */
  eventBridgeEndpoint?: string;
}): Record<string, string> {
  return {
    TABLE_NAME: options.tableName,
    DYNAMODB_ENDPOINT: options.dynamoDbEndpoint,
    ECS_ENDPOINT: options.ecs.endpoint,
    AWS_REGION: options.ecs.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CURSOR_SECRET: process.env.CURSOR_SECRET ?? randomBytes(32).toString('hex'),
    CONTAINER_QUOTA: process.env.CONTAINER_QUOTA ?? '5',
    ECS_CLUSTER: 'default',
    ECS_SUBNETS: 'subnet-local',
    ECS_SECURITY_GROUPS: 'sg-local',
    ECS_ASSIGN_PUBLIC_IP: 'true',
    ...(options.eventBridgeEndpoint
      ? { EVENT_BUS_NAME: 'container-lifecycle-local', EVENTBRIDGE_ENDPOINT: options.eventBridgeEndpoint }
      : { EVENT_BUS_NAME: 'log' }),
    // Webhooks may be http://127.0.0.1 here, as the receivers of the local stack and tests are.
    WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true',
    // Metrics (EMF lines on stdout) would bury the logs here: off unless asked for with =false.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    ...(process.env.SETTLE_AFTER_SECONDS ? {} : { SETTLE_AFTER_SECONDS: '60' }),
  };
}
