import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableDefinition } from '../../lib/adapters/dynamodb/table-definition';
import { JavaNotFoundError, localDynamoDbClient, startDynamoDbLocal } from '../../local/dynamodb-local';
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

describe('DynamoDB Local harness', () => {
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

  it('falls back to the plain jar, with a warning, when Java cannot run the loopback launcher', async () => {
    // Prepare: a java that refuses source files, as a runtime without the compiler module does.
    const directory = mkdtempSync(join(tmpdir(), 'java-without-compiler-'));
    const javaWithoutCompiler = join(directory, 'java');
    writeFileSync(
      javaWithoutCompiler,
      '#!/bin/sh\ncase "$*" in *.java*) echo "error: module not found: jdk.compiler" >&2; exit 1;; esac\nexec java "$@"\n',
      { mode: 0o755 },
    );
    const warnings: string[] = [];

    // Act
    const dynamoDb = await startDynamoDbLocal({
      javaCommand: javaWithoutCompiler,
      warn: (line) => warnings.push(line),
    });
    const client = localDynamoDbClient(dynamoDb.endpoint);
    const tables = await client.send(new ListTablesCommand({}));
    client.destroy();
    await dynamoDb.stop();

    // Assess
    expect(tables.TableNames).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/jdk\.compiler.*every interface/);
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
