import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import {
  LOCAL_JWT_ALGORITHM,
  type LocalJwtKeys,
  type LocalJwtPublicKey,
  loadOrCreateLocalJwtKeys,
  resolveLocalJwtAudience,
  resolveLocalJwtIssuer,
} from './jwt-keys';

/** Scope of a minted token unless told otherwise: a regular caller. */
export const DEFAULT_TOKEN_SCOPE = 'containers:read containers:write';

/** Lifetime of a minted token unless told otherwise. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** The contract's 401 error codes (API.md, Errors). */
export const TOKEN_ERROR_CODE = {
  missing: 'MISSING_TOKEN',
  invalid: 'INVALID_TOKEN',
  expired: 'TOKEN_EXPIRED',
} as const;

/** One of {@link TOKEN_ERROR_CODE}'s values. */
export type TokenErrorCode = (typeof TOKEN_ERROR_CODE)[keyof typeof TOKEN_ERROR_CODE];

/** A bearer token was missing or rejected; `message` is safe to show the caller, never holds the token. */
export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError';

  constructor(
    readonly code: TokenErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Options of {@link mintToken}. */
export interface MintTokenOptions {
  /** The caller, owner of what it creates. */
  readonly sub: string;
  /** Space-separated string or list; an empty value leaves the `scope` claim out. */
  readonly scope?: string | readonly string[];
  /** Seconds from now to `exp`; negative mints an already expired token. */
  readonly ttlSeconds?: number;
  /** Signing keys; default: the shared local key file. */
  readonly keys?: Pick<LocalJwtKeys, 'kid' | 'privateKey'>;
  readonly issuer?: string;
  readonly audience?: string | readonly string[];
  /** `nbf` as seconds since the epoch; left out by default. */
  readonly notBefore?: number;
  /** Extra claims; the standard claims above take precedence over them. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Clock for `iat`/`exp`; default: now. */
  readonly now?: Date;
}

/** Signs an RS256 access token that the local gateway accepts (or rejects as expired, for `ttlSeconds <= 0`). */
export async function mintToken(options: MintTokenOptions): Promise<string> {
  const keys = options.keys ?? (await loadOrCreateLocalJwtKeys());
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const scope = normalizeScope(options.scope ?? DEFAULT_TOKEN_SCOPE);
  const jwt = new SignJWT({ ...options.claims, ...(scope ? { scope } : {}) })
    .setProtectedHeader({ alg: LOCAL_JWT_ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuer(options.issuer ?? resolveLocalJwtIssuer())
    .setAudience(toAudience(options.audience ?? resolveLocalJwtAudience()))
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS));
  if (options.notBefore !== undefined) {
    jwt.setNotBefore(options.notBefore);
  }
  return jwt.sign(keys.privateKey);
}

/** A token that passed every check. */
export interface VerifiedToken {
  readonly subject: string;
  readonly claims: JWTPayload;
  /** From `scope` (space-separated) or `scp` (list or space-separated). */
  readonly scopes: readonly string[];
}

/** Checks a compact JWT; rejects with {@link TokenVerificationError}. */
export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  readonly keys: LocalJwtPublicKey;
  /** Expected `iss`; default: {@link resolveLocalJwtIssuer}. */
  readonly issuer?: string;
  /** Audience `aud` must include; default: {@link resolveLocalJwtAudience}. */
  readonly audience?: string;
  /** Leeway for `exp`, `nbf` and `iat`; default 0, as the AWS authorizer documents none. */
  readonly clockToleranceSeconds?: number;
}

/**
 * Builds a verifier that applies the checks of the API Gateway HTTP API JWT authorizer: RS256 signature by
 * the key with the token's `kid`, `iss` equal to the issuer, `aud` including the audience, `exp` required
 * and in the future, `nbf` and `iat` not in the future; plus a non-empty `sub`, which the contract needs.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keySet = createLocalJWKSet({ keys: [options.keys.publicJwk] });
  const issuer = options.issuer ?? resolveLocalJwtIssuer();
  const audience = options.audience ?? resolveLocalJwtAudience();
  const clockTolerance = options.clockToleranceSeconds ?? 0;
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: [LOCAL_JWT_ALGORITHM],
        issuer,
        audience,
        clockTolerance,
        requiredClaims: ['exp', 'sub'],
      });
      return toVerifiedToken(payload, clockTolerance);
    } catch (error) {
      throw toVerificationError(error);
    }
  };
}

/** Scopes granted by a token's claims: `scope` (space-separated) or `scp` (list or space-separated). */
export function tokenScopes(claims: JWTPayload): string[] {
  const granted = claims.scope ?? claims.scp;
  if (typeof granted === 'string') {
    return granted.split(' ').filter(Boolean);
  }
  if (Array.isArray(granted)) {
    return granted.filter((item): item is string => typeof item === 'string' && item.length > 0);
  }
  return [];
}

function toVerifiedToken(payload: JWTPayload, clockTolerance: number): VerifiedToken {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
    throw invalid('the sub claim must be a non-empty string');
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.iat !== undefined && payload.iat > now + clockTolerance) {
    throw invalid('the token was issued in the future');
  }
  return { subject: payload.sub, claims: payload, scopes: tokenScopes(payload) };
}

function toVerificationError(error: unknown): TokenVerificationError {
  if (error instanceof TokenVerificationError) {
    return error;
  }
  if (error instanceof errors.JWTExpired) {
    return new TokenVerificationError(TOKEN_ERROR_CODE.expired, 'The bearer token has expired', {
      cause: error,
    });
  }
  return invalid(describeRejection(error), error);
}

function describeRejection(error: unknown): string {
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.reason === 'missing'
      ? `the ${error.claim} claim is missing`
      : `the ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return 'the signing algorithm is not allowed';
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'no key matches the token kid';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'the signature does not verify';
  }
  return 'the token is malformed';
}

function invalid(reason: string, cause?: unknown): TokenVerificationError {
  return new TokenVerificationError(TOKEN_ERROR_CODE.invalid, `The bearer token is invalid: ${reason}`, {
    cause,
  });
}

function normalizeScope(scope: string | readonly string[]): string {
  const items = typeof scope === 'string' ? scope.split(/\s+/) : scope;
  return items.filter(Boolean).join(' ');
}

function toAudience(audience: string | readonly string[]): string | string[] {
  return typeof audience === 'string' ? audience : [...audience];
}
