/**
 * Counts the AWS SDK calls a client sends, by command name, with a middleware on the client:
 * the round trips a request costs, whatever the code path that made them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Wiring } from '../../lib/wiring';
import { ecsTargetOnce } from '../../lib/wiring/ecs';

export interface SdkCallLog {
  /** The command names sent since the last take, without the `Command` suffix, in order. */
  take(): string[];
  /**
   * The round trips since the last take: calls sent while another was in flight share its round
   * trip, so two reads sent together count one.
   */
  takeRoundTrips(): number;
}

interface MiddlewareClient {
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

export function logSdkCalls(client: DynamoDBClient | ECSClient): SdkCallLog {
  let calls: string[] = [];
  let inFlight = 0;
  let roundTrips = 0;
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      calls.push((context.commandName ?? 'unknown').replace(/Command$/, ''));
      if (inFlight === 0) roundTrips += 1;
      inFlight += 1;
      try {
        return await next(args);
      } finally {
        inFlight -= 1;
      }
    },
    { step: 'initialize', name: 'logSdkCalls' },
  );
  return {
    take() {
      const taken = calls;
      calls = [];
      return taken;
    },
    takeRoundTrips() {
      const taken = roundTrips;
      roundTrips = 0;
      return taken;
    },
  };
}

/** The clients the functions' wiring built: one of each per process, shared by every function loaded. */
export function wiredClients(wiring: Wiring): { dynamoDb: DynamoDBClient; ecs: ECSClient } {
  const ecs = ecsTargetOnce().client;
  if (!(wiring.dynamoDb instanceof DynamoDBClient)) throw new Error('the wiring holds no DynamoDBClient');
  return { dynamoDb: wiring.dynamoDb, ecs };
}
