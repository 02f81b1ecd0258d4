import type { PagePosition } from '../ports/container-repository';
import type { CursorCodec, CursorScope } from './cursor';

/** A cursor carries where the next page starts and which page number that is. */
export interface PageCursor {
  readonly key: PagePosition;
  readonly page: number;
}

export function readCursor(
  codec: CursorCodec,
  cursor: string | undefined,
  scope: CursorScope,
): PageCursor | undefined {
  if (!cursor) return undefined;
  const position = codec.decode(cursor, scope);
  return { key: position.key as PagePosition, page: Number(position.page) };
}

export function nextCursor(
  codec: CursorCodec,
  next: PagePosition | undefined,
  page: number,
  scope: CursorScope,
): string | null {
  return next ? codec.encode({ key: next, page: page + 1 }, scope) : null;
}

/** The canonical text of a list query: a cursor is valid only for the query that issued it. */
export function queryScope(
  ownerId: string,
  route: string,
  parts: Readonly<Record<string, unknown>>,
): CursorScope {
  const canonical = Object.keys(parts)
    .sort()
    .map((key) => `${key}=${String(parts[key] ?? '')}`)
    .join('&');
  return { ownerId, query: `${route}?${canonical}` };
}
