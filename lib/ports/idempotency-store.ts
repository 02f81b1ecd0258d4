/**
 * Where the Idempotency-Key middleware remembers requests and their first response. A key belongs
 * to one owner: two owners using the same key never see each other's records.
 */

/** A response as it is replayed: status, headers and the body text. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

export interface IdempotencyRequest {
  readonly ownerId: string;
  /** The Idempotency-Key header as the caller sent it. */
  readonly key: string;
  /** A digest of what makes two requests "the same": method, route, path and body. */
  readonly requestHash: string;
}

/**
 * What `begin` found:
 * - `new`: nothing live under this key (or an abandoned attempt of the same request); the caller owns
 *   the key now and must `complete` or `release` it.
 * - `replay`: the same request was completed; answer with its response.
 * - `mismatch`: the key was used for a different request.
 * - `in-progress`: the same request is running right now.
 */
export type BeginResult =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-progress' };

export interface IdempotencyStore {
  /** Claims the key for this request in one atomic step, or says why it cannot. */
  begin(request: IdempotencyRequest & { readonly now: Date }): Promise<BeginResult>;
  /** Stores the response of a request that `begin` answered `new` for. */
  complete(
    request: IdempotencyRequest & { readonly response: StoredResponse; readonly now: Date },
  ): Promise<void>;
  /**
   * Forgets an unfinished request so that a retry runs again (the request failed before it could
   * change anything, or failed in a way worth retrying). A completed record is left alone.
   */
  release(request: IdempotencyRequest): Promise<void>;
}
