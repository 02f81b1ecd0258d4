import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK_RSA_Private,
  type JWK_RSA_Public,
} from 'jose';
import * as z from 'zod';

/** Default `iss` of local tokens; override with env `LOCAL_JWT_ISSUER`. */
export const LOCAL_JWT_ISSUER = 'http://127.0.0.1/local-issuer';

/** Default `aud` of local tokens; override with env `LOCAL_JWT_AUDIENCE`. */
export const LOCAL_JWT_AUDIENCE = 'container-lifecycle-api';

/** The only signing algorithm the local gateway accepts, as the AWS JWT authorizer is configured. */
export const LOCAL_JWT_ALGORITHM = 'RS256';

/** Where the shared key pair lives (gitignored); override with env `LOCAL_JWT_KEYS_FILE`. */
export const DEFAULT_JWT_KEYS_FILE = fileURLToPath(new URL('../.local/jwt-keys.json', import.meta.url));

/** What a verifier needs: the public half of the local key pair. */
export interface LocalJwtPublicKey {
  /** Key id, the RFC 7638 thumbprint of the public key; tokens carry it in their `kid` header. */
  readonly kid: string;
  /** Public JWK with `kid`, `alg` and `use` set. */
  readonly publicJwk: JWK_RSA_Public;
}

/** The full local key pair: the token minter signs with `privateKey`. */
export interface LocalJwtKeys extends LocalJwtPublicKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/** The key file exists but cannot be used; it is never overwritten silently, to keep issued tokens valid. */
export class JwtKeyFileError extends Error {
  override readonly name = 'JwtKeyFileError';
}

const rsaPublicJwkSchema = z.object({
  kty: z.literal('RSA'),
  n: z.string().min(1),
  e: z.string().min(1),
});

const rsaPrivateJwkSchema = rsaPublicJwkSchema.extend({
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});

const keyFileSchema = z.object({
  kid: z.string().min(1),
  alg: z.literal(LOCAL_JWT_ALGORITHM),
  privateJwk: rsaPrivateJwkSchema,
  publicJwk: rsaPublicJwkSchema,
});

type KeyFile = z.infer<typeof keyFileSchema>;

/** Issuer for local tokens: env `LOCAL_JWT_ISSUER`, else {@link LOCAL_JWT_ISSUER}. */
export function resolveLocalJwtIssuer(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.LOCAL_JWT_ISSUER) ?? LOCAL_JWT_ISSUER;
}

/** Audience for local tokens: env `LOCAL_JWT_AUDIENCE`, else {@link LOCAL_JWT_AUDIENCE}. */
export function resolveLocalJwtAudience(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.LOCAL_JWT_AUDIENCE) ?? LOCAL_JWT_AUDIENCE;
}

/** Key file path: env `LOCAL_JWT_KEYS_FILE`, else {@link DEFAULT_JWT_KEYS_FILE}. */
export function resolveJwtKeysFile(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.LOCAL_JWT_KEYS_FILE) ?? DEFAULT_JWT_KEYS_FILE;
}

/** Generates a fresh RS256 key pair in memory (2048-bit modulus). */
export async function generateLocalJwtKeys(): Promise<LocalJwtKeys> {
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_JWT_ALGORITHM, { extractable: true });
  const publicJwk = rsaPublicJwkSchema.parse(await exportJWK(publicKey));
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateKey, publicKey, publicJwk: withKeyMetadata(publicJwk, kid) };
}

/**
 * Returns the key pair shared by the local gateway and the token CLI, which run in different processes.
 * The first caller generates it and stores it (mode 0600); later callers, and concurrent first callers,
 * all get the same pair.
 *
 * @throws {JwtKeyFileError} when the file exists but is unreadable or malformed.
 */
export async function loadOrCreateLocalJwtKeys(
  filePath: string = resolveJwtKeysFile(),
): Promise<LocalJwtKeys> {
  const stored = await readKeyFile(filePath);
  if (stored) {
    return importKeyFile(stored, filePath);
  }
  return persistNewKeys(filePath);
}

async function readKeyFile(filePath: string): Promise<KeyFile | undefined> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') {
      return undefined;
    }
    throw new JwtKeyFileError(`Cannot read the local JWT key file ${filePath}`, { cause: error });
  }
  return parseKeyFile(text, filePath);
}

function parseKeyFile(text: string, filePath: string): KeyFile {
  try {
    return keyFileSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new JwtKeyFileError(
      `The local JWT key file ${filePath} is malformed; delete it to generate a new key pair`,
      { cause: error },
    );
  }
}

async function importKeyFile(stored: KeyFile, filePath: string): Promise<LocalJwtKeys> {
  try {
    const privateKey = await importRsaKey(stored.privateJwk);
    const publicKey = await importRsaKey(stored.publicJwk);
    return {
      kid: stored.kid,
      privateKey,
      publicKey,
      publicJwk: withKeyMetadata(stored.publicJwk, stored.kid),
    };
  } catch (error) {
    throw new JwtKeyFileError(
      `The local JWT key file ${filePath} holds an unusable key; delete it to generate a new key pair`,
      { cause: error },
    );
  }
}

/**
 * Writes to a private temp file, then hard-links it into place: `link` fails if another process won the
 * race, and readers never see a half-written file.
 */
async function persistNewKeys(filePath: string): Promise<LocalJwtKeys> {
  const keys = await generateLocalJwtKeys();
  const privateJwk = rsaPrivateJwkSchema.parse(await exportJWK(keys.privateKey));
  const publicJwk = rsaPublicJwkSchema.parse(keys.publicJwk);
  const stored: KeyFile = { kid: keys.kid, alg: LOCAL_JWT_ALGORITHM, privateJwk, publicJwk };
  await mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
  const tempPath = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tempPath, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await link(tempPath, filePath);
    return keys;
  } catch (error) {
    if (isErrnoException(error) && error.code === 'EEXIST') {
      return loadOrCreateLocalJwtKeys(filePath);
    }
    throw error;
  } finally {
    await rm(tempPath, { force: true });
  }
}

async function importRsaKey(jwk: JWK_RSA_Public | JWK_RSA_Private): Promise<CryptoKey> {
  const key = await importJWK(jwk, LOCAL_JWT_ALGORITHM);
  if (key instanceof Uint8Array) {
    throw new TypeError('Expected an RSA key, got a symmetric secret');
  }
  return key;
}

function withKeyMetadata(jwk: Pick<JWK_RSA_Public, 'n' | 'e'>, kid: string): JWK_RSA_Public {
  return { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: LOCAL_JWT_ALGORITHM, use: 'sig' };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value : undefined;
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
