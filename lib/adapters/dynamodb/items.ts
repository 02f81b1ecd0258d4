/**
 * What the item modules share: the item type, and the parsing of an item read back. Each item
 * type has its own module (container-items.ts, status-log-items.ts, job-run-items.ts,
 * owner-items.ts), so a function builds the schemas of the items it reads and no other (cold
 * load, issue 6). Items read back are parsed with zod: a corrupt item is a CorruptItemError
 * naming the key, never a crash somewhere later.
 */
import type * as z from '../../schema';
import { type Item, unmarshall } from './attribute-values';

export type { Item };

export class CorruptItemError extends Error {
  override readonly name = 'CorruptItemError';
}

export function parseItem<T>(schema: z.Schema<T>, item: Item): T {
  const value = unmarshall(item);
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CorruptItemError(`item ${String(value.pk)} / ${String(value.sk)} is corrupt: ${fields}`);
  }
  return result.data;
}
