/**
 * Opaque, tamper-evident list cursors. A cursor is `base64url(JSON payload) + '.' + base64url(HMAC)`,
 * where the HMAC covers the payload and the scope (owner and canonical query) it was issued for.
 * The payload is signed, not encrypted: a caller can read its own position, but cannot change it,
 * reuse it for another query or owner, or keep it past its maximum age.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors';
import * as z from '../schema';

/** What a cursor is bound to; a cursor decoded under another scope is INVALID_CURSOR. */
export interface CursorScope {
  readonly ownerId: string;
  /** A canonical string of the list's route, filters and sort order, built by the caller. */
  readonly query: string;
}

/** A list position, e.g. DynamoDB's LastEvaluatedKey (`{ pk: { S: '...' } }`). */
export type CursorPosition = Readonly<Record<string, unknown>>;

export interface CursorCodec {
  encode(position: CursorPosition, scope: CursorScope): string;
  /** Returns the position, or throws DomainError INVALID_CURSOR. */
  decode(cursor: string, scope: CursorScope): CursorPosition;
}

export interface CursorCodecOptions {
  /** How long a cursor stays valid after it was issued. @default 86400 (24 h) */
  readonly maxAgeSeconds?: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** Longest cursor accepted; a longer one is rejected before any parsing. */
export const MAX_CURSOR_LENGTH = 2048;

const MIN_SECRET_BYTES = 32;
const DEFAULT_MAX_AGE_SECONDS = 86_400;
// Names the purpose in the MAC input, so a signature made with the same secret elsewhere never verifies here.
const SIGNING_CONTEXT = 'clc-cursor-v1';
const base64url = /^[A-Za-z0-9_-]+$/;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

const payloadSchema = z.strictObject({
  pos: z.record(z.string(), z.unknown()),
  iat: z.int().check(z.nonnegative()),
});

/**
 * Builds the codec. `secret` must hold at least 32 bytes; rotate it and every cursor in flight
 * becomes INVALID_CURSOR, which clients handle by starting the list again.
 */
export function createCursorCodec(
  secret: string | Uint8Array,
  options: CursorCodecOptions = {},
): CursorCodec {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new RangeError(`The cursor secret must hold at least ${MIN_SECRET_BYTES} bytes`);
  }
  const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) {
    throw new RangeError('maxAgeSeconds must be a positive number');
  }
  const now = options.now ?? Date.now;
  const sign = (payloadSegment: string, scope: CursorScope) =>
    createHmac('sha256', key)
      .update(`${SIGNING_CONTEXT}\n${payloadSegment}\n${JSON.stringify([scope.ownerId, scope.query])}`)
      .digest('base64url');

  return {
    encode(position, scope) {
      const payload = { pos: position, iat: Math.floor(now() / 1000) };
      const payloadSegment = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
      const cursor = `${payloadSegment}.${sign(payloadSegment, scope)}`;
      if (cursor.length > MAX_CURSOR_LENGTH) {
        throw new RangeError(`The position makes a cursor longer than ${MAX_CURSOR_LENGTH} characters`);
      }
      return cursor;
    },

    decode(cursor, scope) {
      const [payloadSegment, signature] = splitCursor(cursor);
      if (!signatureMatches(signature, sign(payloadSegment, scope))) throw invalidCursor();
      const payload = parsePayload(payloadSegment);
      const ageSeconds = now() / 1000 - payload.iat;
      if (ageSeconds > maxAgeSeconds) throw invalidCursor();
      return payload.pos;
    },
  };
}

function invalidCursor(): DomainError {
  return new DomainError('INVALID_CURSOR', 'The cursor is invalid, expired or belongs to another query');
}

function splitCursor(cursor: string): [string, string] {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH) throw invalidCursor();
  const parts = cursor.split('.');
  const [payloadSegment, signature] = parts;
  if (parts.length !== 2 || payloadSegment === undefined || signature === undefined) throw invalidCursor();
  if (!base64url.test(payloadSegment) || !base64url.test(signature)) throw invalidCursor();
  return [payloadSegment, signature];
}

// The encoded strings are compared, not the decoded bytes: base64url's last character carries
// unused bits, so several spellings decode to the same MAC and an edited cursor would still pass.
function signatureMatches(given: string, expected: string): boolean {
  const givenBytes = Buffer.from(given, 'utf8');
  const expectedBytes = Buffer.from(expected, 'utf8');
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}

// Runs only on payloads we signed, but still refuses keys that could reach a prototype if a
// caller later merged the position into another object.
function parsePayload(payloadSegment: string): z.infer<typeof payloadSchema> {
  try {
    const json: unknown = JSON.parse(
      Buffer.from(payloadSegment, 'base64url').toString('utf8'),
      (name, value) => {
        if (forbiddenKeys.has(name)) throw new SyntaxError(`forbidden key ${name}`);
        return value;
      },
    );
    const parsed = payloadSchema.safeParse(json);
    if (!parsed.success) throw invalidCursor();
    return parsed.data;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalidCursor();
  }
}
