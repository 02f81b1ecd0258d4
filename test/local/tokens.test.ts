import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateLocalJwtKeys,
  JwtKeyFileError,
  LOCAL_JWT_AUDIENCE,
  LOCAL_JWT_ISSUER,
  type LocalJwtKeys,
  loadOrCreateLocalJwtKeys,
  resolveJwtKeysFile,
  resolveLocalJwtAudience,
  resolveLocalJwtIssuer,
} from '../../local/jwt-keys';
import { createTokenVerifier, mintToken, TokenVerificationError, tokenScopes } from '../../local/tokens';

const execFileAsync = promisify(execFile);
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_TIMEOUT_MS = 30_000;

let keys: LocalJwtKeys;
let tempDir: string;

beforeAll(async () => {
  keys = await generateLocalJwtKeys();
  tempDir = await mkdtemp(join(tmpdir(), 'local-jwt-'));
});

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<TokenVerificationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TokenVerificationError);
  return error as TokenVerificationError;
}

describe('mintToken', () => {
  it('signs an RS256 token with kid, iss, aud, iat, exp and a space-separated scope that verifies', async () => {
    // Prepare
    const now = new Date();

    // Act
    const token = await mintToken({
      sub: 'alice',
      scope: ['containers:read', 'containers:admin'],
      keys,
      now,
    });

    // Assess
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: keys.kid });
    const verified = await createTokenVerifier({ keys })(token);
    const issuedAt = Math.floor(now.getTime() / 1000);
    expect(verified.subject).toBe('alice');
    expect(verified.claims).toMatchObject({
      iss: LOCAL_JWT_ISSUER,
      aud: LOCAL_JWT_AUDIENCE,
      scope: 'containers:read containers:admin',
      iat: issuedAt,
      exp: issuedAt + 3600,
    });
    expect(verified.scopes).toEqual(['containers:read', 'containers:admin']);
  });

  it('defaults the scope to containers:read containers:write', async () => {
    // Act
    const token = await mintToken({ sub: 'bob', keys, ttlSeconds: 60 });

    // Assess
    expect(decodeJwt(token).scope).toBe('containers:read containers:write');
  });

  it('mints an already expired token for a negative ttl, which the verifier rejects as TOKEN_EXPIRED', async () => {
    // Prepare
    const token = await mintToken({ sub: 'alice', keys, ttlSeconds: -60 });

    // Act
    const error = await rejection(createTokenVerifier({ keys })(token));

    // Assess
    expect(error.code).toBe('TOKEN_EXPIRED');
  });

  it('rejects a token of another issuer as INVALID_TOKEN without echoing the token', async () => {
    // Prepare
    const token = await mintToken({ sub: 'alice', keys, issuer: 'http://elsewhere' });

    // Act
    const error = await rejection(createTokenVerifier({ keys })(token));

    // Assess
    expect(error.code).toBe('INVALID_TOKEN');
    expect(error.message).toContain('iss');
    expect(error.message).not.toContain(token);
  });

  it('accepts a token within the configured clock tolerance after exp', async () => {
    // Prepare
    const token = await mintToken({ sub: 'alice', keys, ttlSeconds: -2 });

    // Act
    const verified = await createTokenVerifier({ keys, clockToleranceSeconds: 30 })(token);

    // Assess
    expect(verified.subject).toBe('alice');
  });
});

describe('tokenScopes', () => {
  it('reads scope as a space-separated string and scp as a list', () => {
    // Act
    const fromScope = tokenScopes({ scope: 'a  b' });
    const fromScp = tokenScopes({ scp: ['c', 'd'] });
    const none = tokenScopes({});

    // Assess
    expect(fromScope).toEqual(['a', 'b']);
    expect(fromScp).toEqual(['c', 'd']);
    expect(none).toEqual([]);
  });
});

describe('local JWT keys', () => {
  it('creates the key file with mode 0600 on first use and returns the same pair afterwards', async () => {
    // Prepare
    const filePath = join(tempDir, 'first-use', 'jwt-keys.json');

    // Act
    const created = await loadOrCreateLocalJwtKeys(filePath);
    const reloaded = await loadOrCreateLocalJwtKeys(filePath);

    // Assess
    expect((await stat(filePath)).mode & 0o777).toBe(0o600);
    expect(reloaded.kid).toBe(created.kid);
    const token = await mintToken({ sub: 'alice', keys: created });
    expect((await createTokenVerifier({ keys: reloaded })(token)).subject).toBe('alice');
  });

  it('gives concurrent first users one and the same key pair', async () => {
    // Prepare
    const filePath = join(tempDir, 'race', 'jwt-keys.json');

    // Act
    const pairs = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateLocalJwtKeys(filePath)));

    // Assess
    expect(new Set(pairs.map((pair) => pair.kid)).size).toBe(1);
  });

  it('refuses a malformed key file instead of replacing it', async () => {
    // Prepare
    const filePath = join(tempDir, 'broken.json');
    await writeFile(filePath, '{"kid": 1}');

    // Act
    const result = loadOrCreateLocalJwtKeys(filePath);

    // Assess
    await expect(result).rejects.toBeInstanceOf(JwtKeyFileError);
  });

  it('takes issuer, audience and key file from env when set, the constants otherwise', () => {
    // Prepare
    const env = { LOCAL_JWT_ISSUER: 'http://i', LOCAL_JWT_AUDIENCE: 'a', LOCAL_JWT_KEYS_FILE: '/k.json' };

    // Act
    const fromEnv = [resolveLocalJwtIssuer(env), resolveLocalJwtAudience(env), resolveJwtKeysFile(env)];
    const defaults = [resolveLocalJwtIssuer({}), resolveLocalJwtAudience({}), resolveJwtKeysFile({})];

    // Assess
    expect(fromEnv).toEqual(['http://i', 'a', '/k.json']);
    expect(defaults).toEqual([
      LOCAL_JWT_ISSUER,
      LOCAL_JWT_AUDIENCE,
      join(PROJECT_ROOT, '.local', 'jwt-keys.json'),
    ]);
  });
});

describe('token CLI', () => {
  function runCli(args: readonly string[], keysFile: string) {
    return execFileAsync('npx', ['tsx', 'local/token-cli.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOCAL_JWT_KEYS_FILE: keysFile },
      timeout: CLI_TIMEOUT_MS,
    });
  }

  it(
    'prints only a JWT, signed with the shared key file, with the given sub, scope and ttl',
    async () => {
      // Prepare
      const keysFile = join(tempDir, 'cli', 'jwt-keys.json');

      // Act
      const { stdout } = await runCli(
        ['--sub', 'carol', '--scope', 'containers:read', '--ttl', '120'],
        keysFile,
      );

      // Assess
      const token = stdout.trim();
      expect(stdout).toBe(`${token}\n`);
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const verified = await createTokenVerifier({ keys: await loadOrCreateLocalJwtKeys(keysFile) })(token);
      expect(verified.subject).toBe('carol');
      expect(verified.claims.scope).toBe('containers:read');
      expect(Number(verified.claims.exp) - Number(verified.claims.iat)).toBe(120);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'prints an expired token for --ttl -60',
    async () => {
      // Prepare
      const keysFile = join(tempDir, 'cli-expired', 'jwt-keys.json');

      // Act
      const { stdout } = await runCli(['--sub', 'carol', '--ttl', '-60'], keysFile);

      // Assess
      const token = stdout.trim();
      const claims = decodeJwt(token);
      expect(Number(claims.exp) - Number(claims.iat)).toBe(-60);
      const verify = createTokenVerifier({ keys: await loadOrCreateLocalJwtKeys(keysFile) });
      expect((await rejection(verify(token))).code).toBe('TOKEN_EXPIRED');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'exits with code 2 and a message on stderr for an unknown flag',
    async () => {
      // Prepare
      const keysFile = join(tempDir, 'cli-bad', 'jwt-keys.json');

      // Act
      const failure = await runCli(['--sub', 'carol', '--bogus'], keysFile).then(
        () => undefined,
        (error: { code?: number; stdout?: string; stderr?: string }) => error,
      );

      // Assess
      expect(failure?.code).toBe(2);
      expect(failure?.stdout).toBe('');
      expect(failure?.stderr).toContain("Unknown option '--bogus'");
    },
    CLI_TIMEOUT_MS,
  );
});
