import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../local/free-port';
import { loadOrCreateLocalJwtKeys } from '../../local/jwt-keys';
import { mintToken } from '../../local/tokens';

// `npm start` as a user runs it: a separate process, its own key file, PORT from the environment.
describe('npm start', () => {
  const keysFile = join(mkdtempSync(join(tmpdir(), 'start-keys-')), 'jwt-keys.json');
  let child: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    const port = await findFreePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      env: { ...process.env, PORT: String(port), LOCAL_JWT_KEYS_FILE: keysFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "listening" line within 45 s:\n${output}`)),
        45_000,
      );
      const check = () => {
        if (output.includes(`listening on http://127.0.0.1:${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers an authenticated request with a token from the shared local key', async () => {
    const keys = await loadOrCreateLocalJwtKeys(keysFile);
    const token = await mintToken({ keys, sub: 'alice' });

    const response = await fetch(`${url}/v1/health`, { headers: { authorization: `Bearer ${token}` } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { status: 'ok' } });
  });

  it('refuses a request without a token with 401 MISSING_TOKEN', async () => {
    const response = await fetch(`${url}/v1/health`);

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'MISSING_TOKEN' } });
  });

  it('stops everything on SIGTERM, the Java process included', async () => {
    // Prepare
    const javaBefore = javaChildrenOf(child.pid ?? -1);
    expect(javaBefore.length).toBe(1);

    // Act
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const code = await exited;

    // Assess
    expect(code).toBe(0);
    for (const pid of javaBefore) expect(isRunning(pid)).toBe(false);
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
  });
});

function javaChildrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), 'java'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
