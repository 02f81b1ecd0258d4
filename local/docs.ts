/**
 * The interactive API docs of `npm start`: Swagger UI (the `swagger-ui-dist` package, served from
 * node_modules: nothing from a CDN) at `/docs`, showing openapi.json. The document is served
 * beside the page, without a token, because GET /v1/openapi.json wants one as every route does;
 * "Try it out" calls the gateway itself, with the token given under "Authorize".
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Answers a request when it is one of the docs' pages; false leaves it to the gateway. */
export type DocsPages = (req: IncomingMessage, res: ServerResponse) => boolean;

interface Asset {
  readonly type: string;
  readonly body: Buffer | string;
}

const defaultDocument = fileURLToPath(new URL('../openapi.json', import.meta.url));

/** The files of swagger-ui-dist the page loads, by the name it is served under. */
const swaggerFiles: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Container lifecycle API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const init = `window.ui = SwaggerUIBundle({
  url: '/docs/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  layout: 'BaseLayout',
  validatorUrl: null,
  persistAuthorization: true,
});
`;

/** Reads the page's files once: the document is read again on every request, so a regeneration shows. */
export async function loadDocsPages(documentFile: string = defaultDocument): Promise<DocsPages> {
  const distDirectory = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets = new Map<string, Asset>([
    ['/docs', { type: 'text/html; charset=utf-8', body: page }],
    ['/docs/', { type: 'text/html; charset=utf-8', body: page }],
    ['/docs/init.js', { type: 'text/javascript; charset=utf-8', body: init }],
  ]);
  for (const [name, type] of Object.entries(swaggerFiles)) {
    assets.set(`/docs/${name}`, { type, body: await readFile(join(distDirectory, name)) });
  }
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/docs' && !path.startsWith('/docs/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { type: 'application/json', body: '{"message":"Method Not Allowed"}' });
    } else if (path === '/docs/openapi.json') {
      readFile(documentFile).then(
        (body) => send(res, 200, { type: 'application/json', body }),
        () => send(res, 500, { type: 'application/json', body: '{"message":"run npm run openapi"}' }),
      );
    } else {
      send(res, assets.has(path) ? 200 : 404, assets.get(path) ?? notFound);
    }
    return true;
  };
}

const notFound: Asset = { type: 'application/json', body: '{"message":"Not Found"}' };

function send(res: ServerResponse, status: number, asset: Asset): void {
  res.writeHead(status, { 'content-type': asset.type, 'cache-control': 'no-cache' });
  res.end(asset.body);
}
