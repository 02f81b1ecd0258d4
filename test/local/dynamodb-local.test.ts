import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableDefinition } from '../../lib/adapters/dynamodb/table-definition';
import {
  DynamoDbLocalExitedError,
  JavaNotFoundError,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '../../local/dynamodb-local';
import { createTestTable } from '../support/dynamodb';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function javaProcessesOnPort(port: number): string {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDbLocalOnLoopback.*-port ${port}`], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return '';
  }
}

/** The local addresses a TCP port is listened on, from /proc/net/tcp and tcp6 (Linux). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
      .map((fields) => fields[1]?.split(':')[0] ?? ''),
  );
}

// Each test starts a JVM of its own: slow on a busy machine, so the timeout is generous.
describe('DynamoDB Local harness', { timeout: 60_000 }, () => {
  it('starts DynamoDB Local on a free 127.0.0.1 port, answers, and leaves no Java process after stop', async () => {
    // Prepare / Act
    const dynamoDb = await startDynamoDbLocal();
    const client = localDynamoDbClient(dynamoDb.endpoint);
    const tables = await client.send(new ListTablesCommand({}));
    client.destroy();

    // Assess
    expect(dynamoDb.endpoint).toBe(`http://127.0.0.1:${dynamoDb.port}`);
    expect(tables.TableNames).toEqual([]);
    expect(isRunning(dynamoDb.pid)).toBe(true);
    await dynamoDb.stop();
    expect(isRunning(dynamoDb.pid)).toBe(false);
    expect(javaProcessesOnPort(dynamoDb.port)).toBe('');
  });

  it('listens on 127.0.0.1 only, not on every interface', async () => {
    // Prepare
    const dynamoDb = await startDynamoDbLocal();

    // Act
    const addresses = listeningAddresses(dynamoDb.port);
    await dynamoDb.stop();

    // Assess: 0100007F is 127.0.0.1; in tcp6, ::ffff:127.0.0.1 ends in 0100007F.
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(address).toMatch(/0100007F$/);
  });

  it('falls back to the plain jar, with a warning, only when Java cannot compile the loopback launcher', async () => {
    // Prepare: a java that refuses source files, as a runtime without jdk.compiler does, and
    // records the arguments of every call (it never starts a server).
    const directory = mkdtempSync(join(tmpdir(), 'java-without-compiler-'));
    const fakeJava = join(directory, 'java');
    const calls = join(directory, 'calls');
    writeFileSync(
      fakeJava,
      `#!/bin/sh\necho "$*" >> ${calls}\ncase "$*" in *.java*) echo "error: module not found: jdk.compiler" >&2; exit 1;; esac\nexit 3\n`,
      { mode: 0o755 },
    );
    const warnings: string[] = [];

    // Act
    const starting = startDynamoDbLocal({ javaCommand: fakeJava, warn: (line) => warnings.push(line) });

    // Assess
    await expect(starting).rejects.toBeInstanceOf(DynamoDbLocalExitedError);
    expect(warnings).toEqual([expect.stringMatching(/jdk\.compiler.*every interface/)]);
    const invocations = readFileSync(calls, 'utf8').trim().split('\n');
    expect(invocations).toHaveLength(2);
    expect(invocations[0]).toContain('DynamoDbLocalOnLoopback.java');
    expect(invocations[1]).toContain('-jar');
  });

  it('reports a port already taken instead of falling back to every interface', async () => {
    // Prepare
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const warnings: string[] = [];

    // Act
    const starting = startDynamoDbLocal({ port, warn: (line) => warnings.push(line) });

    // Assess
    await expect(starting).rejects.toBeInstanceOf(DynamoDbLocalExitedError);
    expect(warnings).toEqual([]);
    taken.close();
  });

  it('says Java is missing, and how to install it, when the java command does not exist', async () => {
    // Act
    const starting = startDynamoDbLocal({ javaCommand: 'no-such-java-binary' });

    // Assess
    await expect(starting).rejects.toBeInstanceOf(JavaNotFoundError);
    await expect(starting).rejects.toThrow(/Java 17 or newer.*apt-get install openjdk-17-jre-headless/);
  });

  it('creates the table with the keys, every GSI and the TTL attribute of the shared definition', async () => {
    // Prepare
    const { client, tableName } = await createTestTable();

    // Act
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));

    // Assess
    expect(Table?.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      keys: index.KeySchema?.map((key) => key.AttributeName),
      projection: index.Projection?.ProjectionType,
    }));
    expect(indexes).toEqual(
      expect.arrayContaining(
        tableDefinition.globalIndexes.map((index) => ({
          name: index.indexName,
          keys: [index.partitionKey, index.sortKey],
          projection: 'ALL',
        })),
      ),
    );
    expect(indexes).toHaveLength(tableDefinition.globalIndexes.length);
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(tableDefinition.timeToLiveAttribute);
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
    client.destroy();
  });
});
