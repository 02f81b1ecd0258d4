/** The `container-lifecycle` CLI, run as a child process against the local stack. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const bin = fileURLToPath(new URL('../../bin/container-lifecycle.mjs', import.meta.url));
const image = 'public.ecr.aws/docker/library/python:3.13';

/** Where each column of a table line starts: after two spaces or more. */
function columnStarts(line: string): number[] {
  return [0, ...[...line.matchAll(/ {2,}/g)].map((gap) => (gap.index ?? 0) + gap[0].length)];
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('the container-lifecycle CLI', { timeout: 60_000 }, () => {
  let stack: LocalStack;
  let token: string;
  const outputs: string[] = [];

  /** Runs the CLI with the stack's URL and a token for erin in its environment. */
  function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args],
        {
          env: { ...process.env, CLC_API_URL: stack.gateway.url, CLC_TOKEN: token, ...env },
          timeout: 50_000,
        },
        (error, stdout, stderr) => {
          outputs.push(stdout, stderr);
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });
  }

  beforeAll(async () => {
    // Tasks take a while to start, so that a wait has something to show.
    stack = await startLocalStack({ emulator: { startMs: 2500, stopMs: 300 }, quota: 20 });
    token = await stack.token('erin');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('creates a container and, with --json, prints the API’s JSON', async () => {
    const run = await cli(['create', '--name', 'cli-box', '--image', image, '--env', 'MODE=dev', '--json']);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({
      name: 'cli-box',
      status: 'starting',
      environment_names: ['MODE'],
      operation_id: expect.any(String),
    });
  });

  it('waits for running with a progress line on stderr, the answer on stdout', async () => {
    // Prepare
    const created = await stack.client('erin').create({ name: 'cli-wait', image });

    // Act
    const run = await cli(['wait', created.id, 'running']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(`^waiting for ${created.id} to be running: starting \\(\\d+ s\\)\\n`),
    );
    expect(run.stdout).toBe(`${created.id} is running\n`);
  });

  it('lists the containers as an aligned table, and as a JSON array with --json', async () => {
    const mine = await stack.client('erin').create({ name: 'cli-list', image, start: false });

    const people = await cli(['list', '--status', 'stopped']);
    const scripts = await cli(['list', '--json']);

    expect(people.code).toBe(0);
    const [header = '', row = '', footer] = people.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +NAME +PROJECT +STATUS +IDLE +CREATED +IMAGE$/);
    expect(row.split(/ {2,}/)).toEqual([
      mine.id,
      'cli-list',
      'default',
      'stopped',
      '-',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      image,
    ]);
    expect(columnStarts(row)).toEqual(columnStarts(header));
    expect(footer).toMatch(/^1 container; quota \d+ of 20$/);
    expect(JSON.parse(scripts.stdout).map((container: { id: string }) => container.id)).toContain(mine.id);
  });

  it('stops with --wait: follows the operation to its end, then says where the container is', async () => {
    const created = await stack.client('erin').create({ name: 'cli-stop', image });
    await stack.client('erin').waitFor(created.id, 'running', { timeoutMs: 10_000 });

    const run = await cli(['stop', created.id, '--wait']);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`waiting for stop of ${created.id}: pending`);
    expect(run.stdout).toBe(`stop succeeded: ${created.id} is stopped\n`);
  });

  it('prints the status history oldest first, and the latest entries with --limit', async () => {
    const created = await stack.client('erin').create({ name: 'cli-logs', image, start: false });

    const people = await cli(['logs', created.id]);
    const latest = await cli(['logs', created.id, '--limit', '1', '--json']);

    expect(people.code).toBe(0);
    const [header = '', ...rows] = people.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^VERSION +TIME +FROM +TO +BY +REASON$/);
    expect(rows.map((row) => row.split(/ {2,}/))).toEqual([
      ['v1', expect.any(String), '-', 'creating', 'user', 'create requested'],
      ['v2', expect.any(String), 'creating', 'stopped', 'user', 'created without starting'],
    ]);
    for (const row of rows) expect(columnStarts(row)).toEqual(columnStarts(header));
    expect(JSON.parse(latest.stdout)).toMatchObject([{ version: 2, to_status: 'stopped' }]);
  });

  it('answers an API refusal with one line on stderr, its code and message, and exit code 1', async () => {
    const missing = await cli(['status', '0123456789abcdef01234567']);
    const invalid = await cli(['create', '--name', 'Bad Name', '--image', image]);
    const badToken = await cli(['list'], { CLC_TOKEN: 'not-a-jwt' });

    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: CONTAINER_NOT_FOUND: Container not found\n',
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^error: VALIDATION_ERROR: [^\n]*\(body\.name: [^\n]+\)\n$/);
    expect(badToken).toMatchObject({ code: 1, stdout: '' });
    expect(badToken.stderr).toMatch(/^error: INVALID_TOKEN: [^\n]+\n$/);
  });

  it('exits 3 when a wait ends without the status: the container is at rest elsewhere', async () => {
    const created = await stack.client('erin').create({ name: 'cli-rest', image, start: false });

    const run = await cli(['wait', created.id, 'running', '--timeout', '5']);

    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`error: UNEXPECTED_STATUS: container ${created.id} settled in stopped`);
  });

  it('exits 2 on bad usage, and prints each verb’s help', async () => {
    const noToken = await cli(['list'], { CLC_TOKEN: '' });
    const unknown = await cli(['launch']);
    const badStatus = await cli(['wait', '0123456789abcdef01234567', 'flying']);
    const help = await cli(['create', '--help']);

    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('no token: set CLC_TOKEN');
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown verb 'launch'") });
    expect(badStatus).toMatchObject({ code: 2, stderr: expect.stringContaining("'flying' is not a status") });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('container-lifecycle create --name <name> --image <image>');
  });

  it('creates a job with --kind job and --command, waits for succeeded, and lists its runs', async () => {
    // Prepare
    const created = await cli([
      'create',
      '--name',
      'cli-job',
      '--image',
      image,
      '--project',
      'batch',
      '--kind',
      'job',
      '--command',
      'exit',
      '--command',
      '0',
      '--json',
    ]);
    const job = JSON.parse(created.stdout) as { id: string; kind: string; command: string[] };
    await stack.client('erin').waitFor(job.id, 'succeeded', { timeoutMs: 20_000 });

    // Act
    const people = await cli(['runs', job.id, '--project', 'batch']);
    const scripts = await cli(['runs', job.id, '--project', 'batch', '--json']);
    const elsewhere = await cli(['runs', job.id]);
    const badKind = await cli(['create', '--name', 'x', '--image', image, '--kind', 'cron']);

    // Assess
    expect(created.code).toBe(0);
    expect(job).toMatchObject({ kind: 'job', command: ['exit', '0'] });
    expect(people.code).toBe(0);
    const [header = '', row = '', footer] = people.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^RUN +STATUS +EXIT +STARTED +FINISHED +REASON$/);
    expect(row.split(/ {2,}/).slice(0, 3)).toEqual(['run_2', 'succeeded', '0']);
    expect(columnStarts(row)).toEqual(columnStarts(header));
    expect(footer).toBe(`1 run of ${job.id}`);
    expect(JSON.parse(scripts.stdout)).toMatchObject([
      { run_id: 'run_2', container_id: job.id, status: 'succeeded', exit_code: 0 },
    ]);
    expect(elsewhere).toMatchObject({ code: 1, stderr: expect.stringContaining('CONTAINER_NOT_FOUND') });
    expect(badKind).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--kind expects service or job'),
    });
  });

  it('never prints the token', () => {
    expect(outputs.join('\n')).not.toContain(token);
  });
});
