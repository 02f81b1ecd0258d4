import {
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  type EcsEmulator,
  type EcsEmulatorOptions,
  startEcsEmulator,
  type TaskStateChangeEvent,
} from '../../../local/ecs-emulator';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const SUBNET = 'subnet-0a1b2c3d4e5f60718';

/** Fast timings so a whole lifecycle takes well under a second. */
export const FAST = { startMs: 40, stopMs: 40 } as const;

/**
 * A start or stop time no test waits out: a state entered with it holds for the whole test, however
 * loaded the machine is, so the test can act on that state without racing the lifecycle timers.
 */
export const HOLD_MS = 10_000;

/** How long the polling helpers wait before giving up; generous because CI machines are loaded. */
const WAIT_MS = 5000;

export interface Harness {
  readonly emulator: EcsEmulator;
  readonly ecs: ECSClient;
  close(): Promise<void>;
}

export async function startHarness(
  options: EcsEmulatorOptions = {},
  client: { maxAttempts?: number } = {},
): Promise<Harness> {
  const emulator = await startEcsEmulator({ ...FAST, ...options });
  const ecs = new ECSClient({ ...emulator.clientConfig, ...client });
  return {
    emulator,
    ecs,
    close: async () => {
      ecs.destroy();
      await emulator.close();
    },
  };
}

export async function registerFargateTaskDefinition(ecs: ECSClient, family = 'web'): Promise<string> {
  const answer = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:latest', essential: true }],
    }),
  );
  return answer.taskDefinition?.taskDefinitionArn ?? '';
}

export function runTaskInput(overrides: Partial<RunTaskCommandInput> = {}): RunTaskCommandInput {
  return {
    taskDefinition: 'web',
    launchType: 'FARGATE',
    networkConfiguration: { awsvpcConfiguration: { subnets: [SUBNET], assignPublicIp: 'DISABLED' } },
    ...overrides,
  };
}

/** Runs one task and returns it as RunTask answered. */
export async function runOneTask(
  ecs: ECSClient,
  overrides: Partial<RunTaskCommandInput> = {},
): Promise<Task> {
  const answer = await ecs.send(new RunTaskCommand(runTaskInput(overrides)));
  const task = answer.tasks?.[0];
  if (task === undefined) throw new Error(`RunTask placed nothing: ${JSON.stringify(answer.failures)}`);
  return task;
}

export async function describeTask(
  ecs: ECSClient,
  taskArn: string,
  cluster?: string,
): Promise<Task | undefined> {
  const answer = await ecs.send(new DescribeTasksCommand({ tasks: [taskArn], cluster }));
  return answer.tasks?.[0];
}

/** Polls DescribeTasks until the task reaches `lastStatus`. */
export async function waitForStatus(
  ecs: ECSClient,
  taskArn: string,
  lastStatus: string,
  timeoutMs = WAIT_MS,
): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await describeTask(ecs, taskArn);
    if (task?.lastStatus === lastStatus) return task;
    if (Date.now() > deadline) {
      throw new Error(`task ${taskArn} still ${task?.lastStatus ?? 'missing'}, wanted ${lastStatus}`);
    }
    await sleep(5);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Records every delivered event, in delivery order. */
export function collectEvents(emulator: EcsEmulator): TaskStateChangeEvent[] {
  const received: TaskStateChangeEvent[] = [];
  emulator.onTaskStateChange((event) => {
    received.push(event);
  });
  return received;
}

/** Waits until `count` events about `taskArn` were delivered. */
export async function waitForEvents(
  received: readonly TaskStateChangeEvent[],
  taskArn: string,
  count: number,
  timeoutMs = WAIT_MS,
): Promise<TaskStateChangeEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = received.filter((event) => event.detail.taskArn === taskArn);
    if (mine.length >= count) return mine;
    if (Date.now() > deadline) throw new Error(`only ${mine.length} of ${count} events for ${taskArn}`);
    await sleep(5);
  }
}

export const statusesOf = (events: readonly TaskStateChangeEvent[]): string[] =>
  events.map((event) => event.detail.lastStatus);

export const versionsOf = (events: readonly TaskStateChangeEvent[]): number[] =>
  events.map((event) => event.detail.version);

/** The error a call rejects with; fails the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, it succeeded');
}
