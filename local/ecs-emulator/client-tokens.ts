/** What a RunTask clientToken means for the call that carries it. */
export type TokenCheck =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly taskArns: readonly string[] }
  | { readonly kind: 'conflict'; readonly taskArns: readonly string[] };

interface TokenUse {
  readonly fingerprint: string;
  readonly taskArns: readonly string[];
}

/**
 * RunTask idempotency: a token seen with the same parameters replays the first call's tasks, with
 * other parameters it is a conflict. Tokens live as long as one of their tasks is kept.
 */
export class ClientTokenRegistry {
  private readonly uses = new Map<string, TokenUse>();

  check(token: string, fingerprint: string, isKept: (taskArn: string) => boolean): TokenCheck {
    const use = this.uses.get(token);
    if (use === undefined) return { kind: 'new' };
    const kept = use.taskArns.filter(isKept);
    if (kept.length === 0) {
      this.uses.delete(token);
      return { kind: 'new' };
    }
    return use.fingerprint === fingerprint
      ? { kind: 'replay', taskArns: kept }
      : { kind: 'conflict', taskArns: use.taskArns };
  }

  remember(token: string, fingerprint: string, taskArns: readonly string[]): void {
    this.uses.set(token, { fingerprint, taskArns });
  }
}

/** A stable text for a request: same members, same values, whatever the key order. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => [key, canonical(member)]),
  );
}
