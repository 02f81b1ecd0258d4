/**
 * I/O answered from memory, for timing our own code: a request handler put under the functions'
 * SDK clients that records the real answers of one invocation (from DynamoDB Local and the ECS
 * emulator) and then replays them, byte for byte, to every later invocation of that scenario.
 * Everything in the process still runs: middy, zod, the use case, and the SDK's whole stack
 * (serialise, sign, retry, deserialise); only the socket is skipped.
 */

interface WireResponse {
  readonly statusCode: number;
  readonly reason?: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

interface SdkRequest {
  readonly headers: Record<string, string>;
}

interface SdkRequestHandler {
  handle(request: SdkRequest, options?: unknown): Promise<{ response: unknown }>;
}

/** The answers of one invocation, per `X-Amz-Target`, in the order they were asked for. */
export type Recording = Map<string, WireResponse[]>;

export class InMemoryIo {
  private mode: 'pass' | 'record' | 'replay' = 'pass';
  private recording: Recording = new Map();
  private readonly cursors = new Map<string, number>();

  /** Puts this recorder under an SDK client (its `config.requestHandler`), before its first send. */
  install(client: { config: unknown }): void {
    const config = client.config as { requestHandler: SdkRequestHandler };
    const real = config.requestHandler;
    config.requestHandler = {
      handle: (request, options) => this.handle(real, request, options),
    } satisfies SdkRequestHandler;
  }

  /** Real I/O, nothing kept. */
  passThrough(): void {
    this.mode = 'pass';
  }

  /** Runs `invoke` against the real services and keeps their answers. */
  async record(invoke: () => Promise<unknown>): Promise<Recording> {
    this.mode = 'record';
    this.recording = new Map();
    try {
      await invoke();
      return this.recording;
    } finally {
      this.mode = 'pass';
    }
  }

  /** From now on every call is answered from `recording`; call {@link rewind} before each invocation. */
  replay(recording: Recording): void {
    this.mode = 'replay';
    this.recording = recording;
    this.rewind();
  }

  rewind(): void {
    this.cursors.clear();
  }

  private async handle(real: SdkRequestHandler, request: SdkRequest, options: unknown) {
    const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? 'unknown';
    if (this.mode === 'replay') {
      const answers = this.recording.get(target) ?? [];
      const index = this.cursors.get(target) ?? 0;
      const answer = answers[index % Math.max(answers.length, 1)];
      if (answer === undefined) throw new Error(`nothing recorded for ${target}`);
      this.cursors.set(target, index + 1);
      return { response: { ...answer, headers: { ...answer.headers }, body: answer.body } };
    }
    const { response } = await real.handle(request, options);
    if (this.mode === 'pass') return { response };
    const wire = await readResponse(response as WireResponse & { body: AsyncIterable<Uint8Array> });
    const answers = this.recording.get(target) ?? [];
    answers.push(wire);
    this.recording.set(target, answers);
    return { response: { ...wire, headers: { ...wire.headers } } };
  }
}

async function readResponse(response: {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
}): Promise<WireResponse> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return {
    statusCode: response.statusCode,
    ...(response.reason === undefined ? {} : { reason: response.reason }),
    headers: response.headers,
    body: Buffer.concat(chunks),
  };
}
