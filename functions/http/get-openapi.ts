import { httpHandler } from '../../lib/http/http-handler';
import document from '../../openapi.json' with { type: 'json' };

/**
 * GET /v1/openapi.json: the OpenAPI document, written by `npm run openapi` and bundled in (esbuild
 * inlines the JSON), so it costs no read and nothing at cold start beyond parsing it.
 */
export const handler = httpHandler({}, async () => ({
  status: 200,
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
