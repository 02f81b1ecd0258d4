import * as z from '../schema';

export const scopes = {
  read: 'containers:read',
  write: 'containers:write',
  admin: 'containers:admin',
} as const;

export type Scope = (typeof scopes)[keyof typeof scopes];

/** Who is asking, from the claims the JWT authorizer verified. */
export interface Caller {
  readonly id: string;
  readonly scopes: ReadonlySet<string>;
  readonly isAdmin: boolean;
}

// API Gateway passes claims as strings; an `scp` array arrives as "[a b]", a `scope` as "a b".
const claimsSchema = z.looseObject({
  sub: z.string().check(z.minLength(1), z.maxLength(256)),
  scope: z.optional(z.string()),
  scp: z.optional(z.union([z.string(), z.array(z.string())])),
});

function splitScopes(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  return text
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((scope) => scope.length > 0);
}

/** Returns the caller, or undefined when the claims carry no usable subject. */
export function callerFromClaims(claims: unknown): Caller | undefined {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const granted = new Set([...splitScopes(parsed.data.scope), ...splitScopes(parsed.data.scp)]);
  return { id: parsed.data.sub, scopes: granted, isAdmin: granted.has(scopes.admin) };
}

/** Admin holds every scope; otherwise the scope itself must be granted. */
export function hasScope(caller: Caller, scope: Scope): boolean {
  return caller.isAdmin || caller.scopes.has(scope);
}
