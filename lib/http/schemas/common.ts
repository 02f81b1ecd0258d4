/** Pieces the request schemas share: a slug (names, projects) and an admin's `owner_id`. */
import * as z from '../../schema';

export const slug = z
  .string()
  .check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'use 1-63 of a-z, 0-9 and -, not at either end'));

/** An owner named by an admin, `?owner_id=`. */
export const ownerId = z.string().check(z.minLength(1), z.maxLength(256));
