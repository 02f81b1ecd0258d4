import { DomainError } from '../domain/errors';
import { errorTable } from './error-table';
import type { HttpResult } from './http-handler';

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' } as const;

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResult {
  return {
    statusCode: status,
    headers: body === undefined ? { ...headers } : { ...jsonHeaders, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** The contract's error body; anything that is not a DomainError becomes a bare 500. */
export function errorResponse(error: unknown, requestId: string): HttpResult {
  const known = error instanceof DomainError ? error : undefined;
  const code = known?.code ?? 'INTERNAL_SERVER_ERROR';
  const { status, message } = errorTable[code];
  const headers: Record<string, string> = {};
  if (known?.retryAfterSeconds !== undefined) headers['retry-after'] = String(known.retryAfterSeconds);
  return jsonResponse(
    status,
    {
      error: {
        code,
        message: known?.message ?? message,
        request_id: requestId,
        ...(known?.details === undefined ? {} : { details: known.details }),
      },
    },
    headers,
  );
}
