import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../lib/domain/errors';
import { type CursorScope, createCursorCodec, MAX_CURSOR_LENGTH } from '../../../../lib/http/cursor';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const issuedAt = Date.UTC(2026, 10, 22, 10, 0, 0);
const scope: CursorScope = { ownerId: 'alice', query: 'GET /v1/containers?status=running&sort_order=desc' };
const position = {
  pk: { S: 'CONTAINER#6740c3f2a1b2c3d4e5f60718' },
  sk: { S: 'CONTAINER' },
  gsi1pk: { S: 'OWNER#alice' },
  gsi1sk: { S: '2026-11-22T10:30:00.000Z#6740c3f2a1b2c3d4e5f60718' },
};

function codecAt(timeMs: number, maxAgeSeconds?: number) {
  return createCursorCodec(secret, { now: () => timeMs, ...(maxAgeSeconds ? { maxAgeSeconds } : {}) });
}

function expectInvalidCursor(act: () => unknown) {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect(thrown).toMatchObject({ code: 'INVALID_CURSOR' });
}

/** Replaces the character at `index` with another base64url character. */
function flipCharacter(text: string, index: number): string {
  const current = text[index];
  const replacement = current === 'A' ? 'B' : 'A';
  return `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
}

/** Signs an arbitrary payload the way the codec does, to test what decode makes of it. */
function signRaw(payloadJson: string, cursorScope: CursorScope = scope): string {
  const payloadSegment = Buffer.from(payloadJson, 'utf8').toString('base64url');
  const signature = createHmac('sha256', secret)
    .update(`clc-cursor-v1\n${payloadSegment}\n${JSON.stringify([cursorScope.ownerId, cursorScope.query])}`)
    .digest('base64url');
  return `${payloadSegment}.${signature}`;
}

describe('createCursorCodec', () => {
  it('decodes the position it encoded, for the same owner and query', () => {
    // Prepare
    const codec = codecAt(issuedAt);

    // Act
    const cursor = codec.encode(position, scope);
    const decoded = codec.decode(cursor, scope);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(decoded).toEqual(position);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('accepts a secret given as bytes', () => {
    const codec = createCursorCodec(new Uint8Array(32).fill(7), { now: () => issuedAt });

    expect(codec.decode(codec.encode(position, scope), scope)).toEqual(position);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => createCursorCodec('short')).toThrow(RangeError);
  });

  it('rejects a cursor whose payload had one character changed', () => {
    const codec = codecAt(issuedAt);
    const cursor = codec.encode(position, scope);

    for (const index of [0, 10, cursor.indexOf('.') - 1]) {
      expectInvalidCursor(() => codec.decode(flipCharacter(cursor, index), scope));
    }
  });

  it('rejects a cursor whose signature had one character changed, the last one included', () => {
    const codec = codecAt(issuedAt);
    const cursor = codec.encode(position, scope);

    for (const index of [cursor.indexOf('.') + 1, cursor.length - 2, cursor.length - 1]) {
      expectInvalidCursor(() => codec.decode(flipCharacter(cursor, index), scope));
    }
  });

  it('rejects a cursor issued to another owner', () => {
    const codec = codecAt(issuedAt);
    const cursor = codec.encode(position, scope);

    expectInvalidCursor(() => codec.decode(cursor, { ...scope, ownerId: 'mallory' }));
  });

  it('rejects a cursor issued for another query', () => {
    const codec = codecAt(issuedAt);
    const cursor = codec.encode(position, scope);

    expectInvalidCursor(() => codec.decode(cursor, { ...scope, query: 'GET /v1/containers?sort_order=asc' }));
  });

  it('does not confuse owner and query boundaries when their concatenation is the same', () => {
    const codec = codecAt(issuedAt);
    const cursor = codec.encode(position, { ownerId: 'ab', query: 'c' });

    expectInvalidCursor(() => codec.decode(cursor, { ownerId: 'a', query: 'bc' }));
  });

  it('rejects a cursor signed with another secret', () => {
    const cursor = codecAt(issuedAt).encode(position, scope);
    const otherCodec = createCursorCodec('another-secret-of-at-least-32-bytes!', { now: () => issuedAt });

    expectInvalidCursor(() => otherCodec.decode(cursor, scope));
  });

  it('accepts a cursor up to its maximum age and rejects it one second later', () => {
    // Prepare
    const cursor = codecAt(issuedAt).encode(position, scope);

    // Act
    const atMaxAge = codecAt(issuedAt + 3_600_000, 3_600).decode(cursor, scope);

    // Assess
    expect(atMaxAge).toEqual(position);
    expectInvalidCursor(() => codecAt(issuedAt + 3_601_000, 3_600).decode(cursor, scope));
  });

  it('rejects a cursor older than 24 hours by default', () => {
    const cursor = codecAt(issuedAt).encode(position, scope);

    expect(codecAt(issuedAt + 86_400_000).decode(cursor, scope)).toEqual(position);
    expectInvalidCursor(() => codecAt(issuedAt + 86_401_000).decode(cursor, scope));
  });

  it.each([
    ['an empty string', ''],
    ['a lone dot', '.'],
    ['two short segments', 'a.b'],
    ['three segments', 'a.b.c'],
    ['no signature', 'eyJwb3MiOnt9LCJpYXQiOjF9'],
    ['an empty signature', 'eyJwb3MiOnt9LCJpYXQiOjF9.'],
    ['standard base64 characters', 'ab+/cd==.ef+/gh=='],
    ['unicode', 'héllo.wörld🙂'],
    ['whitespace', ' eyJ9 . eyJ9 '],
  ])('rejects garbage: %s', (_label, garbage) => {
    const codec = codecAt(issuedAt);

    expectInvalidCursor(() => codec.decode(garbage, scope));
  });

  it('rejects a cursor longer than the maximum length before checking anything else', () => {
    const codec = codecAt(issuedAt);

    expectInvalidCursor(() => codec.decode(`${'a'.repeat(MAX_CURSOR_LENGTH)}.b`, scope));
    expectInvalidCursor(() => codec.decode('x'.repeat(1_000_000), scope));
  });

  it('decodes a hand-signed payload, so the rejections below are about content, not the signature', () => {
    const cursor = signRaw(`{"pos":{"pk":{"S":"x"}},"iat":${issuedAt / 1000}}`);

    expect(codecAt(issuedAt).decode(cursor, scope)).toEqual({ pk: { S: 'x' } });
  });

  it('rejects a validly signed payload that is not JSON', () => {
    expectInvalidCursor(() => codecAt(issuedAt).decode(signRaw('not json {'), scope));
  });

  it.each([
    ['an array', '[1,2]'],
    ['a position that is not an object', `{"pos":"pk","iat":${issuedAt / 1000}}`],
    ['a position that is an array', `{"pos":[],"iat":${issuedAt / 1000}}`],
    ['a missing issue time', '{"pos":{}}'],
    ['an issue time that is not a number', '{"pos":{},"iat":"yesterday"}'],
    ['an unknown field', `{"pos":{},"iat":${issuedAt / 1000},"admin":true}`],
  ])('rejects a validly signed payload of the wrong shape: %s', (_label, payloadJson) => {
    expectInvalidCursor(() => codecAt(issuedAt).decode(signRaw(payloadJson), scope));
  });

  it.each([
    ['__proto__ at the top of the position', '{"__proto__":{"polluted":true}}'],
    ['__proto__ deep in the position', '{"pk":{"S":"x","__proto__":{"polluted":true}}}'],
    ['constructor in the position', '{"constructor":{"prototype":{"polluted":true}}}'],
  ])('rejects a validly signed payload carrying %s, and pollutes nothing', (_label, positionJson) => {
    // Prepare
    const cursor = signRaw(`{"pos":${positionJson},"iat":${issuedAt / 1000}}`);

    // Act
    expectInvalidCursor(() => codecAt(issuedAt).decode(cursor, scope));

    // Assess
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
