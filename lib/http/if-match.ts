import { ValidationError } from '../domain/errors';

const versionTag = /^(?:W\/)?(?:"([1-9][0-9]{0,14})"|([1-9][0-9]{0,14}))$/;

/**
 * The container version an `If-Match` header asks for, or undefined when any will do (no header,
 * or `*`). The ETag is sent as `"7"`; `W/"7"` (a proxy may weaken it) and a bare `7` name the same
 * version, because a version is exact whichever way it is written. One tag only: a container has
 * one version, so a list could only be a mistake.
 *
 * @throws ValidationError for anything else
 */
export function ifMatchVersion(headers: Readonly<Record<string, string | undefined>>): number | undefined {
  const value = headers['if-match']?.trim();
  if (value === undefined || value === '*') return undefined;
  const match = versionTag.exec(value);
  const version = Number(match?.[1] ?? match?.[2]);
  if (!match || !Number.isSafeInteger(version)) {
    throw new ValidationError([
      {
        field: 'headers.if-match',
        message: 'If-Match takes the container\'s ETag ("7", its version) or *',
      },
    ]);
  }
  return version;
}

/**
 * For requests that act on many containers, each at its own version: one `If-Match` cannot name
 * them all, and ignoring it would drop a condition the caller asked for.
 *
 * @throws ValidationError when the header is present
 */
export function refuseIfMatch(headers: Readonly<Record<string, string | undefined>>): void {
  if (headers['if-match'] === undefined) return;
  throw new ValidationError([
    { field: 'headers.if-match', message: 'If-Match names one container; a batch acts on many' },
  ]);
}
