import { ECSClient } from '@aws-sdk/client-ecs';

/** Options of {@link createEcsClient}. */
export interface EcsClientOptions {
  /**
   * Only for local use: the URL of the ECS emulator.
   * @default the regional ECS endpoint
   */
  readonly endpoint?: string | undefined;
  /** @default the SDK's region chain (AWS_REGION in Lambda) */
  readonly region?: string | undefined;
  /**
   * Attempts per call, the first one included; the SDK retries throttling, 5xx and network errors.
   * @default 3
   */
  readonly maxAttempts?: number | undefined;
  /**
   * Time one attempt may take before it fails with TimeoutError. Without it a hung connection would
   * hold the Lambda until its own timeout, past the API Gateway's 29 s.
   * @default 5000
   */
  readonly requestTimeoutMs?: number | undefined;
}

const defaultMaxAttempts = 3;
const defaultRequestTimeoutMs = 5000;

/**
 * Builds the ECSClient; call it once at module scope and make every call of the instance with it
 * (lib/wiring/ecs.ts).
 */
export function createEcsClient(options: EcsClientOptions = {}): ECSClient {
  return new ECSClient({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.region === undefined ? {} : { region: options.region }),
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? defaultRequestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}
