import type { IncomingMessage, ServerResponse } from 'node:http';
import { EcsApiError, EcsErrorType } from './errors';

/** The AWS JSON 1.1 protocol as ECS speaks it: POST /, operation in X-Amz-Target. */
export const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Far above any real ECS request; only there so a runaway client cannot exhaust memory. */
const maxBodyBytes = 1024 * 1024;

/** The operation named by the request, checked against the implemented ones. */
export function operationOf(request: IncomingMessage, implemented: ReadonlySet<string>): string {
  const target = request.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (request.method !== 'POST' || request.url?.split('?')[0] !== '/' || !implemented.has(operation)) {
    throw new EcsApiError(
      EcsErrorType.UnknownOperationException,
      operation === '' ? 'Missing or unknown X-Amz-Target' : `Unknown operation ${operation}`,
    );
  }
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith(JSON_CONTENT_TYPE)) {
    throw new EcsApiError(EcsErrorType.SerializationException, `Content-Type must be ${JSON_CONTENT_TYPE}`);
  }
  return operation;
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBodyBytes) {
      throw new EcsApiError(EcsErrorType.SerializationException, 'Request body too large');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON body; an empty body is `{}` like the SDK sends for operations without input. */
export function parseJson(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // Answered below: what failed to parse is irrelevant to the caller.
  }
  throw new EcsApiError(EcsErrorType.SerializationException, 'Request body is not a JSON object');
}

export function sendJson(
  response: ServerResponse,
  statusCode: number,
  body: unknown,
  requestId: string,
): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  response.end(text);
}

/** Errors carry `__type` in the body and `x-amzn-errortype` header; the SDK reads either. */
export function sendError(response: ServerResponse, error: EcsApiError, requestId: string): void {
  response.setHeader('x-amzn-errortype', error.errorType);
  sendJson(
    response,
    error.statusCode,
    { ...error.members, __type: error.errorType, message: error.message },
    requestId,
  );
}
