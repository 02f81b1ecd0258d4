import type { IdempotencyStore, StoredResponse } from '../ports/idempotency-store';

/** Marks a replayed answer whose secret was withheld: `webhook-secret: withheld`. */
export const secretWithheldHeader = 'webhook-secret';

/**
 * The Idempotency-Key store for a route whose answer carries a secret (POST /v1/webhooks): the
 * response is remembered without `data.secret`, so the secret never sits in the table (or its
 * stream) beside the key, and a replay answers without it, marked `webhook-secret: withheld`. The
 * secret is shown once, as documented; whoever lost it deletes the webhook and creates another.
 */
export function withholdingSecrets(store: IdempotencyStore): IdempotencyStore {
  return {
    begin: (request) => store.begin(request),
    release: (request) => store.release(request),
    complete: (request) => store.complete({ ...request, response: withoutSecret(request.response) }),
  };
}

function withoutSecret(response: StoredResponse): StoredResponse {
  if (response.body === undefined) return response;
  let body: string | undefined;
  try {
    const parsed: unknown = JSON.parse(response.body);
    const data = (parsed as { data?: unknown } | null)?.data;
    if (data && typeof data === 'object' && 'secret' in data) {
      const { secret: _withheld, ...rest } = data as Record<string, unknown>;
      body = JSON.stringify({ ...(parsed as object), data: rest });
    } else {
      body = response.body;
    }
  } catch {
    // Not JSON: nothing to redact it by, so nothing of it is kept.
    body = undefined;
  }
  return { ...response, headers: { ...response.headers, [secretWithheldHeader]: 'withheld' }, body };
}
